package io.riskgrid.backtest;

/**
 * Which observed days Kupiec, the traffic light and the breach counts use when the loss horizon h is longer than
 * a day. Consecutive h-day losses overlap by h − 1 days, so counting every day counts one market move up to h
 * times and the binomial tests' independence assumption fails; counting every h-th day keeps only losses over
 * disjoint windows, at the cost of 1/h of the observations. Christoffersen's transitions use every h-th day
 * either way ({@link TransitionCounter}). With h = 1 both count every day.
 */
public enum WindowCounting {
  /** Every observed day: with h &gt; 1, overlapping h-day losses. */
  OVERLAPPING,
  /** Every h-th day from the portfolio's first observed day, the rule of {@link TransitionCounter}. */
  NON_OVERLAPPING;

  /**
   * Whether an observed day counts.
   *
   * @param day         the day index (epoch day)
   * @param firstDay    the portfolio's first observed day index
   * @param horizonDays h ≥ 1
   * @return true for every day when OVERLAPPING; when NON_OVERLAPPING, for days a multiple of h after the first
   */
  public boolean counts(long day, long firstDay, int horizonDays) {
    if (horizonDays < 1) {
      throw new IllegalArgumentException("horizon h must be >= 1 day, got " + horizonDays);
    }
    return this == OVERLAPPING || Math.floorMod(day - firstDay, (long) horizonDays) == 0;
  }
}
