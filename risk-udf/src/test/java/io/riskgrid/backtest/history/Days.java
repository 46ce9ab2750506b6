package io.riskgrid.backtest.history;

import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made daily markets for tests: flat vol, zero rate, an optional basis. */
final class Days {
  static final LocalDate T = LocalDate.of(2024, 3, 1);

  private Days() {}

  /** A day with each underlying given as {name, index, vol} and basis 0. */
  static DailyMarket flat(LocalDate date, Object... nameIndexVol) {
    return withBasis(date, 0.0, nameIndexVol);
  }

  static DailyMarket withBasis(LocalDate date, double basis, Object... nameIndexVol) {
    Instant asOf = DailyMarket.closeInstant(date);
    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    Map<String, VolSource> sources = new LinkedHashMap<>();
    for (int i = 0; i < nameIndexVol.length; i += 3) {
      String u = (String) nameIndexVol[i];
      double s = ((Number) nameIndexVol[i + 1]).doubleValue();
      double vol = ((Number) nameIndexVol[i + 2]).doubleValue();
      markets.put(u, new UnderlyingMarket(u, asOf, s, 0.0, basis, Map.of(),
          List.of(SviSlice.flat(asOf.plusSeconds(30 * 86400L), vol, 30 / 365.0))));
      sources.put(u, VolSource.DVOL);
    }
    return new DailyMarket(date, new MarketSnapshot(asOf, markets, Map.of()), sources);
  }
}
