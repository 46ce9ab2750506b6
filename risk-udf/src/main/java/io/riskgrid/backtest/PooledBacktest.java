package io.riskgrid.backtest;

import java.util.Objects;

/**
 * The backtest pooled over a panel of portfolios. Counts and transitions are summed over
 * portfolios (transitions never pair days of different portfolios). The pooled tests treat the
 * pooled counts as one sample, which assumes independence across portfolios: portfolios sharing
 * a market are correlated, so read them as a summary, not a calibrated test. Build it with
 * {@link BacktestSummarizer#pool}.
 *
 * @param portfolios          the number of portfolios pooled, ≥ 1
 * @param observations        Σ T, ≥ portfolios
 * @param breaches            Σ x, in [0, Σ T]
 * @param transitions         the summed transition counts
 * @param pof                 Kupiec POF on the pooled counts, χ²(1)
 * @param independence        Christoffersen independence on the summed transitions, χ²(1)
 * @param conditionalCoverage their sum, χ²(2)
 * @param significance        the size at which portfolios count as rejected, in (0, 1)
 * @param kupiecRejections    the number of portfolios whose own Kupiec p-value is &lt; significance
 */
public record PooledBacktest(
    int portfolios,
    long observations,
    long breaches,
    TransitionCounts transitions,
    LikelihoodRatioTest pof,
    LikelihoodRatioTest independence,
    LikelihoodRatioTest conditionalCoverage,
    double significance,
    int kupiecRejections) {

  /** Validates counts and non-null parts. */
  public PooledBacktest {
    if (portfolios < 1) {
      throw new IllegalArgumentException("pool at least one portfolio, got " + portfolios);
    }
    if (observations < portfolios) {
      throw new IllegalArgumentException(
          "every portfolio has >= 1 observation: " + observations + " observations for "
              + portfolios + " portfolios");
    }
    if (breaches < 0 || breaches > observations) {
      throw new IllegalArgumentException(
          "breaches must be in [0, " + observations + "], got " + breaches);
    }
    Objects.requireNonNull(transitions, "transitions");
    Objects.requireNonNull(pof, "pof");
    Objects.requireNonNull(independence, "independence");
    Objects.requireNonNull(conditionalCoverage, "conditionalCoverage");
    if (!(significance > 0 && significance < 1)) {
      throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
    }
    if (kupiecRejections < 0 || kupiecRejections > portfolios) {
      throw new IllegalArgumentException(
          "kupiecRejections must be in [0, " + portfolios + "], got " + kupiecRejections);
    }
  }

  /** @return the pooled coverage 1 − Σx/ΣT */
  public double coverage() {
    return 1.0 - (double) breaches / observations;
  }

  /** @return the share of portfolios whose Kupiec test rejects at {@link #significance()} */
  public double kupiecRejectionShare() {
    return (double) kupiecRejections / portfolios;
  }
}
