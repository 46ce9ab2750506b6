package io.riskgrid.backtest;

import java.util.Objects;

/**
 * The backtest statistics of one portfolio: coverage tests, traffic light and procyclicality of
 * its margin. Build it with {@link BacktestSummarizer#summarize}.
 *
 * @param portfolioId         the backtest portfolio's identifier, not blank
 * @param observations        T, the observed days, ≥ 1
 * @param breaches            x, the days with loss &gt; MM, in [0, T]
 * @param transitions         breach transitions between observed days h apart
 * @param pof                 Kupiec proportion of failures, χ²(1)
 * @param independence        Christoffersen independence, χ²(1)
 * @param conditionalCoverage Christoffersen conditional coverage, χ²(2)
 * @param lastZone            the traffic light of the most recent window, NONE with no window
 * @param redWindows          the number of RED windows, ≥ 0
 * @param procyclicality      peak-to-trough and largest increases of the portfolio's margin
 */
public record BacktestSummary(
    String portfolioId,
    long observations,
    long breaches,
    TransitionCounts transitions,
    LikelihoodRatioTest pof,
    LikelihoodRatioTest independence,
    LikelihoodRatioTest conditionalCoverage,
    TrafficLightZone lastZone,
    int redWindows,
    ProcyclicalityMetrics procyclicality) {

  /** Validates counts, non-null parts and the tests' degrees of freedom. */
  public BacktestSummary {
    if (portfolioId == null || portfolioId.isBlank()) {
      throw new IllegalArgumentException("portfolioId must not be blank");
    }
    if (observations < 1) {
      throw new IllegalArgumentException(
          "portfolio " + portfolioId + ": observations must be >= 1, got " + observations);
    }
    if (breaches < 0 || breaches > observations) {
      throw new IllegalArgumentException(
          "portfolio " + portfolioId + ": breaches must be in [0, " + observations + "], got "
              + breaches);
    }
    Objects.requireNonNull(transitions, "transitions");
    if (transitions.total() > observations - 1) {
      throw new IllegalArgumentException(
          "portfolio " + portfolioId + ": " + transitions.total() + " transitions exceed T - 1 = "
              + (observations - 1));
    }
    requireDegrees("pof", pof, 1);
    requireDegrees("independence", independence, 1);
    requireDegrees("conditionalCoverage", conditionalCoverage, 2);
    Objects.requireNonNull(lastZone, "lastZone");
    if (redWindows < 0) {
      throw new IllegalArgumentException("redWindows must be >= 0, got " + redWindows);
    }
    Objects.requireNonNull(procyclicality, "procyclicality");
  }

  private static void requireDegrees(String name, LikelihoodRatioTest test, int degrees) {
    Objects.requireNonNull(test, name);
    if (test.degreesOfFreedom() != degrees) {
      throw new IllegalArgumentException(
          name + " must have " + degrees + " degree(s) of freedom, got " + test.degreesOfFreedom());
    }
  }

  /** @return the observed coverage 1 − x/T, in [0, 1] */
  public double coverage() {
    return 1.0 - (double) breaches / observations;
  }

  /** @return LR_POF */
  public double pofLr() {
    return pof.statistic();
  }

  /** @return the χ²(1) p-value of LR_POF */
  public double pofP() {
    return pof.pValue();
  }

  /** @return LR_ind */
  public double indLr() {
    return independence.statistic();
  }

  /** @return the χ²(1) p-value of LR_ind */
  public double indP() {
    return independence.pValue();
  }

  /** @return LR_cc = LR_POF + LR_ind */
  public double ccLr() {
    return conditionalCoverage.statistic();
  }

  /** @return the χ²(2) p-value of LR_cc */
  public double ccP() {
    return conditionalCoverage.pValue();
  }

  /** @return max A / min A of the portfolio's margin */
  public double peakToTrough() {
    return procyclicality.peakToTrough();
  }

  /** @return the largest 1-day relative margin increase, NaN without consecutive dates */
  public double max1dIncrease() {
    return procyclicality.maxOneDayIncrease();
  }

  /** @return the largest 30-day relative margin increase, NaN without dates 30 days apart */
  public double max30dIncrease() {
    return procyclicality.maxThirtyDayIncrease();
  }
}
