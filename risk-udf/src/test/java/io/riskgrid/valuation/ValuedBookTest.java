package io.riskgrid.valuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.policy.ScenarioPolicy;
import io.riskgrid.pricing.Black76;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stage 1's valued book against independent calculations: Black-76 of {@code io.riskgrid.pricing}
 * for marks, central finite differences of the settlement-currency value for the Greeks, the
 * hand formula for futures rows, and the surface read directly for the vol lookup.
 */
class ValuedBookTest {
  private static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");
  private static final Instant E1 = Instant.parse("2026-02-27T08:00:00Z");
  private static final Instant E2 = Instant.parse("2026-06-26T08:00:00Z");
  private static final double SPOT = 94_000;
  private static final double RATE = 0.03;
  private static final ScenarioPolicy SCENARIOS = PolicyLoader.preset("deribit-like").scenarios();

  private static final Instrument LINEAR_CALL =
      Instrument.option("LC", "BTC", Settlement.LINEAR, OptionType.CALL, 105_000, E1, 0.1);
  private static final Instrument INVERSE_PUT =
      Instrument.option("IP", "BTC", Settlement.INVERSE, OptionType.PUT, 85_000, E2, 1);
  private static final Instrument MARKED_CALL =
      Instrument.option("MC", "BTC", Settlement.INVERSE, OptionType.CALL, 120_000, E2, 1);
  private static final Instrument INVERSE_FUTURE = Instrument.future("IF", "BTC", Settlement.INVERSE, E2, 10);
  private static final Instrument LINEAR_PERP = Instrument.perpetual("LP", "BTC", Settlement.LINEAR, 0.01);
  private static final Instrument EXPIRED =
      Instrument.option("EX", "BTC", Settlement.LINEAR, OptionType.CALL, 90_000, AS_OF, 1);
  private static final Instrument NO_MARKET = Instrument.perpetual("SOLP", "SOL", Settlement.LINEAR, 1);

  private static MarketSnapshot market() {
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, SPOT, RATE, 0.0, Map.of(E2, 96_500.0),
        List.of(new SviSlice(E1, 0.004, 0.05, -0.25, 0.02, 0.15), new SviSlice(E2, 0.012, 0.08, -0.30, 0.03, 0.20)));
    return new MarketSnapshot(AS_OF, Map.of("BTC", btc), Map.of("MC", 0.61));
  }

  private static ValuedBook book(RiskKernel kernel) {
    return ValuedBookBuilder.build(market(), List.of(LINEAR_CALL, INVERSE_PUT, MARKED_CALL, INVERSE_FUTURE, LINEAR_PERP,
        EXPIRED, NO_MARKET), Map.of(), SCENARIOS, kernel);
  }

  @Test
  void resolvesForwardTenorAndVolFromTheMarket() {
    MarketSnapshot market = market();
    UnderlyingMarket btc = market.underlying("BTC");
    ResolvedInstrument future = ResolvedInstrument.resolve(market, btc, INVERSE_FUTURE);
    assertEquals(96_500.0, future.forward(), "listed forward of E2");
    assertEquals(TimeConventions.yearFraction(AS_OF, E2), future.tau());
    assertTrue(Double.isNaN(future.vol()), "a future has no vol");
    ResolvedInstrument perp = ResolvedInstrument.resolve(market, btc, LINEAR_PERP);
    assertEquals(SPOT, perp.forward(), "perpetuals are marked at the index");
    assertEquals(0.0, perp.tau());
    ResolvedInstrument put = ResolvedInstrument.resolve(market, btc, INVERSE_PUT);
    assertEquals(btc.surfaceVol("IP", E2, put.tau(), Math.log(85_000 / 96_500.0)), put.vol(), "surface at ln(K/F)");
    assertEquals(0.61, ResolvedInstrument.resolve(market, btc, MARKED_CALL).vol(), "a listed mark IV wins");
    assertEquals(Math.exp(-RATE * put.tau()), put.discount(), 1e-16);
  }

  @Test
  void optionMarksAreBlack76OnTheResolvedInputs() {
    for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      ValuedBook book = book(kernel);
      for (Instrument ins : List.of(LINEAR_CALL, INVERSE_PUT, MARKED_CALL)) {
        ResolvedInstrument r = ResolvedInstrument.resolve(market(), market().underlying("BTC"), ins);
        double v = Black76.price(ins.isCall(), r.forward(), ins.strike(), r.tau(), r.vol(), r.rate());
        int i = book.indexOf(ins.id());
        assertEquals(v, book.optionPrice(i), 1e-10 * v, kernel + " " + ins.id());
        double mark = ins.isInverse() ? ins.multiplier() * v / r.forward() : ins.multiplier() * v;
        assertEquals(mark, book.markValue(i), 1e-10 * mark, kernel + " " + ins.id());
        assertEquals(r.forward(), book.forward(i));
      }
    }
  }

  /** Settlement-currency value of one contract as a function of F and σ, from Black-76 directly. */
  private static double settlementValue(Instrument ins, double f, double tau, double vol) {
    double v = Black76.price(ins.isCall(), f, ins.strike(), tau, vol, RATE);
    return ins.multiplier() * (ins.isInverse() ? v / f : v);
  }

  private static double coinDelta(Instrument ins, double f, double tau, double vol) {
    double hd = f * 1e-5;
    double slope = (settlementValue(ins, f + hd, tau, vol) - settlementValue(ins, f - hd, tau, vol)) / (2 * hd);
    return ins.isInverse() ? f * slope : slope;
  }

  @Test
  void greeksAreFiniteDifferencesOfTheSettlementValue() {
    ValuedBook book = book(ScalarKernel.INSTANCE);
    for (Instrument ins : List.of(LINEAR_CALL, INVERSE_PUT, MARKED_CALL)) {
      ResolvedInstrument r = ResolvedInstrument.resolve(market(), market().underlying("BTC"), ins);
      int i = book.indexOf(ins.id());
      double f = r.forward();
      // Delta in coin: ∂V/∂F for linear, F·∂(V/F)/∂F = V′ − V/F for inverse (Deribit's convention);
      // gamma is ∂delta/∂F. A small step for delta (truncation ~h²), a larger one for gamma.
      double delta = coinDelta(ins, f, r.tau(), r.vol());
      assertEquals(delta, book.delta(i), 1e-7 * Math.abs(book.delta(i)) + 1e-12, ins.id() + " delta");
      double h = f * 1e-4;
      double gamma = (coinDelta(ins, f + h, r.tau(), r.vol()) - coinDelta(ins, f - h, r.tau(), r.vol())) / (2 * h);
      assertEquals(gamma, book.gamma(i), 1e-5 * Math.abs(book.gamma(i)), ins.id() + " gamma");
      double dv = 1e-5;
      double vega = (settlementValue(ins, f, r.tau(), r.vol() + dv) - settlementValue(ins, f, r.tau(), r.vol() - dv))
          / (2 * dv) * 0.01;
      assertEquals(vega, book.vega(i), 1e-7 * Math.abs(vega), ins.id() + " vega per vol point");
      // Theta per day with F fixed: −∂V/∂T / 365, and for USD exposures vega × S for inverse contracts.
      double dt = 1e-5;
      double theta = -(settlementValue(ins, f, r.tau() + dt, r.vol()) - settlementValue(ins, f, r.tau() - dt, r.vol()))
          / (2 * dt) / 365;
      assertEquals(theta, book.theta(i), 1e-6 * Math.abs(theta), ins.id() + " theta per day");
      assertEquals(book.vega(i) * (ins.isInverse() ? SPOT : 1.0), book.vegaUsd(i), 1e-12 * Math.abs(book.vegaUsd(i)));
    }
  }

  @Test
  void deltaOneRowsAreTheHandFormula() {
    ValuedBook book = book(ScalarKernel.INSTANCE);
    int fut = book.indexOf("IF");
    int perp = book.indexOf("LP");
    ScenarioGrid grid = book.grid(book.underlyingOf(fut));
    for (int s = 0; s < grid.size(); s++) {
      Scenario sc = grid.get(s);
      double f = 96_500.0;
      // N·(1/F − 1/F'), coin, and m·(S' − S), USD.
      assertEquals(10 * (1 / f - 1 / (f * (1 + sc.priceShock()))), book.pnl().get(fut, s), 1e-18, "IF s=" + s);
      assertEquals(0.01 * (SPOT * (1 + sc.priceShock()) - SPOT), book.pnl().get(perp, s), 1e-9, "LP s=" + s);
    }
    assertEquals(10 / 96_500.0, book.coinPerContract(fut), 1e-18, "N/F coin per inverse contract");
    assertEquals(10.0, book.notionalUsd(fut));
    assertEquals(0.01 * SPOT, book.notionalUsd(perp), 1e-9);
    assertEquals(0.0, book.markValue(fut));
  }

  @Test
  void whatCannotBeValuedCarriesAReasonAndNaNNeverZero() {
    ValuedBook book = book(ScalarKernel.INSTANCE);
    int expired = book.indexOf("EX");
    assertNotNull(book.rejectReason(expired));
    assertTrue(book.rejectReason(expired).contains("awaiting settlement"), book.rejectReason(expired));
    int sol = book.indexOf("SOLP");
    assertEquals("no market data for underlying SOL", book.dataError(sol));
    for (int i : new int[] {expired, sol}) {
      assertTrue(!book.isValued(i));
      assertTrue(Double.isNaN(book.markValue(i)) && Double.isNaN(book.delta(i)) && Double.isNaN(book.forward(i)));
      for (int s = 0; s < book.pnl().rowLength(i); s++) {
        assertTrue(Double.isNaN(book.pnl().get(i, s)), "row " + i + " s=" + s);
      }
    }
    assertNull(book.dataError(book.indexOf("IF")));
    assertTrue(Double.isNaN(book.spot(book.underlyingIndexOf("SOL"))));
    assertEquals(-1, book.indexOf("nope"));
  }

  @Test
  void anInstrumentListedTwiceIsRefusedByName() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ValuedBookBuilder.build(market(),
        List.of(INVERSE_FUTURE, INVERSE_FUTURE), Map.of(), SCENARIOS, ScalarKernel.INSTANCE));
    assertTrue(e.getMessage().contains("IF is listed twice"), e.getMessage());
  }
}
