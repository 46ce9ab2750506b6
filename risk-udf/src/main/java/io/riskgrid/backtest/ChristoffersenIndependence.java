package io.riskgrid.backtest;

/**
 * Christoffersen's (1998) test that breaches are independent of the previous observation's
 * breach, against a first-order Markov alternative.
 *
 * <p>With π0 = n01/(n00+n01), π1 = n11/(n10+n11) and π = (n01+n11)/(n00+n01+n10+n11):
 * {@code LR_ind = −2 ln[(1−π)^(n00+n10) π^(n01+n11)] + 2 ln[(1−π0)^n00 π0^n01 (1−π1)^n10 π1^n11]},
 * with 0·ln 0 = 0, and p-value {@code P(χ²(1) ≥ LR_ind)}. LR_ind is 0 (p-value 1) when no pair ends
 * in a breach or none ends quiet, including when there are no pairs at all: a constant sequence
 * carries no evidence of clustering.
 */
public final class ChristoffersenIndependence {

  private ChristoffersenIndependence() {
  }

  /**
   * The independence test on transition counts.
   *
   * @param transitions counts from {@link TransitionCounter}
   * @return LR_ind with its χ²(1) p-value
   */
  public static LikelihoodRatioTest test(TransitionCounts transitions) {
    return LikelihoodRatioTest.ofChiSquare(statistic(transitions), 1);
  }

  /**
   * The independence test on observed days, counting transitions first.
   *
   * @param series observed days, possibly with gaps
   * @param step   h ≥ 1, see {@link TransitionCounter#count(BreachSeries, int)}
   * @return LR_ind with its χ²(1) p-value
   */
  public static LikelihoodRatioTest test(BreachSeries series, int step) {
    return test(TransitionCounter.count(series, step));
  }

  /**
   * The statistic LR_ind alone (see {@link #test(TransitionCounts)}); dimensionless and ≥ 0.
   *
   * @param t transition counts
   * @return LR_ind
   */
  public static double statistic(TransitionCounts t) {
    if (t.toBreach() == 0 || t.toQuiet() == 0) {
      return 0.0;
    }
    double pi = (double) t.toBreach() / t.total();
    // A state never left has no fitted probability; its counts are 0, so its terms vanish.
    double pi0 = t.n00() + t.n01() == 0 ? pi : (double) t.n01() / (t.n00() + t.n01());
    double pi1 = t.n10() + t.n11() == 0 ? pi : (double) t.n11() / (t.n10() + t.n11());
    double halfStatistic =
        Probabilities.countTimesLogComplementRatio(t.n00(), pi0, pi)
            + Probabilities.countTimesLogRatio(t.n01(), pi0, pi)
            + Probabilities.countTimesLogComplementRatio(t.n10(), pi1, pi)
            + Probabilities.countTimesLogRatio(t.n11(), pi1, pi);
    // The Markov model nests the independent one, so the statistic is ≥ 0 up to rounding.
    return Math.max(0.0, 2.0 * halfStatistic);
  }
}
