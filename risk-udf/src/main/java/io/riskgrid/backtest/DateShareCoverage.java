package io.riskgrid.backtest;

/**
 * A pooled coverage test that assumes nothing about how the panel's portfolios depend on each other: Kupiec's
 * proportion of failures with each date as one trial, whose outcome is the share of the portfolios observed that
 * date that breached, s_d = b_d / n_d.
 *
 * <p>With D dates and x = Σ s_d: {@code LR = 2[(D−x) ln((1−x/D)/(1−p)) + x ln((x/D)/p)]}, with 0·ln 0 = 0, and
 * p-value {@code P(χ²(1) ≥ LR)}. Under a correct model every s_d has mean p whatever the correlation between
 * portfolios, and a share in [0, 1] with mean p has variance at most p(1−p), the variance of one Bernoulli trial
 * (s² ≤ s). Perfectly correlated portfolios reach it, and the test is then exactly Kupiec on one portfolio;
 * independent portfolios make s_d far less noisy, and the test is then conservative (it rejects less often than
 * its size). So a rejection here is a rejection whatever the dependence, while the pooled Kupiec over Σ n_d
 * observations assumes independent portfolios and overstates the evidence when they share one market. Dates are
 * treated as independent trials, as Kupiec treats days.
 */
public final class DateShareCoverage {

  private DateShareCoverage() {
  }

  /**
   * The outcome.
   *
   * @param dates        D, the dates with at least one observation, ≥ 1
   * @param breachShares x = Σ_d b_d / n_d, in [0, D]: the breaching dates, each weighted by its share
   * @param test         LR with its χ²(1) p-value
   */
  public record Result(int dates, double breachShares, LikelihoodRatioTest test) {

    /** @return the average breach share per date x/D, to compare with p */
    public double breachRate() {
      return breachShares / dates;
    }
  }

  /**
   * The test over per-date counts.
   *
   * @param observedByDate    n_d, the portfolios observed on each date, each ≥ 1
   * @param breachesByDate    b_d, those of them that breached, each in [0, n_d]; same length, at least one date
   * @param breachProbability p, in (0, 1)
   * @return the result
   */
  public static Result test(long[] observedByDate, long[] breachesByDate, double breachProbability) {
    double p = Probabilities.requireBreachProbability(breachProbability);
    if (observedByDate.length != breachesByDate.length) {
      throw new IllegalArgumentException("one breach count per date: " + observedByDate.length + " dates observed, "
          + breachesByDate.length + " breach counts");
    }
    if (observedByDate.length == 0) {
      throw new IllegalArgumentException("the per-date coverage test needs at least one date");
    }
    double breachShares = 0;
    double quietShares = 0;
    for (int d = 0; d < observedByDate.length; d++) {
      long n = observedByDate[d];
      long b = breachesByDate[d];
      if (n < 1 || b < 0 || b > n) {
        throw new IllegalArgumentException("date " + d + ": " + b + " breaches among " + n
            + " observed portfolios; need n >= 1 and 0 <= breaches <= n");
      }
      breachShares += (double) b / n;
      quietShares += (double) (n - b) / n;
    }
    int dates = observedByDate.length;
    double rate = breachShares / dates;
    double halfStatistic = Probabilities.weightTimesLogComplementRatio(quietShares, rate, p)
        + Probabilities.weightTimesLogRatio(breachShares, rate, p);
    // A Kullback-Leibler divergence again, so >= 0; clamp rounding at x/D = p.
    double statistic = Math.max(0.0, 2.0 * halfStatistic);
    return new Result(dates, breachShares, LikelihoodRatioTest.ofChiSquare(statistic, 1));
  }
}
