package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** L_t = −(V_{t+h} − V_t) by full revaluation, checked by hand (DESIGN §3.6 Loss). */
class LossTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final LocalDate T = Days.T;
  private static final double YEAR_SECONDS = 365 * 86400.0;

  private static Observation only(BacktestPortfolio p, int h, DailyMarket... days) {
    DayResult r = new DailyBacktest(List.of(p), SEED, ScalarKernel.INSTANCE, h).run(MarketHistory.of(List.of(days)), T);
    assertTrue(r.skipped().isEmpty(), r.skipped().toString());
    return r.observations().get(0);
  }

  @Test
  void longLinearPerpetualLosesMinusQTimesMTimesTheIndexMove() {
    double q = 2.5;
    BacktestPortfolio p = new BacktestPortfolio("PERP", "long perp", "USD",
        List.of(PanelLeg.perpetual("BTC", Settlement.LINEAR, q)), List.of(new CollateralBalance("USDC", 10_000)));
    Observation o = only(p, 1, Days.flat(T, "BTC", 60_000, 0.6), Days.flat(T.plusDays(1), "BTC", 56_500, 0.9));
    assertEquals(-q * 1.0 * (56_500 - 60_000), o.loss(), 1e-9);
    // DESIGN §3.7: MM of a long 1 perpetual at 60,000 is 9,360 under seed-default, linear in q.
    assertEquals(q * 9_360, o.mm(), 1e-6);
    assertEquals(q * 9_360 * 1.3, o.im(), 1e-6);
    assertFalse(o.breachMm());
    assertEquals(VolSource.DVOL, o.volSource());
  }

  /**
   * One row explains its loss: 2.5 long perpetuals entered at 60,000 with 10,000 USDC and 2 ETH (haircut 0.07) of
   * collateral. V_t = 10,000 + 0.93 × 2 × 3,000 = 15,580; at t+1 BTC is 56,500 and ETH 2,900, so
   * V_t+1 = 10,000 + 0.93 × 2 × 2,900 + 2.5 × (56,500 − 60,000) = 6,644, and the loss is V_t − V_t+1 = 8,936.
   */
  @Test
  void anObservationCarriesItsEquityBeforeAndAfterItsIndicesAndItsBindingScenarios() {
    BacktestPortfolio p = new BacktestPortfolio("PERP", "long perp", "USD",
        List.of(PanelLeg.perpetual("BTC", Settlement.LINEAR, 2.5)),
        List.of(new CollateralBalance("USDC", 10_000), new CollateralBalance("ETH", 2)));
    Observation o = only(p, 1, Days.flat(T, "BTC", 60_000, 0.6, "ETH", 3_000, 0.7),
        Days.flat(T.plusDays(1), "BTC", 56_500, 0.9, "ETH", 2_900, 0.8));
    assertEquals("USD", o.marginCurrency());
    assertEquals(15_580, o.equityAtT(), 1e-9);
    assertEquals(6_644, o.equityAtHorizon(), 1e-9);
    assertEquals(8_936, o.loss(), 1e-9);
    assertEquals(o.equityAtT() - o.equityAtHorizon(), o.loss(), 0.0, "loss = v_t - v_t_h, exactly");
    assertEquals(Map.of("BTC", 60_000.0, "ETH", 3_000.0), o.indexAtT());
    assertEquals(Map.of("BTC", 56_500.0, "ETH", 2_900.0), o.indexAtHorizon());
    assertEquals(Set.of("BTC", "ETH"), o.bindingScenarios().keySet());
    // Both the perpetual and the ETH collateral lose most at −15% (§3.7), whatever the vol shock.
    assertTrue(o.bindingScenarios().get("BTC").startsWith("p-15_"), o.bindingScenarios().toString());
    assertTrue(o.bindingScenarios().get("ETH").startsWith("p-15_"), o.bindingScenarios().toString());
  }

  /**
   * The stressed floor's margin (§7.7): under seed-default's window 2022-11-07 to 09, BTC moves by its close-to-close
   * return p (about −22.7%, read here from the shipped closes) over 2 days, so a long perpetual at 60,000 has
   * MM = −p·60,000 + 0.006·60,000 (C_fut) and IM = 1.3·MM.
   */
  @Test
  void everyObservationCarriesItsIMUnderThePolicysStressedWindow() {
    MarketHistory real = HistoryImporter.shipped(SEED.backtest().ivOverRv());
    double p = real.on(LocalDate.of(2022, 11, 9)).index("BTC") / real.on(LocalDate.of(2022, 11, 7)).index("BTC") - 1;
    assertEquals(-0.227, p, 0.001);
    BacktestPortfolio perp = new BacktestPortfolio("PERP", "long perp", "USD",
        List.of(PanelLeg.perpetual("BTC", Settlement.LINEAR, 1)), List.of());
    Observation o = only(perp, 1, Days.flat(T, "BTC", 60_000, 0.6), Days.flat(T.plusDays(1), "BTC", 59_000, 0.6));
    assertEquals(1.3 * (-p * 60_000 + 0.006 * 60_000), o.stressedIm(), 1e-6);
    assertEquals(o.stressedIm(), o.stressedImUsd(), 0.0);
  }

  @Test
  void aBreachIsALossStrictlyAboveMaintenanceMargin() {
    BacktestPortfolio p = new BacktestPortfolio("PERP", "long perp", "USD",
        List.of(PanelLeg.perpetual("BTC", Settlement.LINEAR, 1)), List.of());
    Observation above = only(p, 1, Days.flat(T, "BTC", 60_000, 0.6), Days.flat(T.plusDays(1), "BTC", 60_000 - 9_361, 0.9));
    assertTrue(above.breachMm());
    assertFalse(above.breachIm());
    Observation below = only(p, 1, Days.flat(T, "BTC", 60_000, 0.6), Days.flat(T.plusDays(1), "BTC", 60_000 - 9_359, 0.9));
    assertFalse(below.breachMm());
    // A loss exactly equal to the margin is not a breach.
    assertFalse(Observation.of("P", T, "USD", 9_360, 12_168, 9_360, VolSource.DVOL, 1).breachMm());
    assertTrue(Observation.of("P", T, "USD", 9_360, 12_168, 12_168.5, VolSource.DVOL, 1).breachIm());
  }

  /**
   * A 1-day put instantiated on t expires at t+1 08:00Z, 8 hours after day t's close (t+1 00:00Z) and 16 hours
   * before day t+1's. It settles on the close of its expiry, the latest at or before it: day t's own, S_t. Short 3
   * puts struck at 0.97 × 60,000 = 58,200 with 8 hours left at σ = 0.6 are worth 3 × 20.576 = 61.73 at t and
   * expire worthless on S_t = 60,000, whatever day t+1 closes at: the loss is −61.73, the premium kept.
   */
  @Test
  void anOptionExpiringInsideTheHorizonSettlesOnTheCloseOfItsExpiryNotALaterOne() {
    double q = 3;
    BacktestPortfolio p = new BacktestPortfolio("DAILY", "short 1d put", "USD",
        List.of(PanelLeg.option("BTC", Settlement.LINEAR, OptionType.PUT, 1, 0.97, -q)), List.of());
    double s0 = 60_000;
    double vol = 0.6;
    double strike = 0.97 * s0;
    // Expiry t+1 08:00Z, valued at t+1 00:00Z: eight hours left.
    double tau = 8 * 3600 / YEAR_SECONDS;
    double premium = black76Put(s0, strike, tau, vol);
    assertEquals(20.576361, premium, 1e-6);
    Observation o = only(p, 1, Days.flat(T, "BTC", s0, vol), Days.flat(T.plusDays(1), "BTC", 45_000, 1.2));
    assertEquals(-q * premium, o.loss(), 1e-9);
    assertEquals(-61.729084, o.loss(), 1e-6);
    assertEquals(0.0, o.equityAtHorizon(), 0.0, "settled on S_t = 60,000 > 58,200: worthless");

    // With h = 2 it settles on the same close, not on t+1's or t+2's.
    Observation twoDays = only(p, 2, Days.flat(T, "BTC", s0, vol), Days.flat(T.plusDays(1), "BTC", 57_000, 1.2),
        Days.flat(T.plusDays(2), "BTC", 45_000, 1.5));
    assertEquals(o.loss(), twoDays.loss(), 0.0);

    // In the money at settlement: a 1.05 put struck at 63,000 settles at 3,000 on S_t; the loss is −3 × its
    // 8 hours of time value, 3 × (3,000 − 3,001.2176) = −3.6529.
    BacktestPortfolio itm = new BacktestPortfolio("ITM", "short 1d 1.05 put", "USD",
        List.of(PanelLeg.option("BTC", Settlement.LINEAR, OptionType.PUT, 1, 1.05, -q)), List.of());
    Observation inTheMoney = only(itm, 1, Days.flat(T, "BTC", s0, vol), Days.flat(T.plusDays(1), "BTC", 70_000, 1.2));
    assertEquals(-q * (1.05 * s0 - s0), inTheMoney.equityAtHorizon(), 1e-9);
    assertEquals(q * (1.05 * s0 - s0 - black76Put(s0, 1.05 * s0, tau, vol)), inTheMoney.loss(), 1e-8);
    assertEquals(-3.652900, inTheMoney.loss(), 1e-5);
  }

  /**
   * A 2-day inverse call instantiated on t expires at t+2 08:00Z; over h = 2 it settles on day t+1's close
   * (t+2 00:00Z, 44,000), the latest at or before its expiry, not on t+2's (46,000): in coin,
   * 1 − (44,000 − 42,000)/44,000 for the covered position.
   */
  @Test
  void anInverseCallInACoinAccountSettlesInCoinAtIntrinsicOverTheIndex() {
    BacktestPortfolio p = new BacktestPortfolio("CC", "covered 2d call", "BTC",
        List.of(PanelLeg.option("BTC", Settlement.INVERSE, OptionType.CALL, 2, 1.05, -1)),
        List.of(new CollateralBalance("BTC", 1)));
    double s0 = 40_000;
    double strike = 1.05 * s0;
    double tau = (86400 + 8 * 3600) / YEAR_SECONDS;
    double v0 = 1 - black76Call(s0, strike, tau, 0.5) / s0;
    double settle = 44_000;
    double v2 = 1 - (settle - strike) / settle;
    Observation o = only(p, 2, Days.flat(T, "BTC", s0, 0.5), Days.flat(T.plusDays(1), "BTC", settle, 0.6),
        Days.flat(T.plusDays(2), "BTC", 46_000, 0.6));
    assertEquals(-(v2 - v0), o.loss(), 1e-12);
    assertEquals("BTC", o.marginCurrency());
    assertEquals(s0, o.usdPerUnit());
  }

  @Test
  void optionsAgeByTheHorizonAndAreRevaluedOnTheRealisedSurface() {
    BacktestPortfolio p = new BacktestPortfolio("STRANGLE", "short 30d call", "USD",
        List.of(PanelLeg.option("ETH", Settlement.LINEAR, OptionType.CALL, 30, 1.1, -10)), List.of());
    double s0 = 3_000;
    double strike = 1.1 * s0;
    double tau0 = (29 * 86400 + 8 * 3600) / YEAR_SECONDS;
    double tau1 = tau0 - 1 / 365.0;
    double expected = -(-10 * black76Call(3_300, strike, tau1, 0.8) - (-10 * black76Call(s0, strike, tau0, 0.7)));
    Observation o = only(p, 1, Days.flat(T, "ETH", s0, 0.7), Days.flat(T.plusDays(1), "ETH", 3_300, 0.8));
    assertEquals(expected, o.loss(), 1e-8);
  }

  @Test
  void inversePerpetualAndHaircutCollateralLossesFollowTheirFormulas() {
    BacktestPortfolio hedge = new BacktestPortfolio("HEDGE", "coin account short inverse perp", "BTC",
        List.of(PanelLeg.perpetual("BTC", Settlement.INVERSE, -1)), List.of(new CollateralBalance("BTC", 1)));
    Observation o = only(hedge, 1, Days.flat(T, "BTC", 50_000, 0.5), Days.flat(T.plusDays(1), "BTC", 40_000, 0.5));
    // −q_contracts·N·(1/S0 − 1/S1) with contracts = −1 × 50,000 and N = 1 USD: the coin P&L of the short.
    double pnl = -50_000 * (1 / 50_000.0 - 1 / 40_000.0);
    assertEquals(-pnl, o.loss(), 1e-12);
    assertEquals(-(-1) * (1 - 50_000 / 40_000.0), o.loss(), 1e-12);

    BacktestPortfolio basis = new BacktestPortfolio("BASIS", "long coin, short future", "USD",
        List.of(PanelLeg.future("BTC", Settlement.LINEAR, 90, -1)), List.of(new CollateralBalance("BTC", 1)));
    DailyMarket d0 = Days.withBasis(T, 0.10, "BTC", 50_000, 0.5);
    DailyMarket d1 = Days.withBasis(T.plusDays(1), 0.05, "BTC", 45_000, 0.5);
    double expiryYears0 = (89 * 86400 + 8 * 3600) / YEAR_SECONDS;
    double f0 = 50_000 * Math.exp(0.10 * expiryYears0);
    double f1 = 45_000 * Math.exp(0.05 * (expiryYears0 - 1 / 365.0));
    Observation b = only(basis, 1, d0, d1);
    double collateralMove = 0.95 * (45_000 - 50_000);
    double futureMove = -1 * (f1 - f0);
    assertEquals(-(collateralMove + futureMove), b.loss(), 1e-8);
  }

  private static double black76Call(double f, double k, double tau, double vol) {
    NormalDistribution n = new NormalDistribution();
    double sd = vol * Math.sqrt(tau);
    double d1 = (Math.log(f / k) + sd * sd / 2) / sd;
    return f * n.cumulativeProbability(d1) - k * n.cumulativeProbability(d1 - sd);
  }

  private static double black76Put(double f, double k, double tau, double vol) {
    NormalDistribution n = new NormalDistribution();
    double sd = vol * Math.sqrt(tau);
    double d1 = (Math.log(f / k) + sd * sd / 2) / sd;
    return k * n.cumulativeProbability(sd - d1) - f * n.cumulativeProbability(-d1);
  }
}
