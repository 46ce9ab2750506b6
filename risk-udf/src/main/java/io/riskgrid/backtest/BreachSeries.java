package io.riskgrid.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The observed days of one portfolio's backtest in increasing day order, each with its breach
 * flag. Days not observed (missing markets, DATA_ERROR or REJECTED status) are simply absent:
 * the series may have gaps, which {@link TransitionCounter} respects.
 */
public final class BreachSeries {

  private final long[] days;
  private final boolean[] breaches;

  private BreachSeries(long[] days, boolean[] breaches) {
    this.days = days;
    this.breaches = breaches;
  }

  /**
   * A series from observed days.
   *
   * @param observedDays the days, strictly increasing by {@link BreachDay#day()}; may be empty
   * @return the series
   * @throws IllegalArgumentException if a day repeats or the days are out of order
   */
  public static BreachSeries of(List<BreachDay> observedDays) {
    Objects.requireNonNull(observedDays, "observedDays");
    long[] days = new long[observedDays.size()];
    boolean[] breaches = new boolean[observedDays.size()];
    for (int i = 0; i < days.length; i++) {
      BreachDay observed = Objects.requireNonNull(observedDays.get(i), "observedDays[" + i + "]");
      if (i > 0 && observed.day() <= days[i - 1]) {
        throw new IllegalArgumentException(
            "observed days must be strictly increasing: observedDays[" + i + "] has day "
                + observed.day() + " after day " + days[i - 1] + "; sort them and drop duplicates");
      }
      days[i] = observed.day();
      breaches[i] = observed.breach();
    }
    return new BreachSeries(days, breaches);
  }

  /**
   * A series of consecutive days 0, 1, …, n−1, every day observed.
   *
   * @param breaches the breach flag of each day, in day order
   * @return the series
   */
  public static BreachSeries ofConsecutive(boolean[] breaches) {
    Objects.requireNonNull(breaches, "breaches");
    long[] days = new long[breaches.length];
    for (int i = 0; i < days.length; i++) {
      days[i] = i;
    }
    return new BreachSeries(days, breaches.clone());
  }

  /** @return the number of observed days T */
  public int size() {
    return days.length;
  }

  /** @return the number of breaching days x */
  public long breachCount() {
    long count = 0;
    for (boolean breach : breaches) {
      if (breach) {
        count++;
      }
    }
    return count;
  }

  /** @param index position in [0, size) @return the day index of that observation */
  public long day(int index) {
    return days[index];
  }

  /** @param index position in [0, size) @return whether that observation breached */
  public boolean breach(int index) {
    return breaches[index];
  }

  /** @return a copy of the breach flags in day order, gaps closed up */
  public boolean[] breaches() {
    return breaches.clone();
  }

  /** @return the observed days as values, in day order */
  public List<BreachDay> toList() {
    List<BreachDay> list = new ArrayList<>(days.length);
    for (int i = 0; i < days.length; i++) {
      list.add(BreachDay.of(days[i], breaches[i]));
    }
    return List.copyOf(list);
  }
}
