package io.riskgrid.backtest;

/**
 * Procyclicality of a margin series (see {@link Procyclicality}). The increases are relative:
 * 0.25 means the margin rose by 25%; a negative value means it only ever fell over such pairs.
 * An increase is NaN when its pair count is 0: no two dates of the series are that far apart.
 *
 * @param peakToTrough       max A / min A, ≥ 1 (1 for a single date)
 * @param maxOneDayIncrease  max over calendar-consecutive dates of A_t / A_{t−1 day} − 1, or NaN
 * @param oneDayPairs        the number of such date pairs, ≥ 0
 * @param maxThirtyDayIncrease max over dates t with t − 30 days present of A_t / A_{t−30} − 1,
 *                           or NaN
 * @param thirtyDayPairs     the number of such date pairs, ≥ 0
 */
public record ProcyclicalityMetrics(
    double peakToTrough,
    double maxOneDayIncrease,
    int oneDayPairs,
    double maxThirtyDayIncrease,
    int thirtyDayPairs) {

  /** Validates ranges and that an increase is NaN exactly when it has no pairs. */
  public ProcyclicalityMetrics {
    if (!(peakToTrough >= 1) || Double.isInfinite(peakToTrough)) {
      throw new IllegalArgumentException("peakToTrough must be finite and >= 1, got " + peakToTrough);
    }
    requireIncrease("maxOneDayIncrease", maxOneDayIncrease, oneDayPairs);
    requireIncrease("maxThirtyDayIncrease", maxThirtyDayIncrease, thirtyDayPairs);
  }

  private static void requireIncrease(String name, double increase, int pairs) {
    if (pairs < 0) {
      throw new IllegalArgumentException(name + " pair count must be >= 0, got " + pairs);
    }
    if (pairs == 0 ? !Double.isNaN(increase) : !(increase > -1) || Double.isInfinite(increase)) {
      throw new IllegalArgumentException(
          name + " must be NaN without pairs and finite > -1 otherwise, got " + increase + " over "
              + pairs + " pairs");
    }
  }
}
