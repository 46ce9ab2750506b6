package io.riskgrid.backtest;

/**
 * Procyclicality measures of an aggregate margin series A_t (CPMI-IOSCO's peak-to-trough and
 * n-day increases), all in calendar days:
 * <ul>
 *   <li>peak-to-trough {@code max A / min A} over all dates;</li>
 *   <li>largest 1-day increase {@code max(A_t / A_{t−1} − 1)} over dates t whose previous calendar
 *       day is also in the series;</li>
 *   <li>largest 30-day increase {@code max(A_t / A_{t−30} − 1)} over dates t for which the date
 *       exactly 30 calendar days earlier is in the series.</li>
 * </ul>
 * A missing day is never bridged: a pair spanning a gap, or ending on a date whose partner is
 * missing, does not count. An increase with no pair is NaN (see {@link ProcyclicalityMetrics}).
 * Non-positive margins are rejected when the {@link MarginSeries} is built.
 */
public final class Procyclicality {

  /** The horizon of the longer increase, in calendar days. */
  public static final int LONG_HORIZON_DAYS = 30;

  private Procyclicality() {
  }

  /**
   * All three measures.
   *
   * @param margin the aggregate margin series
   * @return peak-to-trough and the largest 1-day and 30-day increases
   */
  public static ProcyclicalityMetrics measure(MarginSeries margin) {
    double max = margin.value(0);
    double min = margin.value(0);
    for (int i = 1; i < margin.size(); i++) {
      max = Math.max(max, margin.value(i));
      min = Math.min(min, margin.value(i));
    }
    Increase oneDay = largestIncreaseWithPairs(margin, 1);
    Increase thirtyDay = largestIncreaseWithPairs(margin, LONG_HORIZON_DAYS);
    return new ProcyclicalityMetrics(
        max / min, oneDay.largest, oneDay.pairs, thirtyDay.largest, thirtyDay.pairs);
  }

  /**
   * The largest relative increase over pairs of dates exactly {@code days} calendar days apart.
   *
   * @param margin the series
   * @param days   the horizon in calendar days, ≥ 1
   * @return {@code max(A_t / A_{t−days} − 1)}, or NaN when no such pair exists
   */
  public static double largestIncrease(MarginSeries margin, int days) {
    return largestIncreaseWithPairs(margin, days).largest;
  }

  private static Increase largestIncreaseWithPairs(MarginSeries margin, int days) {
    if (days < 1) {
      throw new IllegalArgumentException("horizon must be >= 1 calendar day, got " + days);
    }
    double largest = Double.NEGATIVE_INFINITY;
    int pairs = 0;
    for (int i = 0; i < margin.size(); i++) {
      int earlier = margin.indexOf(margin.date(i).minusDays(days));
      if (earlier >= 0) {
        largest = Math.max(largest, margin.value(i) / margin.value(earlier) - 1);
        pairs++;
      }
    }
    return new Increase(pairs == 0 ? Double.NaN : largest, pairs);
  }

  private record Increase(double largest, int pairs) {
  }
}
