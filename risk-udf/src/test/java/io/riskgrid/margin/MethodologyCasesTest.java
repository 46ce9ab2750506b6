package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.AS_OF;
import static io.riskgrid.margin.Fixtures.EXPIRY_12H;
import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static io.riskgrid.margin.Fixtures.EXPIRY_90D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.pricing.Black76;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import java.time.Instant;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Methodology cases checked against an independent re-computation: each expected risk array is built
 * here from Black-76 and the scenario definitions directly, not through the instrument book.
 */
class MethodologyCasesTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final ScenarioGrid GRID = SEED.scenarios().defaultGrid();
  private static final double S = 60_000;
  private static final double VOL = 0.5;

  /** Independent scan loss from a risk array function over the seed grid. */
  private static double expectedScanLoss(IntToDoubleFunction riskArray) {
    double loss = 0;
    for (int s = 0; s < GRID.size(); s++) {
      Scenario sc = GRID.get(s);
      double ra = riskArray.applyAsDouble(s);
      loss = Math.max(loss, sc.kind() == ScenarioKind.EXTREME ? -ra * sc.cover() : -ra);
    }
    return loss;
  }

  private static double tau(Instant expiry) {
    return TimeConventions.yearFraction(AS_OF, expiry);
  }

  /** Shocked Black-76 value of an option in scenario s, sticky strike, additive, seed scaling. */
  private static double shockedValue(boolean call, double strike, Instant expiry, int s) {
    Scenario sc = GRID.get(s);
    double t = tau(expiry);
    double g = Math.pow(30.0 / Math.max(t * 365, 1), 0.30);
    double vol = Math.max(VOL + sc.volShock() * g, 0.01);
    return Black76.price(call, S * (1 + sc.priceShock()), strike, Math.max(t - sc.horizonDays() / 365, 0), vol, 0);
  }

  private static double value(boolean call, double strike, Instant expiry) {
    return Black76.price(call, S, strike, tau(expiry), VOL, 0);
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
  }

  @Test
  void coveredCallInCoinMarginedAccount() {
    Instrument call = Instrument.option("BTC-30D-66000-C", "BTC", Settlement.INVERSE, OptionType.CALL, 66_000, EXPIRY_30D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, call);
    AccountMargin m = calc.margin(Fixtures.coin("cc", "BTC", List.of(new Position(call.id(), -1, Double.NaN)), 1.0));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double v0 = value(true, 66_000, EXPIRY_30D);
    IntToDoubleFunction ra = s -> -(shockedValue(true, 66_000, EXPIRY_30D, s) / (S * (1 + GRID.get(s).priceShock())) - v0 / S);
    for (int s = 0; s < GRID.size(); s++) {
      assertClose(ra.applyAsDouble(s), btc.riskArray()[s], "risk array " + GRID.get(s).label());
    }
    double scan = expectedScanLoss(ra);
    assertClose(scan, btc.scanLoss(), "scan loss in BTC");
    assertClose(0.01, btc.optionContingency(), "C_opt = 0.01·S·1 / S in coin");
    assertEquals(0.0, btc.futuresContingency());
    assertClose(scan + 0.01, m.mm(), "MM in BTC");
    assertClose(1 - v0 / S, m.equity(), "equity = 1 BTC − short call mark V/F");
    // Deribit's coin delta of a short call: −(∂V/∂F − V/F); the own-coin balance is excluded.
    double d = Black76.delta(true, S, 66_000, tau(EXPIRY_30D), VOL, 0);
    assertClose(-(d - v0 / S), btc.delta(), "delta");
    // Standard margin of the short call in coin: (max(0.15 − OTM/F, 0.10)·F + V)/F.
    double otm = 6_000;
    double stdIm = (Math.max(0.15 - otm / S, 0.10) * S + v0) / S;
    assertClose(stdIm, m.standardIm(), "standard IM");
    assertClose((0.075 * S + v0) / S, m.standardMm(), "standard MM");
    assertClose(1 - m.pmIm() / stdIm, m.pmSaving(), "PM saving");
  }

  @Test
  void calendarSpreadUsesEachTenorsVolScaling() {
    Instrument near = Instrument.option("C30", "BTC", Settlement.LINEAR, OptionType.CALL, 60_000, EXPIRY_30D, 1);
    Instrument far = Instrument.option("C90", "BTC", Settlement.LINEAR, OptionType.CALL, 60_000, EXPIRY_90D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, near, far);
    AccountMargin m = calc.margin(Fixtures.usd("cal",
        List.of(new Position("C30", -1, Double.NaN), new Position("C90", 1, Double.NaN)),
        List.of(new CollateralBalance("USDC", 50_000))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double n0 = value(true, 60_000, EXPIRY_30D);
    double f0 = value(true, 60_000, EXPIRY_90D);
    IntToDoubleFunction ra = s -> (shockedValue(true, 60_000, EXPIRY_90D, s) - f0) - (shockedValue(true, 60_000, EXPIRY_30D, s) - n0);
    assertClose(expectedScanLoss(ra), btc.scanLoss(), "calendar scan loss");
    // Different expiries are different (expiry, strike) buckets: the short leg is uncovered.
    assertClose(0.01 * S, btc.optionContingency(), "C_opt");
    assertClose(50_000 + f0 - n0, m.equity(), "equity");
    assertTrue(btc.vega() > 0, "long-dated long leg dominates vega");
  }

  @Test
  void optionExpiringInsideTheHorizonIsWorthIntrinsicOnTheShockedForward() {
    Instrument call = Instrument.option("C12H", "BTC", Settlement.LINEAR, OptionType.CALL, 61_000, EXPIRY_12H, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, call);
    AccountMargin m = calc.margin(Fixtures.usd("exp", List.of(new Position("C12H", -2, Double.NaN)), List.of()));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double v0 = value(true, 61_000, EXPIRY_12H);
    for (int s = 0; s < GRID.size(); s++) {
      double shockedFwd = S * (1 + GRID.get(s).priceShock());
      double expected = -2 * (Math.max(shockedFwd - 61_000, 0) - v0);
      assertClose(expected, btc.riskArray()[s], "intrinsic at " + GRID.get(s).label());
    }
    // Worst regular: p = +15%: 2·(69,000 − 61,000 − v0); extreme +30% with cover 0.33.
    double regular = 2 * (69_000 - 61_000 - v0);
    double extreme = 2 * (78_000 - 61_000 - v0) * 0.33;
    assertClose(Math.max(regular, extreme), btc.scanLoss(), "scan loss");
  }

  @Test
  void coinMarginedInversePerpetualAndOptions() {
    Instrument perp = Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10);
    Instrument put = Instrument.option("BTC-30D-54000-P", "BTC", Settlement.INVERSE, OptionType.PUT, 54_000, EXPIRY_30D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, perp, put);
    AccountMargin m = calc.margin(Fixtures.coin("inv", "BTC",
        List.of(new Position(perp.id(), -6_000, 62_000), new Position(put.id(), 1, Double.NaN)), 2.0));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double p0 = value(false, 54_000, EXPIRY_30D);
    IntToDoubleFunction ra = s -> {
      double shocked = S * (1 + GRID.get(s).priceShock());
      double perpPnl = -6_000 * 10 * (1 / S - 1 / shocked);
      double putPnl = shockedValue(false, 54_000, EXPIRY_30D, s) / shocked - p0 / S;
      return perpPnl + putPnl;
    };
    for (int s = 0; s < GRID.size(); s++) {
      assertClose(ra.applyAsDouble(s), btc.riskArray()[s], GRID.get(s).label());
    }
    assertClose(expectedScanLoss(ra), btc.scanLoss(), "scan loss");
    // C_fut on the perp bucket: |−6000·10/S| coin → 0.006·S·(60,000/S)/S = 0.006 coin.
    assertClose(0.006 * 6_000 * 10 / S, btc.futuresContingency(), "C_fut");
    assertEquals(0.0, btc.optionContingency());
    double equity = 2.0 + p0 / S + -6_000 * 10 * (1 / 62_000.0 - 1 / S);
    assertClose(equity, m.equity(), "equity in BTC");
    assertClose(-6_000 * 10 / S + (Black76.delta(false, S, 54_000, tau(EXPIRY_30D), VOL, 0) - p0 / S), btc.delta(), "delta");
  }

  @Test
  void wrongWayCollateralFallsTogetherWithShortPuts() {
    Instrument put = Instrument.option("P54", "BTC", Settlement.LINEAR, OptionType.PUT, 54_000, EXPIRY_30D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, put);
    AccountMargin m = calc.margin(Fixtures.usd("ww", List.of(new Position("P54", -3, Double.NaN)),
        List.of(new CollateralBalance("BTC", 2.0), new CollateralBalance("USDT", -10_000))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    double p0 = value(false, 54_000, EXPIRY_30D);
    IntToDoubleFunction ra = s -> 2.0 * 0.95 * S * GRID.get(s).priceShock() - 3 * (shockedValue(false, 54_000, EXPIRY_30D, s) - p0);
    assertClose(expectedScanLoss(ra), btc.scanLoss(), "collateral and short puts lose together");
    assertEquals("p-15_v+10", btc.bindingScenario());
    // A loan counts in full; positive balances are haircut.
    assertClose(2.0 * 0.95 * S - 10_000 - 3 * p0, m.equity(), "equity");
    assertClose(2.0 - 3 * Black76.delta(false, S, 54_000, tau(EXPIRY_30D), VOL, 0), btc.delta(), "delta incl. collateral");
  }

  @Test
  void spotLongFutureShortBasisTradeNetsExceptForTheHaircut() {
    Instrument fut = Instrument.future("F90", "BTC", Settlement.LINEAR, EXPIRY_90D, 1);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, fut);
    AccountMargin m = calc.margin(Fixtures.usd("basis", List.of(new Position("F90", -1, S)),
        List.of(new CollateralBalance("BTC", 1.0))));
    UnderlyingMargin btc = Fixtures.only(m, "BTC");
    // RA = 0.95·S·p − S·p = −0.05·S·p: worst at p = +15% → 450; extremes 0.05·0.30·S·0.33 = 297.
    assertClose(450, btc.scanLoss(), "scan loss");
    assertEquals("p+15_v-10", btc.bindingScenario());
    assertClose(360, btc.futuresContingency(), "C_fut");
    assertClose(0.0, btc.delta(), "delta nets to zero");
  }

  @Test
  void standardModeAccountUsesStandardMarginButReportsPortfolioFigures() {
    Instrument perp = Instrument.perpetual("P", "BTC", Settlement.LINEAR, 0.5);
    MarginCalculator calc = Fixtures.calculator(Fixtures.snapshot(Fixtures.flat("BTC", S, VOL)), SEED, perp);
    AccountMargin m = calc.margin(new Account("std", "parent-1", "STANDARD", "USD",
        List.of(new Position("P", 4, 59_000)), List.of(new CollateralBalance("USD", 3_000))));
    // Standard: IM 2% and MM 1% of |q|·m·S = 2·60,000.
    assertClose(0.02 * 120_000, m.im(), "IM");
    assertClose(0.01 * 120_000, m.mm(), "MM");
    assertClose(1.3 * (0.15 * 120_000 + 0.006 * 120_000), m.pmIm(), "PM IM reported");
    assertClose(3_000 + 4 * 0.5 * 1_000, m.equity(), "equity with unrealised P&L");
    assertEquals(AccountStatus.OK, m.status());
    assertEquals("parent-1", m.parentId());
  }
}
