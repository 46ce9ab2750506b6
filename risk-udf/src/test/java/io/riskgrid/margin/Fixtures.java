package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named market fixtures for margin tests: flat-vol surfaces, F = S unless a forward is listed. */
final class Fixtures {
  static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");
  static final Instant EXPIRY_30D = Instant.parse("2026-02-04T08:00:00Z");
  static final Instant EXPIRY_90D = Instant.parse("2026-04-05T08:00:00Z");
  static final Instant EXPIRY_12H = Instant.parse("2026-01-05T20:00:00Z");

  private Fixtures() {}

  /** One underlying at index {@code spot}, zero rate and basis, flat vol {@code vol} on a 30-day slice. */
  static UnderlyingMarket flat(String underlying, double spot, double vol) {
    double tau = TimeConventions.yearFraction(AS_OF, EXPIRY_30D);
    return new UnderlyingMarket(underlying, AS_OF, spot, 0.0, 0.0, Map.of(),
        List.of(SviSlice.flat(EXPIRY_30D, vol, tau)));
  }

  static MarketSnapshot snapshot(UnderlyingMarket... markets) {
    Map<String, UnderlyingMarket> m = new LinkedHashMap<>();
    for (UnderlyingMarket u : markets) {
      m.put(u.underlying(), u);
    }
    return new MarketSnapshot(AS_OF, m, Map.of());
  }

  static MarginCalculator calculator(MarketSnapshot market, MarginPolicy policy, Instrument... instruments) {
    return new MarginCalculator(InstrumentBook.build(market, Arrays.asList(instruments), policy,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
  }

  static Account usd(String id, List<Position> positions, List<CollateralBalance> collateral) {
    return new Account(id, null, "PORTFOLIO", "USD", positions, collateral);
  }

  static Account coin(String id, String coin, List<Position> positions, double coinBalance) {
    return new Account(id, null, "PORTFOLIO", coin, positions, List.of(new CollateralBalance(coin, coinBalance)));
  }

  static UnderlyingMargin only(AccountMargin m, String underlying) {
    return m.byUnderlying().stream().filter(u -> u.underlying().equals(underlying)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + underlying + " in " + m));
  }
}
