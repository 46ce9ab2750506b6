package io.riskgrid.backtest;

/**
 * First-order transition counts of a breach indicator between pairs of observed days, where 0 is
 * no breach and 1 a breach: {@code nij} counts pairs whose earlier day is in state i and later day
 * in state j. So {@code n01} is a quiet day followed by a breach, {@code n11} two breaches in a
 * row. Counts are non-negative; {@link #plus} sums them over portfolios.
 *
 * @param n00 quiet → quiet
 * @param n01 quiet → breach
 * @param n10 breach → quiet
 * @param n11 breach → breach
 */
public record TransitionCounts(long n00, long n01, long n10, long n11) implements java.io.Serializable {

  /** No transitions at all. */
  public static final TransitionCounts ZERO = new TransitionCounts(0, 0, 0, 0);

  /** Validates that every count is ≥ 0. */
  public TransitionCounts {
    if (n00 < 0 || n01 < 0 || n10 < 0 || n11 < 0) {
      throw new IllegalArgumentException(
          "transition counts must be >= 0, got n00=" + n00 + " n01=" + n01 + " n10=" + n10
              + " n11=" + n11);
    }
  }

  /**
   * Transition counts.
   *
   * @param n00 quiet → quiet, ≥ 0
   * @param n01 quiet → breach, ≥ 0
   * @param n10 breach → quiet, ≥ 0
   * @param n11 breach → breach, ≥ 0
   * @return the counts
   */
  public static TransitionCounts of(long n00, long n01, long n10, long n11) {
    return new TransitionCounts(n00, n01, n10, n11);
  }

  /** @return the number of counted pairs, n00 + n01 + n10 + n11 */
  public long total() {
    return n00 + n01 + n10 + n11;
  }

  /** @return the pairs whose later day breached, n01 + n11 */
  public long toBreach() {
    return n01 + n11;
  }

  /** @return the pairs whose later day did not breach, n00 + n10 */
  public long toQuiet() {
    return n00 + n10;
  }

  /**
   * @param other counts to add, e.g. another portfolio's
   * @return the element-wise sum
   */
  public TransitionCounts plus(TransitionCounts other) {
    return new TransitionCounts(
        Math.addExact(n00, other.n00), Math.addExact(n01, other.n01),
        Math.addExact(n10, other.n10), Math.addExact(n11, other.n11));
  }
}
