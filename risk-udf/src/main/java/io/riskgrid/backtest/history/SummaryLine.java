package io.riskgrid.backtest.history;

import io.riskgrid.backtest.TrafficLightZone;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One {@code backtest_summary} row: a portfolio's statistics, or the pooled panel's ({@code portfolioId}
 * {@value PanelStatistics#ALL}). Procyclicality figures are null when they cannot be measured (no positive
 * margin, or no pair of dates 1 or 30 days apart); {@code pofRejectedShare} is null except on ALL.
 *
 * @param fromDate     first observation date
 * @param toDate       last observation date
 * @param coverage     1 − breaches / observations
 * @param redWindows   red 250-observation windows (ALL: summed over portfolios)
 * @param lastZone     zone of the last window (ALL: the worst last zone of the portfolios)
 * @param averageImUsd mean IM_t in USD over the observations (ALL: the sum of the portfolios' means)
 */
public record SummaryLine(String portfolioId, LocalDate fromDate, LocalDate toDate, long observations, long breaches,
    long imBreaches, double coverage, double pofLr, double pofP, double indLr, double indP, double ccLr, double ccP,
    TrafficLightZone lastZone, long redWindows, Double peakToTrough, Double max1dIncrease, Double max30dIncrease,
    Double pofRejectedShare, double averageImUsd) implements Serializable {}
