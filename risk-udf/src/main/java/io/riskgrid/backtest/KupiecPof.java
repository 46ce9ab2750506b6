package io.riskgrid.backtest;

/**
 * Kupiec's (1995) proportion-of-failures test of unconditional coverage: is the observed breach
 * frequency x/T consistent with the expected breach probability p?
 *
 * <p>{@code LR_POF = −2 ln[(1−p)^(T−x) p^x] + 2 ln[(1−x/T)^(T−x) (x/T)^x]}, with 0·ln 0 = 0, and
 * p-value {@code P(χ²(1) ≥ LR_POF)}. It is computed as the equivalent sum
 * {@code 2[(T−x) ln((1−x/T)/(1−p)) + x ln((x/T)/p)]}, which never subtracts two large
 * log-likelihoods. Edge cases: x = 0 gives {@code −2T ln(1−p)}, x = T gives {@code −2T ln p}.
 * T = 0 carries no information and is rejected with an {@link IllegalArgumentException}.
 */
public final class KupiecPof {

  private KupiecPof() {
  }

  /**
   * The proportion-of-failures test.
   *
   * @param observations       T, the number of observations, ≥ 1
   * @param breaches           x, the number of breaches, in [0, T]
   * @param breachProbability  p = 1 − confidence, the expected breach probability per
   *                           observation, in (0, 1)
   * @return the statistic LR_POF with its χ²(1) p-value
   * @throws IllegalArgumentException if T &lt; 1, x is outside [0, T] or p is outside (0, 1)
   */
  public static LikelihoodRatioTest test(long observations, long breaches, double breachProbability) {
    return LikelihoodRatioTest.ofChiSquare(statistic(observations, breaches, breachProbability), 1);
  }

  /**
   * The statistic LR_POF alone (see {@link #test}); dimensionless and ≥ 0.
   *
   * @param observations      T, ≥ 1
   * @param breaches          x, in [0, T]
   * @param breachProbability p, in (0, 1)
   * @return LR_POF
   */
  public static double statistic(long observations, long breaches, double breachProbability) {
    if (observations < 1) {
      throw new IllegalArgumentException(
          "Kupiec POF needs at least one observation, got T = " + observations
              + "; a portfolio without observations has no coverage to test");
    }
    if (breaches < 0 || breaches > observations) {
      throw new IllegalArgumentException(
          "breaches must be in [0, T = " + observations + "], got " + breaches);
    }
    double p = Probabilities.requireBreachProbability(breachProbability);
    double observedRate = (double) breaches / observations;
    double halfStatistic =
        Probabilities.countTimesLogComplementRatio(observations - breaches, observedRate, p)
            + Probabilities.countTimesLogRatio(breaches, observedRate, p);
    // The statistic is a Kullback-Leibler divergence, so ≥ 0; clamp rounding at x/T = p.
    return Math.max(0.0, 2.0 * halfStatistic);
  }
}
