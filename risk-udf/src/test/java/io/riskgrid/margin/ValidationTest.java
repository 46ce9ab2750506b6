package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.AS_OF;
import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad-input path ends in REJECTED or DATA_ERROR with a reason and null figures, never a margin of 0. */
class ValidationTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final Instrument PERP_L = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1);
  private static final Instrument PERP_I = Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10);
  private static final Instrument ETH_PERP = Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1);
  private static final Instrument CALL = Instrument.option("BTC-C", "BTC", Settlement.LINEAR, OptionType.CALL, 60_000, EXPIRY_30D, 1);
  private static final Instrument EXPIRED = Instrument.future("BTC-OLD", "BTC", Settlement.LINEAR, Instant.parse("2026-01-05T08:00:00Z"), 1);

  private static MarginCalculator calc(MarketSnapshot market) {
    return Fixtures.calculator(market, SEED, PERP_L, PERP_I, ETH_PERP, CALL, EXPIRED);
  }

  private static MarginCalculator healthy() {
    return calc(Fixtures.snapshot(Fixtures.flat("BTC", 60_000, 0.5), Fixtures.flat("ETH", 3_000, 0.6)));
  }

  private static void assertInvalid(AccountMargin m, AccountStatus status, String reasonPart, String sourceTable) {
    assertEquals(status, m.status(), m.toString());
    assertTrue(m.reason().contains(reasonPart), m.reason());
    assertNull(m.im());
    assertNull(m.mm());
    assertNull(m.equity());
    assertNull(m.standardIm());
    assertNull(m.pmSaving());
    assertTrue(m.issues().stream().anyMatch(i -> i.sourceTable().equals(sourceTable) && i.status() == status), m.issues().toString());
  }

  private static Account usdWith(Position p) {
    return Fixtures.usd("bad", List.of(p), List.of(new CollateralBalance("USD", 1_000)));
  }

  @Test
  void anAccountWithARowTheImportRejectedIsRejectedWithThatReasonThoughItsRowsAreValid() {
    Account valid = usdWith(new Position("BTC-PERP-L", 0.01, 60_000));
    assertEquals(AccountStatus.OK, healthy().margin(valid).status(), "valid on its own");
    String why = "import book rejected a row of this account: positions.csv line 7: quantity 'x' is not a number";
    AccountMargin m = healthy().margin(valid.withInputReject(why));
    assertInvalid(m, AccountStatus.REJECTED, why, "accounts");
    assertEquals(why, m.reason(), "the import's reason comes first");
  }

  @Test
  void unknownInstrumentIsRejected() {
    assertInvalid(healthy().margin(usdWith(new Position("NOPE", 1, 1))), AccountStatus.REJECTED, "unknown instrument_id 'NOPE'", "positions");
  }

  @Test
  void inverseInstrumentInUsdAccountIsRejected() {
    assertInvalid(healthy().margin(usdWith(new Position(PERP_I.id(), 1, 60_000))), AccountStatus.REJECTED, "USD-margined", "positions");
  }

  @Test
  void linearInstrumentInCoinAccountIsRejected() {
    AccountMargin m = healthy().margin(Fixtures.coin("c", "BTC", List.of(new Position(PERP_L.id(), 1, 60_000)), 1));
    assertInvalid(m, AccountStatus.REJECTED, "BTC-margined", "positions");
  }

  @Test
  void coinAccountHoldingAnotherAssetIsRejected() {
    Account a = new Account("c", null, "PORTFOLIO", "BTC", List.of(), List.of(new CollateralBalance("USDT", 10)));
    assertInvalid(healthy().margin(a), AccountStatus.REJECTED, "can only hold BTC", "collateral");
  }

  @Test
  void expiredInstrumentIsRejected() {
    assertInvalid(healthy().margin(usdWith(new Position(EXPIRED.id(), 1, 60_000))), AccountStatus.REJECTED, "awaiting settlement", "positions");
  }

  @Test
  void futureWithoutEntryPriceIsRejected() {
    assertInvalid(healthy().margin(usdWith(new Position(PERP_L.id(), 1, Double.NaN))), AccountStatus.REJECTED, "entry_price", "positions");
  }

  /** A coin the market does not have: the accounts row is the reason, not its positions' currency mismatch. */
  @Test
  void anUnknownMarginCurrencyIsTheAccountsRowsFaultNotAPositions() {
    Account xrp = new Account("x", null, "PORTFOLIO", "XRP", List.of(new Position(PERP_L.id(), 1, 60_000)),
        List.of(new CollateralBalance("XRP", 10)));
    AccountMargin m = healthy().margin(xrp);
    assertInvalid(m, AccountStatus.REJECTED, "margin_currency 'XRP' is neither USD nor a coin of the market", "accounts");
    assertTrue(m.reason().contains("BTC"), m.reason());
  }

  @Test
  void nonFiniteQuantitiesAreRejected() {
    assertInvalid(healthy().margin(usdWith(new Position(PERP_L.id(), Double.POSITIVE_INFINITY, 60_000))),
        AccountStatus.REJECTED, "quantity must be finite", "positions");
    // A null quantity reaches the engine as NaN: the reason names both, not "got NaN" for an empty cell.
    assertInvalid(healthy().margin(Fixtures.usd("x", List.of(), List.of(new CollateralBalance("BTC", Double.NaN)))),
        AccountStatus.REJECTED, "quantity is missing (null) or NaN", "collateral");
    assertInvalid(healthy().margin(usdWith(new Position(PERP_L.id(), Double.NaN, 60_000))),
        AccountStatus.REJECTED, "quantity is missing (null) or NaN", "positions");
  }

  @Test
  void badMarginModeAndCurrencyAreRejected() {
    assertInvalid(healthy().margin(new Account("m", null, "CROSS", "USD", List.of(), List.of())),
        AccountStatus.REJECTED, "margin_mode 'CROSS'", "accounts");
    assertInvalid(healthy().margin(new Account("m", null, "PORTFOLIO", "USDT", List.of(), List.of())),
        AccountStatus.REJECTED, "margin_currency 'USDT'", "accounts");
  }

  @Test
  void collateralWithoutHaircutIsRejectedEvenWithoutPrice() {
    // No haircut (REJECTED) and no price (DATA_ERROR): REJECTED takes precedence.
    AccountMargin m = healthy().margin(Fixtures.usd("d", List.of(), List.of(new CollateralBalance("DOGE", 100))));
    assertInvalid(m, AccountStatus.REJECTED, "no haircut", "collateral");
    assertEquals(2, m.issues().size());
  }

  @Test
  void collateralWithHaircutButNoPriceIsDataError() {
    AccountMargin m = healthy().margin(Fixtures.usd("s", List.of(), List.of(new CollateralBalance("SOL", 100))));
    assertInvalid(m, AccountStatus.DATA_ERROR, "no index price for collateral asset 'SOL'", "collateral");
  }

  @Test
  void zeroCollateralRowsAreIgnored() {
    AccountMargin m = healthy().margin(Fixtures.usd("z", List.of(), List.of(new CollateralBalance("SOL", 0))));
    assertEquals(AccountStatus.OK, m.status());
  }

  @Test
  void invalidMarketOnOneUnderlyingOnlyHitsAccountsTouchingIt() {
    UnderlyingMarket badBtc = new UnderlyingMarket("BTC", AS_OF, 0.0, 0, 0, Map.of(), List.of());
    MarginCalculator calc = calc(Fixtures.snapshot(badBtc, Fixtures.flat("ETH", 3_000, 0.6)));
    assertInvalid(calc.margin(usdWith(new Position(PERP_L.id(), 1, 60_000))), AccountStatus.DATA_ERROR, "index price", "positions");
    assertInvalid(calc.margin(Fixtures.usd("col", List.of(), List.of(new CollateralBalance("BTC", 1)))),
        AccountStatus.DATA_ERROR, "index price", "collateral");
    AccountMargin eth = calc.margin(usdWith(new Position(ETH_PERP.id(), 1, 3_000)));
    assertEquals(AccountStatus.OK, eth.status(), eth.toString());
    assertTrue(eth.mm() > 0);
  }

  @Test
  void invalidSviSliceIsDataError() {
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, 60_000, 0, 0, Map.of(),
        List.of(new SviSlice(EXPIRY_30D, 0.01, 0.1, 1.5, 0, 0.1)));
    MarginCalculator calc = calc(Fixtures.snapshot(btc));
    assertInvalid(calc.margin(usdWith(new Position(CALL.id(), 1, Double.NaN))), AccountStatus.DATA_ERROR, "|rho|", "positions");
  }

  @Test
  void optionWithoutSurfaceOrMarkIvIsDataErrorButMarkIvRescuesIt() {
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, 60_000, 0, 0, Map.of(), List.of());
    MarginCalculator noVol = calc(Fixtures.snapshot(btc));
    assertInvalid(noVol.margin(usdWith(new Position(CALL.id(), 1, Double.NaN))), AccountStatus.DATA_ERROR, "no usable vol slice", "positions");
    MarketSnapshot withMark = new MarketSnapshot(AS_OF, Map.of("BTC", btc), Map.of(CALL.id(), 0.55));
    AccountMargin m = calc(withMark).margin(usdWith(new Position(CALL.id(), 1, Double.NaN)));
    assertEquals(AccountStatus.OK, m.status(), m.toString());
  }

  @Test
  void negativeTotalVarianceForAHeldOptionIsDataError() {
    // A valid slice (minimum variance a + b·sigma = 0, exactly representable) whose w(k) is 0 at the money.
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, 60_000, 0, 0, Map.of(),
        List.of(new SviSlice(EXPIRY_30D, -0.25, 0.5, 0.0, 0.0, 0.5)));
    MarginCalculator calc = calc(Fixtures.snapshot(btc));
    assertInvalid(calc.margin(usdWith(new Position(CALL.id(), 1, Double.NaN))), AccountStatus.DATA_ERROR, "w(k)", "positions");
  }
}
