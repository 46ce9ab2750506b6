package io.riskgrid.backtest;

import java.util.List;

/**
 * Counts breach transitions between observed days exactly {@code step} days apart, never across a
 * gap.
 *
 * <p>With {@code step = 1} every pair of calendar-consecutive observed days counts. With
 * {@code step = h > 1}, for h-day horizons whose overlapping losses are autocorrelated by
 * construction, only every h-th day is used: the days whose distance from the first observed day
 * is a multiple of h. Of those, a pair counts when the two days are exactly h apart; a missing day
 * breaks the chain and its neighbours are not paired.
 */
public final class TransitionCounter {

  private TransitionCounter() {
  }

  /**
   * Counts over a series in which every day is observed (no gaps), step 1.
   *
   * @param breaches breach flags of consecutive days
   * @return the transition counts, totalling {@code max(0, n − 1)}
   */
  public static TransitionCounts count(boolean[] breaches) {
    return count(BreachSeries.ofConsecutive(breaches), 1);
  }

  /**
   * Counts over observed days given as a list (see {@link BreachSeries#of}).
   *
   * @param observedDays days strictly increasing, possibly with gaps
   * @param step         h ≥ 1, the distance in days between paired observations
   * @return the transition counts
   */
  public static TransitionCounts count(List<BreachDay> observedDays, int step) {
    return count(BreachSeries.of(observedDays), step);
  }

  /**
   * Counts over a breach series.
   *
   * @param series observed days, possibly with gaps
   * @param step   h ≥ 1, the distance in days between paired observations
   * @return the transition counts
   */
  public static TransitionCounts count(BreachSeries series, int step) {
    if (step < 1) {
      throw new IllegalArgumentException("step h must be >= 1 day, got " + step);
    }
    long[] counts = new long[4]; // indexed 2·from + to
    int previous = -1;
    for (int i = 0; i < series.size(); i++) {
      if (Math.floorMod(series.day(i) - series.day(0), (long) step) != 0) {
        continue;
      }
      if (previous >= 0 && series.day(i) - series.day(previous) == step) {
        counts[2 * state(series.breach(previous)) + state(series.breach(i))]++;
      }
      previous = i;
    }
    return TransitionCounts.of(counts[0], counts[1], counts[2], counts[3]);
  }

  private static int state(boolean breach) {
    return breach ? 1 : 0;
  }
}
