package io.riskgrid.backtest.history;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Daily markets by UTC day, in date order, possibly with gaps (a day without a market is simply absent).
 * Immutable and serializable: a backtest broadcasts it to every task.
 */
public final class MarketHistory implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<LocalDate, DailyMarket> days;

  private MarketHistory(TreeMap<LocalDate, DailyMarket> days) {
    this.days = days;
  }

  /** A history of the given days; each date may appear once. */
  public static MarketHistory of(Collection<DailyMarket> markets) {
    TreeMap<LocalDate, DailyMarket> days = new TreeMap<>();
    for (DailyMarket m : markets) {
      if (days.put(m.date(), m) != null) {
        throw new IllegalArgumentException("two markets for " + m.date() + "; a history has one market per day");
      }
    }
    return new MarketHistory(days);
  }

  /** The market of a day, or null when the history has none. */
  public DailyMarket on(LocalDate date) {
    return days.get(date);
  }

  /** The dates with a market, in order. */
  public List<LocalDate> dates() {
    return List.copyOf(days.keySet());
  }

  /** Every market, in date order. */
  public Collection<DailyMarket> markets() {
    return Collections.unmodifiableCollection(days.values());
  }

  /** The days in [from, to], both included. */
  public MarketHistory between(LocalDate from, LocalDate to) {
    return new MarketHistory(new TreeMap<>(days.subMap(from, true, to, true)));
  }

  /** Every underlying that has a market on at least one day. */
  public SortedSet<String> underlyings() {
    TreeSet<String> names = new TreeSet<>();
    for (DailyMarket m : days.values()) {
      names.addAll(m.snapshot().underlyings().keySet());
    }
    return Collections.unmodifiableSortedSet(names);
  }

  /** The index of an underlying by day, USD per coin, for the days that have one. */
  public NavigableMap<LocalDate, Double> indexSeries(String underlying) {
    TreeMap<LocalDate, Double> series = new TreeMap<>();
    for (DailyMarket m : days.values()) {
      double s = m.index(underlying);
      if (!Double.isNaN(s)) {
        series.put(m.date(), s);
      }
    }
    return Collections.unmodifiableNavigableMap(series);
  }

  /** Daily log returns ln(S_d / S_{d−1}) on days whose previous calendar day also has an index. */
  public NavigableMap<LocalDate, Double> logReturns(String underlying) {
    NavigableMap<LocalDate, Double> s = indexSeries(underlying);
    TreeMap<LocalDate, Double> returns = new TreeMap<>();
    for (var e : s.entrySet()) {
      Double previous = s.get(e.getKey().minusDays(1));
      if (previous != null) {
        returns.put(e.getKey(), Math.log(e.getValue() / previous));
      }
    }
    return Collections.unmodifiableNavigableMap(returns);
  }

  public int size() {
    return days.size();
  }

  public boolean isEmpty() {
    return days.isEmpty();
  }

  public LocalDate first() {
    return days.firstKey();
  }

  public LocalDate last() {
    return days.lastKey();
  }

  /** The calendar days from {@code from} to {@code to}, both included, whether or not they have a market. */
  public static List<LocalDate> calendar(LocalDate from, LocalDate to) {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      out.add(d);
    }
    return out;
  }
}
