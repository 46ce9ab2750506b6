package io.riskgrid.backtest.history;

import io.riskgrid.backtest.RejectionDirection;
import io.riskgrid.backtest.TrafficLightZone;
import io.riskgrid.backtest.TransitionCounts;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * One {@code backtest_summary} row: a portfolio's statistics, or the pooled panel's ({@code portfolioId}
 * {@value PanelStatistics#ALL}), or a group's pooled row ({@code ALL:<group>}, e.g. a book's accounts of one margin
 * currency), which has every field ALL has, over the group's portfolios only. Procyclicality figures are null when they cannot be measured (no positive
 * margin, or no pair of dates 1 or 30 days apart); {@code pofRejectedShare} is null except on ALL.
 *
 * @param fromDate            first observation date
 * @param toDate              last observation date
 * @param coverage            1 − breaches / observations
 * @param redWindows          red 250-observation windows; ALL: distinct windows, by their last date, in which at
 *                            least one portfolio is red
 * @param lastZone            zone of the last window (ALL: the worst last zone of the portfolios)
 * @param averageImUsd        mean IM_t in USD over the observations (ALL: the sum of the portfolios' means)
 * @param breachProbability   p = 1 − confidence, the expected breach rate the tests use
 * @param transitions         the breach transitions of the independence test (ALL: summed over portfolios)
 * @param pofDirection        which way Kupiec rejects at the significance, or NOT_REJECTED
 * @param indDirection        which way the independence test rejects, or NOT_REJECTED
 * @param ccDirection         which way conditional coverage rejects, or NOT_REJECTED
 * @param skippedDays         (portfolio, t) in the window that are not observations (ALL: summed, including
 *                            portfolios never observed)
 * @param redPortfolioWindows red windows summed over portfolios (a portfolio's own: its red windows)
 * @param procyclicalityFrom  first date of the margin series of the procyclicality figures, null without one
 * @param procyclicalityTo    last date of that series, null without one
 * @param procyclicalityDays  dates in that series (ALL: the dates on which every portfolio was observed)
 * @param dateShare           ALL only (null otherwise): Kupiec on the per-date breach share, which does not assume
 *                            independent portfolios ({@link io.riskgrid.backtest.DateShareCoverage})
 */
public record SummaryLine(String portfolioId, LocalDate fromDate, LocalDate toDate, long observations, long breaches,
    long imBreaches, double coverage, double pofLr, double pofP, double indLr, double indP, double ccLr, double ccP,
    TrafficLightZone lastZone, long redWindows, Double peakToTrough, Double max1dIncrease, Double max30dIncrease,
    Double pofRejectedShare, double averageImUsd, double breachProbability, TransitionCounts transitions,
    RejectionDirection pofDirection, RejectionDirection indDirection, RejectionDirection ccDirection, long skippedDays,
    long redPortfolioWindows, LocalDate procyclicalityFrom, LocalDate procyclicalityTo, long procyclicalityDays,
    DateShareLine dateShare) implements Serializable {}
