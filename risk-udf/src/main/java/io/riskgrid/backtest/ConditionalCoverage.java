package io.riskgrid.backtest;

/**
 * Christoffersen's (1998) conditional coverage test: correct breach frequency and independence
 * jointly. {@code LR_cc = LR_POF + LR_ind}, with p-value {@code P(χ²(2) ≥ LR_cc)}.
 *
 * <p>As in common practice (e.g. MATLAB {@code varbacktest}), LR_POF uses all T observations and
 * LR_ind the counted transitions, which number at most T − 1.
 */
public final class ConditionalCoverage {

  private ConditionalCoverage() {
  }

  /**
   * The conditional coverage test from its two parts.
   *
   * @param proportionOfFailures the {@link KupiecPof} test (1 degree of freedom)
   * @param independence         the {@link ChristoffersenIndependence} test (1 degree of freedom)
   * @return LR_cc with its χ²(2) p-value
   */
  public static LikelihoodRatioTest test(
      LikelihoodRatioTest proportionOfFailures, LikelihoodRatioTest independence) {
    if (proportionOfFailures.degreesOfFreedom() != 1 || independence.degreesOfFreedom() != 1) {
      throw new IllegalArgumentException(
          "conditional coverage combines two 1-degree-of-freedom tests, got "
              + proportionOfFailures.degreesOfFreedom() + " and "
              + independence.degreesOfFreedom());
    }
    return LikelihoodRatioTest.ofChiSquare(
        proportionOfFailures.statistic() + independence.statistic(), 2);
  }

  /**
   * The conditional coverage test from counts.
   *
   * @param observations      T, ≥ 1
   * @param breaches          x, in [0, T]
   * @param breachProbability p = 1 − confidence, in (0, 1)
   * @param transitions       transition counts of the same observations
   * @return LR_cc with its χ²(2) p-value
   */
  public static LikelihoodRatioTest test(
      long observations, long breaches, double breachProbability, TransitionCounts transitions) {
    return test(
        KupiecPof.test(observations, breaches, breachProbability),
        ChristoffersenIndependence.test(transitions));
  }
}
