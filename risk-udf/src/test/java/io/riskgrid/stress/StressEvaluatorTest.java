package io.riskgrid.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.scenario.VolMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.MarginCalculator;
import org.junit.jupiter.api.Test;

class StressEvaluatorTest {
  private static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");
  private static final Instrument PERP_L = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1);
  private static final Instrument PERP_I = Instrument.perpetual("BTC-PERPETUAL", "BTC", Settlement.INVERSE, 10);

  private static MarketSnapshot market() {
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, 60_000, 0, 0, Map.of(),
        List.of(SviSlice.flat(AS_OF.plusSeconds(30 * 86400L), 0.5, 30 / 365.0)));
    UnderlyingMarket eth = new UnderlyingMarket("ETH", AS_OF, 3_000, 0, 0, Map.of(),
        List.of(SviSlice.flat(AS_OF.plusSeconds(30 * 86400L), 0.6, 30 / 365.0)));
    return new MarketSnapshot(AS_OF, Map.of("BTC", btc, "ETH", eth), Map.of());
  }

  private static StressEvaluator evaluator(StressSet set) {
    return new StressEvaluator(set, market(), List.of(PERP_L, PERP_I), PolicyLoader.preset("seed-default"), SimdKernel.INSTANCE);
  }

  @Test
  void shortfallIsTheLossBeyondEquityAndCoinAccountsUseTheShockedPrice() {
    StressSet set = new StressSet("crash", VolMode.ADDITIVE, List.of(
        new JointScenario("btc-40", Map.of("BTC", new JointScenario.Move(-0.40, 0.3, 1)), List.of()),
        new JointScenario("eth-only", Map.of("ETH", new JointScenario.Move(-0.5, 0, 1)), List.of())));
    StressEvaluator ev = evaluator(set);
    Account longPerp = new Account("a", "member-1", "PORTFOLIO", "USD", List.of(new Position(PERP_L.id(), 1, 60_000)),
        List.of(new CollateralBalance("USDC", 5_000)));
    StressEvaluator.AccountStress s = ev.evaluate(longPerp);
    assertEquals("member-1", s.memberId());
    assertEquals(-24_000, s.pnlUsd()[0], 1e-9);
    assertEquals(19_000, s.shortfallUsd()[0], 1e-9);
    assertEquals(0.0, s.pnlUsd()[1], 0.0, "BTC is unshocked in the ETH scenario");
    // Coin account short 6,000 inverse perps (60,000 USD) with 0.5 BTC: P&L in coin is
    // −(−6000·10)(1/S − 1/S') ... converted at S' for the shortfall.
    Account coin = new Account("c", null, "PORTFOLIO", "BTC", List.of(new Position(PERP_I.id(), 6_000, 60_000)),
        List.of(new CollateralBalance("BTC", 0.5)));
    StressEvaluator.AccountStress c = ev.evaluate(coin);
    double shocked = 36_000;
    double pnlCoin = 6_000 * 10 * (1 / 60_000.0 - 1 / shocked);
    assertEquals(pnlCoin * 60_000, c.pnlUsd()[0], 1e-6, "totals at the unshocked S");
    assertEquals(Math.max(0, -(0.5 + pnlCoin) * shocked), c.shortfallUsd()[0], 1e-6, "shortfall at S'");
    assertTrue(c.shortfallUsd()[0] > 0);
    assertEquals("c", c.memberId());
    Account bad = new Account("b", null, "PORTFOLIO", "USD", List.of(new Position("NOPE", 1, 1)), List.of());
    assertFalse(ev.evaluate(bad).valid());
  }

  @Test
  void depegMovesStablecoinCollateralAfterHaircutAndLoansInFull() {
    StressEvaluator ev = evaluator(HistoricalStress.depeg());
    Account a = new Account("a", null, "PORTFOLIO", "USD", List.of(new Position(PERP_L.id(), 1, 60_000)),
        List.of(new CollateralBalance("USDT", 10_000), new CollateralBalance("USDC", -5_000), new CollateralBalance("USD", 1_000)));
    StressEvaluator.AccountStress s = ev.evaluate(a);
    assertEquals(10_000 * 0.98 * -0.10, s.pnlUsd()[0], 1e-9, "USDT -10% on a balance after its 2% haircut");
    assertEquals(-5_000 * -0.13, s.pnlUsd()[1], 1e-9, "a USDC loan shrinks when USDC de-pegs");
    assertEquals(0.0, s.shortfallUsd()[0], 0.0);
    // equity = 9,800 − 5,000 + 1,000 = 5,800; after the USDT de-peg 5,800 − 980.
    assertEquals(5_800 - 980, s.netUsd()[0], 1e-9);
    Account coin = new Account("c", null, "PORTFOLIO", "BTC", List.of(), List.of(new CollateralBalance("BTC", 1)));
    assertEquals(0.0, ev.evaluate(coin).pnlUsd()[0], 0.0);
  }

  @Test
  void seedGridAsAJointSetMovesEveryUnderlyingTogether() {
    StressSet set = StressSet.fromPolicyGrid(PolicyLoader.preset("seed-default"), List.of("BTC", "ETH"));
    assertEquals(23, set.size());
    assertEquals("p-15_v-10", set.scenarios().get(0).label());
    StressEvaluator ev = evaluator(set);
    Account a = new Account("a", null, "PORTFOLIO", "USD", List.of(new Position(PERP_L.id(), 1, 60_000)),
        List.of(new CollateralBalance("ETH", 2)));
    StressEvaluator.AccountStress s = ev.evaluate(a);
    // p = −15%: perp −9,000 and 2 ETH (haircut 7%) −0.15·2·0.93·3,000.
    assertEquals(-9_000 - 0.15 * 2 * 0.93 * 3_000, s.pnlUsd()[0], 1e-9);
  }

  @Test
  void historicalWindowsMatchTheShippedHistoryAndFlagSubstitutions() {
    StressSet hist = HistoricalStress.shipped(List.of("BTC", "ETH", "SOL"), 0.30);
    assertEquals(3, hist.size());
    JointScenario covid = hist.scenarios().get(0);
    assertEquals("hist_2020-03-11_12", covid.label());
    assertEquals(-0.395, covid.move("BTC").p(), 0.001);
    assertEquals(-0.446, covid.move("ETH").p(), 0.001);
    assertEquals(covid.move("ETH").p(), covid.move("SOL").p(), 0.0, "SOL took the worst return");
    assertEquals(0.30, covid.move("BTC").v(), 0.0, "no DVOL before 2021: the policy default");
    assertEquals(4, covid.substitutions().size(), covid.substitutions().toString());
    JointScenario ftx = hist.scenarios().get(2);
    assertEquals("hist_2022-11-07_09", ftx.label());
    assertEquals(2.0, ftx.move("BTC").horizonDays());
    assertEquals(-0.525, ftx.move("SOL").p(), 0.001);
    DailyHistory dvol = DailyHistory.shipped(DailyHistory.DVOL);
    double btcVol = (dvol.on("BTC", LocalDate.of(2022, 11, 9)) - dvol.on("BTC", LocalDate.of(2022, 11, 7))) / 100;
    assertEquals(btcVol, ftx.move("BTC").v(), 1e-15);
    assertEquals(Math.max(btcVol, ftx.move("ETH").v()), ftx.move("SOL").v(), 0.0, "SOL takes the largest DVOL change");
    assertEquals(1, ftx.substitutions().size());
  }

  /**
   * The stress job's fold reads an account's P&amp;L from the calculator's sums, with margins that carry
   * no risk arrays; {@link StressEvaluator#evaluate} adds up the arrays. Both give the same P&amp;L to the
   * bit: on the rolling hist-1d set (3,000-odd joint windows) and the de-peg set, for USD accounts with
   * coin collateral that moves, coin loans and stablecoins, and coin accounts, on both kernels. Valued
   * instead of margined ({@link MarginCalculator#valueAll}), each account has the valuation its margin
   * implies and the same P&amp;L.
   */
  @Test
  void theFoldsPnlFromTheKernelsSumsIsThePnlOfTheRiskArraysToTheBit() {
    Instrument ethPerp = Instrument.perpetual("ETH-PERP-L", "ETH", Settlement.LINEAR, 1);
    List<Instrument> instruments = List.of(PERP_L, PERP_I, ethPerp);
    SplittableRandom r = new SplittableRandom(36);
    List<Account> accounts = new ArrayList<>();
    for (int a = 0; a < 40; a++) {
      double q = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(30)) / 4.0;
      accounts.add(switch (a % 4) {
        case 0 -> new Account("u" + a, null, "PORTFOLIO", "USD", List.of(new Position(PERP_L.id(), q, 60_000),
            new Position(ethPerp.id(), -2 * q, 3_000)), List.of(new CollateralBalance("USDC", 20_000)));
        case 1 -> new Account("u" + a, null, "PORTFOLIO", "USD", List.of(new Position(PERP_L.id(), q, 60_000)),
            List.of(new CollateralBalance("BTC", 1 + r.nextInt(3)), new CollateralBalance("ETH", -(1 + r.nextInt(9))),
                new CollateralBalance("USDT", 5_000)));
        case 2 -> new Account("c" + a, null, "PORTFOLIO", "BTC", List.of(new Position(PERP_I.id(), 100 * q, 60_000)),
            List.of(new CollateralBalance("BTC", 2)));
        default -> new Account("e" + a, null, "PORTFOLIO", "USD", List.of(), List.of(new CollateralBalance("ETH", 3 + a)));
      });
    }
    List<String> underlyings = List.of("BTC", "ETH");
    for (StressSet set : List.of(HistoricalStress.shippedRolling(underlyings, 1, 0.30), HistoricalStress.depeg())) {
      for (RiskKernel kernel : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
        StressEvaluator ev = new StressEvaluator(set, market(), instruments, PolicyLoader.preset("seed-default"), kernel);
        MarginCalculator bare = new MarginCalculator(ev.book(), kernel, false, false, false);
        List<AccountMargin> margins = bare.marginAll(accounts);
        MarginCalculator valuer = new MarginCalculator(ev.book(), kernel, false, false, false);
        List<AccountValuation> values = valuer.valueAll(accounts);
        int n = set.size();
        for (int k = 0; k < accounts.size(); k++) {
          StressEvaluator.AccountStress expected = ev.evaluate(accounts.get(k), ev.newCalculator());
          assertEquals(AccountValuation.of(margins.get(k)), values.get(k), accounts.get(k).accountId());
          double[] pnl = new double[n];
          double[] valuedPnl = new double[n];
          assertEquals(expected.valid(), ev.pnlInto(accounts.get(k), AccountValuation.of(margins.get(k)), bare, k, pnl));
          assertEquals(expected.valid(), ev.pnlInto(accounts.get(k), values.get(k), valuer, k, valuedPnl));
          assertTrue(expected.valid(), accounts.get(k).accountId());
          double usd = ev.usdPerUnit(margins.get(k));
          assertEquals(usd, ev.usdPerUnit(values.get(k).marginCurrency()));
          for (int j = 0; j < n; j++) {
            assertEquals(Double.doubleToRawLongBits(expected.pnlUsd()[j]), Double.doubleToRawLongBits(pnl[j] * usd),
                set.name() + " " + kernel.name() + " " + accounts.get(k).accountId() + " scenario " + j);
            assertEquals(Double.doubleToRawLongBits(pnl[j]), Double.doubleToRawLongBits(valuedPnl[j]),
                "valued: " + set.name() + " " + kernel.name() + " " + accounts.get(k).accountId() + " scenario " + j);
          }
          margins.get(k).byUnderlying().forEach(u -> assertEquals(0, u.riskArray().length, "no arrays carried"));
        }
        assertTrue(n > 1, set.name());
      }
    }
  }
}
