package io.riskgrid.backtest;

/** Argument checks and log-likelihood terms shared by the calculators of this package. */
final class Probabilities {

  private Probabilities() {
  }

  /** Requires an expected breach probability strictly inside (0, 1) and returns it. */
  static double requireBreachProbability(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(
          "breach probability p = 1 - confidence must be in (0, 1), got " + p
              + "; pass e.g. 0.01 for a 99% confidence margin");
    }
    return p;
  }

  /**
   * {@code n·ln(q/r)} for a count n of events with fitted probability q and reference
   * probability r, with the convention 0·ln 0 = 0: a zero count contributes nothing whatever the
   * probabilities.
   */
  static double countTimesLogRatio(long n, double q, double r) {
    return n == 0 ? 0.0 : n * (Math.log(q) - Math.log(r));
  }

  /**
   * {@code n·ln((1−q)/(1−r))}, the complement of {@link #countTimesLogRatio}, through
   * {@code log1p} so that small probabilities keep their digits; 0·ln 0 = 0 again.
   */
  static double countTimesLogComplementRatio(long n, double q, double r) {
    return n == 0 ? 0.0 : n * (Math.log1p(-q) - Math.log1p(-r));
  }

  /**
   * {@code w·ln(q/r)} for a non-negative real weight w (a sum of breach shares rather than a count), with
   * 0·ln 0 = 0 as in {@link #countTimesLogRatio}.
   */
  static double weightTimesLogRatio(double w, double q, double r) {
    return w == 0 ? 0.0 : w * (Math.log(q) - Math.log(r));
  }

  /** {@code w·ln((1−q)/(1−r))} for a real weight w, through {@code log1p}; 0·ln 0 = 0. */
  static double weightTimesLogComplementRatio(double w, double q, double r) {
    return w == 0 ? 0.0 : w * (Math.log1p(-q) - Math.log1p(-r));
  }
}
