package io.riskgrid.backtest.history;

import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.UnderlyingMarket;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * The market of one UTC day of history: the snapshot a backtest margins and revalues against, and the
 * {@link VolSource} of every underlying in it. For a daily close the valuation instant is the next day at
 * 00:00:00Z ({@link #closeInstant}, DESIGN §3), so the markets of t and t+h are exactly h days apart.
 *
 * @param date       the UTC calendar day t
 * @param snapshot   every underlying's market at the day's valuation instant
 * @param volSources the source of each underlying's vol, one per underlying of the snapshot
 */
public record DailyMarket(LocalDate date, MarketSnapshot snapshot, Map<String, VolSource> volSources)
    implements Serializable {

  public DailyMarket {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(snapshot, "snapshot of " + date);
    volSources = Map.copyOf(volSources);
    for (String u : snapshot.underlyings().keySet()) {
      if (!volSources.containsKey(u)) {
        throw new IllegalArgumentException("market of " + date + " has " + u + " but no vol source for it");
      }
    }
  }

  /** The valuation instant of the close of UTC day {@code date}: {@code date + 1} at 00:00:00Z. */
  public static Instant closeInstant(LocalDate date) {
    return date.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** The snapshot's valuation instant. */
  public Instant asOf() {
    return snapshot.asOf();
  }

  /** The market of an underlying, or null when the day has none. */
  public UnderlyingMarket underlying(String underlying) {
    return snapshot.underlying(underlying);
  }

  /** The index S of an underlying, USD per coin, or NaN when the day has none. */
  public double index(String underlying) {
    UnderlyingMarket m = snapshot.underlying(underlying);
    return m == null ? Double.NaN : m.index();
  }

  /** Where the underlying's vol came from, or null when the day has no market for it. */
  public VolSource volSource(String underlying) {
    return volSources.get(underlying);
  }
}
