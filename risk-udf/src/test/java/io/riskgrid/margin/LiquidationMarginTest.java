package io.riskgrid.margin;

import static io.riskgrid.margin.Fixtures.EXPIRY_30D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.pricing.Black76;
import io.riskgrid.valuation.IndexMoveGrid;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Liquidation distances and the liquidation curve of DESIGN §7.5 as the margin calculator fills them,
 * against hand formulas (delta-one books, whose P&amp;L is exact on the grid), Black-76 called directly
 * (options), and a count of statuses (the curve at 0).
 */
class LiquidationMarginTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final double S = 60_000;
  private static final Instrument PERP = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1.0);
  private static final Instrument FUT = Instrument.future("BTC-30D-L", "BTC", Settlement.LINEAR, EXPIRY_30D, 1.0);
  private static final Instrument INVERSE_PERP = Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10.0);
  private static final Instrument PUT = Instrument.option("BTC-30D-54000-P", "BTC", Settlement.LINEAR, OptionType.PUT,
      54_000, EXPIRY_30D, 1.0);
  private static final Instrument ETH_PERP = Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1.0);
  private static final double[] MOVES = IndexMoveGrid.moves();

  private static MarketSnapshot market() {
    return Fixtures.snapshot(Fixtures.flat("BTC", S, 0.5), Fixtures.flat("ETH", 3_000, 0.6));
  }

  private static MarginCalculator calculator(RiskKernel kernel) {
    return new MarginCalculator(InstrumentBook.build(market(), List.of(PERP, FUT, INVERSE_PERP, PUT, ETH_PERP), SEED,
        kernel), kernel, false, true);
  }

  private static List<CollateralBalance> usdc(double amount) {
    return List.of(new CollateralBalance("USDC", amount));
  }

  /**
   * The figures-only sibling (what-if's incremental margins): the same margin figures, bit for bit, with
   * no liquidation distances and no contributions; and it is made once.
   */
  @Test
  void figuresOnlyGivesTheSameFiguresWithoutDistancesOrContributions() {
    MarginCalculator full = new MarginCalculator(InstrumentBook.build(market(), List.of(PERP, FUT, INVERSE_PERP, PUT,
        ETH_PERP), SEED, ScalarKernel.INSTANCE), ScalarKernel.INSTANCE, true, true);
    MarginCalculator lean = full.figuresOnly();
    assertSame(lean, full.figuresOnly());
    Account a = Fixtures.usd("a", List.of(new Position(PERP.id(), 2, S), new Position(PUT.id(), -3, 0),
        new Position(ETH_PERP.id(), -10, 3_000)), usdc(40_000));
    AccountMargin withAll = full.margin(a);
    AccountMargin figures = lean.margin(a);
    assertEquals(withAll.mm(), figures.mm(), 0.0);
    assertEquals(withAll.im(), figures.im(), 0.0);
    assertEquals(withAll.equity(), figures.equity(), 0.0);
    assertNotNull(withAll.liqMoveDown());
    assertNull(figures.liqMoveDown());
    assertNull(figures.liqMoveUp());
    assertTrue(withAll.byUnderlying().stream().anyMatch(u -> !u.contributions().isEmpty()));
    assertTrue(figures.byUnderlying().stream().allMatch(u -> u.contributions().isEmpty()));
  }

  @Test
  void theGridIsMinusFiftyToFiftyPercentInHalfPercentSteps() {
    assertEquals(201, MOVES.length);
    assertEquals(-0.5, MOVES[0], 0.0);
    assertEquals(0.0, MOVES[IndexMoveGrid.ZERO], 0.0);
    assertEquals(0.005, MOVES[IndexMoveGrid.ZERO + 1], 0.0);
    assertEquals(0.5, MOVES[200], 0.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"scalar", "simd"})
  void aLongPerpetualInAUsdAccountIsLiquidatedAtTheCushionOverQTimesS(String kernelName) {
    RiskKernel kernel = kernelName.equals("scalar") ? ScalarKernel.INSTANCE : SimdKernel.INSTANCE;
    AccountMargin m = calculator(kernel).margin(Fixtures.usd("long", List.of(new Position(PERP.id(), 2, S)), usdc(30_000)));
    assertEquals(AccountStatus.OK, m.status());
    double expected = (m.equity() - m.mm()) / (2 * S);
    assertTrue(expected > 0 && expected < 0.5, "the hand distance is on the grid: " + expected);
    assertEquals(expected, m.liqMoveDown(), 1e-12);
    assertNull(m.liqMoveUp(), "a long perpetual gains when prices rise");
  }

  @Test
  void aShortPerpetualIsLiquidatedUpwardAndAnAccountBelowMmHasDistanceZero() {
    MarginCalculator calc = calculator(ScalarKernel.INSTANCE);
    AccountMargin shortPerp = calc.margin(Fixtures.usd("short", List.of(new Position(PERP.id(), -1, S)), usdc(20_000)));
    assertEquals((shortPerp.equity() - shortPerp.mm()) / S, shortPerp.liqMoveUp(), 1e-12);
    assertNull(shortPerp.liqMoveDown());
    AccountMargin below = calc.margin(Fixtures.usd("below", List.of(new Position(PERP.id(), 1, S)), List.of()));
    assertEquals(AccountStatus.LIQUIDATION, below.status());
    assertEquals(0.0, below.liqMoveDown(), 0.0);
    assertEquals(0.0, below.liqMoveUp(), 0.0);
  }

  @Test
  void aFullyHedgedAccountHasNoLiquidationDistance() {
    // Perpetual against a future of the same underlying at F = S: P&L(x) = 0 at every x; MM is C_fut only.
    AccountMargin m = calculator(ScalarKernel.INSTANCE).margin(Fixtures.usd("hedged",
        List.of(new Position(PERP.id(), 3, S), new Position(FUT.id(), -3, S)), usdc(10_000)));
    assertTrue(m.mm() > 0 && m.equity() > m.mm());
    assertNull(m.liqMoveDown());
    assertNull(m.liqMoveUp());
  }

  @Test
  void coinCollateralWithAStablecoinLoanMovesByItsHaircutBalance() {
    // 1 BTC at a 5% haircut against a 40,000 USDC loan: equity 57,000 − 40,000; P&L(x) = 57,000·x.
    AccountMargin m = calculator(ScalarKernel.INSTANCE).margin(Fixtures.usd("loan", List.of(),
        List.of(new CollateralBalance("BTC", 1.0), new CollateralBalance("USDC", -40_000))));
    assertEquals(17_000, m.equity(), 1e-9);
    assertEquals(8_550, m.mm(), 1e-9);
    assertEquals((17_000 - 8_550) / 57_000.0, m.liqMoveDown(), 1e-12);
    assertNull(m.liqMoveUp());
  }

  @Test
  void theMovePnlOfAnOptionIsBlack76AtTheMovedForwardWithVolAndTimeUnchanged() {
    MarginCalculator calc = calculator(ScalarKernel.INSTANCE);
    double q = -4;
    calc.marginAll(List.of(Fixtures.usd("put", List.of(new Position(PUT.id(), q, 0)), usdc(50_000))));
    double[] pnl = calc.movePnl(0);
    double tau = TimeConventions.yearFraction(Fixtures.AS_OF, EXPIRY_30D);
    double base = Black76.price(false, S, 54_000, tau, 0.5, 0.0);
    for (int k = 0; k < MOVES.length; k++) {
      double expected = k == IndexMoveGrid.ZERO ? 0.0
          : q * (Black76.price(false, S * (1 + MOVES[k]), 54_000, tau, 0.5, 0.0) - base);
      assertEquals(expected, pnl[k], 1e-9 * Math.max(1, Math.abs(expected)), "move " + MOVES[k]);
    }
  }

  @Test
  void aCoinAccountsInversePerpetualLosesInCoinAndItsDistanceSolvesTheInverseFormula() {
    // BTC account, 10,000 contracts of N = 10 USD long: P&L(x) = N·q·(1/S − 1/(S(1+x))) BTC.
    double q = 10_000;
    MarginCalculator calc = calculator(ScalarKernel.INSTANCE);
    AccountMargin m = calc.marginAll(List.of(Fixtures.coin("coin", "BTC", List.of(new Position(INVERSE_PERP.id(), q, S)),
        1.0))).get(0);
    double[] pnl = calc.movePnl(0);
    for (int k = 0; k < MOVES.length; k++) {
      assertEquals(10 * q * (1 / S - 1 / (S * (1 + MOVES[k]))), pnl[k], 1e-15, "move " + MOVES[k]);
    }
    // Between grid points the distance is linear interpolation; recompute it from the hand P&L.
    double cushion = m.equity() - m.mm();
    int k = IndexMoveGrid.ZERO;
    double before = cushion;
    double after = cushion + pnl[k - 1];
    while (after >= 0) {
      k--;
      before = after;
      after = cushion + 10 * q * (1 / S - 1 / (S * (1 + MOVES[k - 1])));
    }
    double expected = -MOVES[k] + before / (before - after) * 0.005;
    assertEquals(expected, m.liqMoveDown(), 1e-12);
  }

  @Test
  void theCurveAtZeroCountsTheAccountsInLiquidationAndAddsShortfallsInUsd() {
    MarginCalculator calc = calculator(SimdKernel.INSTANCE);
    List<Account> accounts = List.of(
        Fixtures.usd("a", List.of(new Position(PERP.id(), 1, S)), List.of()),
        Fixtures.usd("b", List.of(new Position(PERP.id(), 2, S)), usdc(30_000)),
        Fixtures.usd("c", List.of(new Position(ETH_PERP.id(), -10, 3_000)), usdc(2_000)),
        Fixtures.coin("d", "BTC", List.of(new Position(INVERSE_PERP.id(), 10_000, S)), 1.0),
        Fixtures.usd("bad", List.of(new Position("NO-SUCH", 1, S)), List.of()));
    List<AccountMargin> margins = calc.marginAll(accounts);
    LiquidationCurve curve = new LiquidationCurve();
    long inLiquidation = 0;
    for (int a = 0; a < accounts.size(); a++) {
      AccountMargin m = margins.get(a);
      if (!m.isValid()) {
        assertNull(calc.movePnl(a));
        continue;
      }
      inLiquidation += m.status() == AccountStatus.LIQUIDATION ? 1 : 0;
      curve.add(calc.movePnl(a), m.equity(), m.mm(), m.marginCurrency().equals("USD") ? Double.NaN : S);
    }
    assertTrue(inLiquidation >= 1);
    assertEquals(inLiquidation, curve.accountsLiquidated(IndexMoveGrid.ZERO));
    // At −10%: account a (equity 0, 1 perp) is 6,000 USD short; b's cushion; c gains; d in coin at 54,000.
    int minus10 = IndexMoveGrid.ZERO - 20;
    assertEquals(-0.1, MOVES[minus10], 1e-15);
    double[] handPnl = {1 * S * -0.1, 2 * S * -0.1, -10 * 3_000 * -0.1, 10 * 10_000 * (1 / S - 1 / (0.9 * S))};
    double shortfall = 0;
    double atRisk = 0;
    long count = 0;
    for (int a = 0; a < 4; a++) {
      AccountMargin m = margins.get(a);
      double after = m.equity() + handPnl[a];
      if (after < m.mm()) {
        double usd = a == 3 ? S * 0.9 : 1.0;
        count++;
        shortfall += Math.max(0, -after) * usd;
        atRisk += Math.max(0, after) * usd;
      }
    }
    assertEquals(count, curve.accountsLiquidated(minus10));
    assertEquals(shortfall, curve.shortfallUsd(minus10), 1e-9 * Math.max(1, shortfall));
    assertEquals(atRisk, curve.equityAtRiskUsd(minus10), 1e-9 * Math.max(1, atRisk));
    assertTrue(curve.shortfallUsd(minus10) >= 6_000 - 1e-9, "account a alone is 6,000 USD short at -10%");
  }

  @Test
  void withoutLiquidationTheMarginsCarryNoDistances() {
    MarginCalculator calc = new MarginCalculator(InstrumentBook.build(market(), List.of(PERP), SEED,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
    AccountMargin m = calc.margin(Fixtures.usd("x", List.of(new Position(PERP.id(), 1, S)), usdc(30_000)));
    assertNull(m.liqMoveDown());
    assertNull(calc.movePnl(0));
  }
}
