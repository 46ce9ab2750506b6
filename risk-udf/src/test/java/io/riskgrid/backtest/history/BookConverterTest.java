package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An account of date D in the backtest's relative form (DESIGN §3.6), checked by hand and by going back: the converted
 * legs re-instantiated on D's own market give back the original strikes and expiries, and the engine's margin of the
 * re-instantiated account agrees (§3.4 agreement) with its margin of the original account.
 */
class BookConverterTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final LocalDate D = LocalDate.of(2026, 1, 5);
  /** A snapshot time that is not on the hour: tenors are then fractions of a day. */
  private static final Instant AS_OF = Instant.parse("2026-01-05T10:23:17.250Z");
  private static final Instant E7 = Instant.parse("2026-01-12T08:00:00Z");
  private static final Instant E30 = Instant.parse("2026-02-04T08:00:00Z");
  private static final Instant E90 = Instant.parse("2026-03-27T08:00:00Z");
  private static final double S_BTC = 60_000;
  private static final double S_ETH = 3_000;
  /** Listed forwards of E30 and E90; E7 has none, so F = S·exp(b·T). */
  private static final double F_BTC_30 = 60_400;
  private static final double F_BTC_90 = 61_250;
  private static final double F_ETH_30 = 3_021;
  private static final double BASIS = 0.05;

  private static MarketSnapshot market() {
    Map<String, UnderlyingMarket> m = new TreeMap<>();
    m.put("BTC", new UnderlyingMarket("BTC", AS_OF, S_BTC, 0, BASIS, Map.of(E30, F_BTC_30, E90, F_BTC_90),
        List.of(slice(E7, 0.55), slice(E30, 0.5), slice(E90, 0.47))));
    m.put("ETH", new UnderlyingMarket("ETH", AS_OF, S_ETH, 0, BASIS, Map.of(E30, F_ETH_30),
        List.of(slice(E7, 0.7), slice(E30, 0.65), slice(E90, 0.6))));
    return new MarketSnapshot(AS_OF, m, Map.of());
  }

  /** A skewed raw SVI slice with ATM vol about {@code atm}. */
  private static SviSlice slice(Instant expiry, double atm) {
    double tau = (expiry.getEpochSecond() - AS_OF.getEpochSecond()) / (365 * 86400.0);
    return new SviSlice(expiry, atm * atm * tau * 0.8, 0.1 * atm * Math.sqrt(tau) * 2, -0.3, 0.0, 0.1);
  }

  private static final List<Instrument> INSTRUMENTS = List.of(
      Instrument.option("BTC_USDC-30-65000-C", "BTC", Settlement.LINEAR, OptionType.CALL, 65_000, E30, 0.01),
      Instrument.option("BTC_USDC-7-58000-P", "BTC", Settlement.LINEAR, OptionType.PUT, 58_000, E7, 0.01),
      Instrument.option("ETH_USDC-30-2800-P", "ETH", Settlement.LINEAR, OptionType.PUT, 2_800, E30, 0.1),
      Instrument.future("BTC_USDC-90", "BTC", Settlement.LINEAR, E90, 0.001),
      Instrument.perpetual("ETH_USDC-PERPETUAL", "ETH", Settlement.LINEAR, 0.01),
      Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10),
      Instrument.future("BTC-90", "BTC", Settlement.INVERSE, E90, 10),
      Instrument.option("BTC-30-70000-C", "BTC", Settlement.INVERSE, OptionType.CALL, 70_000, E30, 1),
      Instrument.option("SOL_USDC-30-150-C", "SOL", Settlement.LINEAR, OptionType.CALL, 150, E30, 1));

  private static final Account USD = new Account("U1", null, "PORTFOLIO", "USD", List.of(
      new Position("BTC_USDC-30-65000-C", 3, Double.NaN),
      new Position("BTC_USDC-7-58000-P", -40, Double.NaN),
      new Position("ETH_USDC-30-2800-P", -20, Double.NaN),
      new Position("BTC_USDC-90", -500, 59_000),
      new Position("ETH_USDC-PERPETUAL", 0, 3_100),
      new Position("ETH_USDC-PERPETUAL", 700, 3_100)),
      List.of(new CollateralBalance("usdc", 25_000), new CollateralBalance("BTC", 0.5), new CollateralBalance("USDT", 0)));
  private static final Account COIN = new Account("C1", null, "PORTFOLIO", "BTC", List.of(
      new Position("BTC-PERPETUAL", -3_000, 58_000),
      new Position("BTC-90", 1_200, 61_000),
      new Position("BTC-30-70000-C", -1.5, Double.NaN)),
      List.of(new CollateralBalance("BTC", 1.25)));
  private static final Account STANDARD = new Account("S1", null, "STANDARD", "USD", List.of(
      new Position("ETH_USDC-30-2800-P", -50, Double.NaN)), List.of(new CollateralBalance("USDC", 5_000)));

  private static BookConverter converter() {
    return new BookConverter(market(), INSTRUMENTS, Map.of("BAD-1", "instrument BAD-1.strike: must be > 0"), SEED,
        ScalarKernel.INSTANCE);
  }

  private static final double DAY_SECONDS = 86_400;

  /** Tenors, moneyness and coin quantities by hand. */
  @Test
  void legsAreTenorFromTheValuationInstantMoneynessOnTheOwnForwardAndCoinQuantity() {
    List<BookConverter.Outcome> out = converter().convert(List.of(USD, COIN));
    BacktestPortfolio usd = out.get(0).portfolio();
    BacktestPortfolio coin = out.get(1).portfolio();
    assertEquals("U1", usd.id());
    assertEquals("USD", usd.marginCurrency());
    assertEquals("PORTFOLIO", usd.marginMode());
    // 2026-01-05T10:23:17.250Z to 2026-02-04T08:00:00Z: 29 days, 21 h 36 min 42.75 s.
    double t30 = 29 + (21 * 3600 + 36 * 60 + 42.75) / DAY_SECONDS;
    double t7 = 6 + (21 * 3600 + 36 * 60 + 42.75) / DAY_SECONDS;
    double t90 = 80 + (21 * 3600 + 36 * 60 + 42.75) / DAY_SECONDS;
    List<PanelLeg> legs = usd.legs();
    assertEquals(5, legs.size(), "the zero-quantity perpetual gives no leg");
    assertLeg(legs.get(0), "BTC", InstrumentKind.OPTION, Settlement.LINEAR, OptionType.CALL, t30, 65_000 / F_BTC_30, 0.03);
    double f7 = S_BTC * Math.exp(BASIS * t7 / 365);
    assertLeg(legs.get(1), "BTC", InstrumentKind.OPTION, Settlement.LINEAR, OptionType.PUT, t7, 58_000 / f7, -0.4);
    assertLeg(legs.get(2), "ETH", InstrumentKind.OPTION, Settlement.LINEAR, OptionType.PUT, t30, 2_800 / F_ETH_30, -2);
    assertLeg(legs.get(3), "BTC", InstrumentKind.FUTURE, Settlement.LINEAR, null, t90, Double.NaN, -0.5);
    assertLeg(legs.get(4), "ETH", InstrumentKind.PERPETUAL, Settlement.LINEAR, null, 0, Double.NaN, 7);
    assertEquals(List.of(new CollateralBalance("USDC", 25_000), new CollateralBalance("BTC", 0.5)), usd.collateral());

    assertEquals("BTC", coin.marginCurrency());
    assertLeg(coin.legs().get(0), "BTC", InstrumentKind.PERPETUAL, Settlement.INVERSE, null, 0, Double.NaN,
        -3_000 * 10 / S_BTC);
    assertLeg(coin.legs().get(1), "BTC", InstrumentKind.FUTURE, Settlement.INVERSE, null, t90, Double.NaN,
        1_200 * 10 / F_BTC_90);
    assertLeg(coin.legs().get(2), "BTC", InstrumentKind.OPTION, Settlement.INVERSE, OptionType.CALL, t30,
        70_000 / F_BTC_30, -1.5);
    assertEquals(List.of(new CollateralBalance("BTC", 1.25)), coin.collateral());
  }

  private static void assertLeg(PanelLeg leg, String u, InstrumentKind kind, Settlement settlement, OptionType type,
      double tenorDays, double moneyness, double coinQuantity) {
    assertEquals(u, leg.underlying());
    assertEquals(kind, leg.kind());
    assertEquals(settlement, leg.settlement());
    assertEquals(type, leg.optionType());
    assertEquals(tenorDays, leg.tenorDays(), 1e-12 * Math.max(1, tenorDays));
    if (Double.isNaN(moneyness)) {
      assertTrue(Double.isNaN(leg.moneyness()));
    } else {
      assertEquals(moneyness, leg.moneyness(), 1e-14 * moneyness);
    }
    assertEquals(coinQuantity, leg.coinQuantity(), 1e-14 * Math.abs(coinQuantity));
    assertEquals(PanelLeg.TenorAnchor.VALUATION_INSTANT, leg.anchor());
  }

  /**
   * Going back: on D's own market the converted legs are the original instruments again (expiry to the microsecond,
   * strike to 1e-9 relative, quantity × multiplier to 1e-9) and margin the same as the original account.
   */
  @Test
  void reinstantiatedOnItsOwnDateTheAccountHasTheOriginalInstrumentsAndTheSameMargin() {
    DailyMarket own = new DailyMarket(D, market(), Map.of("BTC", VolSource.SURFACE, "ETH", VolSource.SURFACE));
    List<Account> accounts = List.of(USD, COIN, STANDARD);
    List<BookConverter.Outcome> out = converter().convert(accounts);
    MarginCalculator original = new MarginCalculator(InstrumentBook.build(market(), INSTRUMENTS, SEED,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
    Map<String, Instrument> byId = new HashMap<>();
    INSTRUMENTS.forEach(i -> byId.put(i.id(), i));
    int checkedLegs = 0;
    for (int k = 0; k < accounts.size(); k++) {
      Account a = accounts.get(k);
      InstantiatedPortfolio ip = PanelInstantiator.instantiate(out.get(k).portfolio(), own);
      List<Position> held = a.positions().stream().filter(p -> p.quantity() != 0).toList();
      double notional = 0;
      for (int i = 0; i < held.size(); i++) {
        Instrument was = byId.get(held.get(i).instrumentId());
        Instrument now = ip.instruments().get(i);
        assertEquals(was.expiry(), now.expiry(), was.id());
        assertEquals(was.kind(), now.kind());
        assertEquals(was.optionType(), now.optionType());
        if (was.isOption()) {
          assertEquals(was.strike(), now.strike(), 1e-9 * was.strike(), was.id());
        }
        double q = held.get(i).quantity() * was.multiplier();
        assertEquals(q, ip.account().positions().get(i).quantity() * now.multiplier(), 1e-9 * Math.abs(q), was.id());
        notional += Math.abs(q) * (was.isInverse() && !was.isOption() ? 1 : S_BTC);
        checkedLegs++;
      }
      AccountMargin before = original.margin(a);
      AccountMargin after = new MarginCalculator(InstrumentBook.build(own.snapshot(), ip.instruments(), SEED,
          ScalarKernel.INSTANCE), ScalarKernel.INSTANCE).margin(ip.account());
      assertTrue(before.isValid() && after.isValid(), a.accountId());
      assertEquals("PORTFOLIO", after.marginMode(), "every account is backtested on its portfolio margin");
      double n = notional / (a.marginCurrency().equals("USD") ? 1 : S_BTC);
      assertAgree(before.pmMm(), after.mm(), n, a.accountId() + " mm");
      assertAgree(before.pmIm(), after.im(), n, a.accountId() + " im");
      assertAgree(before.standardMm(), after.standardMm(), n, a.accountId() + " standard mm");
      assertAgree(before.equity() - unrealised(a, byId), after.equity(), n, a.accountId() + " equity");
      assertTrue(before.mm() > 0, a.accountId());
      for (UnderlyingMargin u : before.byUnderlying()) {
        double mm = after.byUnderlying().stream().filter(x -> x.underlying().equals(u.underlying())).findFirst()
            .orElseThrow().mm();
        assertAgree(u.mm(), mm, n, a.accountId() + " " + u.underlying());
      }
    }
    assertEquals(9, checkedLegs);
    assertTrue(out.get(2).portfolio().description().contains("STANDARD"), out.get(2).portfolio().description());
    assertTrue(original.margin(STANDARD).mm() != original.margin(STANDARD).pmMm(), "the STANDARD case tells them apart");
  }

  /**
   * Unrealised P&amp;L of the account's futures and perpetuals against entry at D's market (§3.4 Equity), by hand:
   * the re-instantiated positions open at mark and have none.
   */
  private static double unrealised(Account a, Map<String, Instrument> byId) {
    Map<String, Double> forward = Map.of("BTC_USDC-90", F_BTC_90, "ETH_USDC-PERPETUAL", S_ETH, "BTC-PERPETUAL", S_BTC,
        "BTC-90", F_BTC_90);
    double u = 0;
    for (Position p : a.positions()) {
      Instrument i = byId.get(p.instrumentId());
      if (i.isOption() || p.quantity() == 0) {
        continue;
      }
      double f = forward.get(i.id());
      u += i.isInverse() ? p.quantity() * i.multiplier() * (1 / p.entryPrice() - 1 / f)
          : p.quantity() * i.multiplier() * (f - p.entryPrice());
    }
    return u;
  }

  /** DESIGN §3.4: |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-9·N, N the notional (an over-estimate here is only looser by N). */
  private static void assertAgree(double a, double b, double notional, String what) {
    assertTrue(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9 * notional,
        what + ": " + a + " vs " + b);
  }

  /**
   * Two accounts holding one listed put share one instrument on every day, and a day that values them together
   * gives each the margin and loss it has alone.
   */
  @Test
  void accountsHoldingOneInstrumentShareItAndAreBacktestedAsIfAlone() {
    List<BookConverter.Outcome> out = converter().convert(List.of(USD, STANDARD));
    BacktestPortfolio usd = out.get(0).portfolio();
    BacktestPortfolio std = out.get(1).portfolio();
    LocalDate t = LocalDate.of(2023, 5, 17);
    MarketHistory history = SyntheticMarketGenerator.generate(t.minusDays(40), t.plusDays(1), 3);
    InstantiatedPortfolio a = PanelInstantiator.instantiate(usd, history.on(t));
    InstantiatedPortfolio b = PanelInstantiator.instantiate(std, history.on(t));
    assertEquals(a.instruments().get(2), b.instruments().get(0), "the ETH put of both accounts is one instrument");
    assertEquals(5, new java.util.HashSet<>(a.instruments()).size());
    DayResult together = new DailyBacktest(List.of(usd, std), SEED, ScalarKernel.INSTANCE, 1).run(history, t);
    assertEquals(2, together.observations().size(), together.skipped().toString());
    for (BacktestPortfolio p : List.of(usd, std)) {
      Observation alone = new DailyBacktest(List.of(p), SEED, ScalarKernel.INSTANCE, 1).run(history, t).observations().get(0);
      Observation both = together.observations().stream().filter(o -> o.portfolioId().equals(p.id())).findFirst()
          .orElseThrow();
      assertEquals(alone.mm(), both.mm(), 1e-12 * alone.mm(), p.id());
      assertEquals(alone.loss(), both.loss(), 1e-12 * Math.abs(alone.equityAtT()), p.id());
      assertTrue(alone.mm() > 0 && alone.loss() != 0, p.id());
    }
  }

  /** Accounts the engine cannot margin, or that hold nothing, come back with the reason; none is dropped. */
  @Test
  void accountsThatCannotBeConvertedAreListedWithTheirReason() {
    List<Account> accounts = new ArrayList<>(List.of(
        new Account("R1", null, "PORTFOLIO", "USD", List.of(new Position("NOPE", 1, Double.NaN)), List.of()),
        new Account("R2", null, "PORTFOLIO", "USD", List.of(new Position("BAD-1", 1, Double.NaN)), List.of()),
        new Account("R3", null, "PORTFOLIO", "BTC", List.of(new Position("BTC_USDC-90", 1, 60_000)), List.of()),
        new Account("E1", null, "PORTFOLIO", "USD", List.of(new Position("SOL_USDC-30-150-C", 1, Double.NaN)), List.of()),
        new Account("N1", null, "PORTFOLIO", "USD", List.of(new Position("ETH_USDC-PERPETUAL", 0, 3_000)),
            List.of(new CollateralBalance("USDC", 0))),
        new Account("ALL:USD", null, "PORTFOLIO", "USD", List.of(), List.of(new CollateralBalance("USDC", 1))),
        USD));
    List<BookConverter.Outcome> out = converter().convert(accounts);
    assertEquals(accounts.size(), out.size());
    assertUnconverted(out.get(0), "R1", "REJECTED", "unknown instrument_id 'NOPE'");
    assertUnconverted(out.get(1), "R2", "REJECTED", "malformed instrument");
    assertUnconverted(out.get(2), "R3", "REJECTED", "cannot be held in a BTC-margined account");
    assertUnconverted(out.get(3), "E1", "DATA_ERROR", "SOL");
    assertUnconverted(out.get(4), "N1", BookConverter.UNCONVERTIBLE, "nothing to backtest");
    assertUnconverted(out.get(5), "ALL:USD", BookConverter.UNCONVERTIBLE, "pooled row");
    assertTrue(out.get(6).converted());
    assertNull(out.get(6).reason());
  }

  private static void assertUnconverted(BookConverter.Outcome o, String id, String status, String reasonPart) {
    assertEquals(id, o.accountId());
    assertFalse(o.converted(), id);
    assertEquals(status, o.status(), id);
    assertTrue(o.reason().contains(reasonPart), id + ": " + o.reason());
  }
}
