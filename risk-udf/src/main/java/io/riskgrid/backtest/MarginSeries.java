package io.riskgrid.backtest;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A daily aggregate margin series A_t, in the margin's own currency (USD for the exchange total;
 * only ratios of values are ever used, so the unit cancels). Dates are strictly increasing and may
 * have gaps; every value is finite and strictly positive, since procyclicality is measured by
 * ratios A_t / A_s.
 */
public final class MarginSeries {

  private final LocalDate[] dates;
  private final double[] values;

  private MarginSeries(LocalDate[] dates, double[] values) {
    this.dates = dates;
    this.values = values;
  }

  /**
   * A series from dates and values.
   *
   * @param dates  the dates, strictly increasing, at least one
   * @param values A_t on each date, finite and &gt; 0, same length
   * @return the series
   * @throws IllegalArgumentException if the series is empty, lengths differ, dates are not
   *                                  strictly increasing, or a value is not finite and positive
   */
  public static MarginSeries of(List<LocalDate> dates, double[] values) {
    Objects.requireNonNull(dates, "dates");
    Objects.requireNonNull(values, "values");
    if (dates.size() != values.length) {
      throw new IllegalArgumentException(
          "one margin value per date: " + dates.size() + " dates, " + values.length + " values");
    }
    if (dates.isEmpty()) {
      throw new IllegalArgumentException("a margin series needs at least one date");
    }
    LocalDate[] sortedDates = dates.toArray(new LocalDate[0]);
    for (int i = 0; i < sortedDates.length; i++) {
      Objects.requireNonNull(sortedDates[i], "dates[" + i + "]");
      if (i > 0 && !sortedDates[i].isAfter(sortedDates[i - 1])) {
        throw new IllegalArgumentException(
            "margin dates must be strictly increasing: dates[" + i + "] = " + sortedDates[i]
                + " does not follow " + sortedDates[i - 1] + "; sort them and drop duplicates");
      }
      requirePositive(sortedDates[i], values[i]);
    }
    return new MarginSeries(sortedDates, values.clone());
  }

  /**
   * A series from a date → value map, in date order whatever the map's own order.
   *
   * @param marginByDate A_t by date, at least one entry, values finite and &gt; 0
   * @return the series
   */
  public static MarginSeries of(Map<LocalDate, Double> marginByDate) {
    Objects.requireNonNull(marginByDate, "marginByDate");
    TreeMap<LocalDate, Double> sorted = new TreeMap<>(marginByDate);
    double[] values = new double[sorted.size()];
    int i = 0;
    for (Map.Entry<LocalDate, Double> entry : sorted.entrySet()) {
      values[i++] = Objects.requireNonNull(entry.getValue(), "margin on " + entry.getKey());
    }
    return of(List.copyOf(sorted.keySet()), values);
  }

  private static void requirePositive(LocalDate date, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "margin on " + date + " must be finite and > 0 to take ratios, got " + value
              + "; drop dates without margin (e.g. empty or DATA_ERROR) before measuring");
    }
  }

  /** @return the number of dates */
  public int size() {
    return dates.length;
  }

  /** @param index in [0, size) @return the date at that position */
  public LocalDate date(int index) {
    return dates[index];
  }

  /** @param index in [0, size) @return A_t at that position */
  public double value(int index) {
    return values[index];
  }

  /**
   * @param date a date
   * @return the position of that date, or a negative number when it is not in the series
   */
  public int indexOf(LocalDate date) {
    return Arrays.binarySearch(dates, date);
  }
}
