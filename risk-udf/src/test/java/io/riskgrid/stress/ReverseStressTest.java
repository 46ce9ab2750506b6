package io.riskgrid.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.scenario.VolMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reverse stress (DESIGN §7.6) on a hand-built two-account exchange, against its closed form. */
class ReverseStressTest {
  private static final Instant AS_OF = Instant.parse("2026-01-05T08:00:00Z");
  private static final double S = 60_000;
  private static final Instrument PERP = Instrument.perpetual("BTC-PERP-L", "BTC", Settlement.LINEAR, 1);

  private static StressEvaluator evaluator(StressSet set) {
    UnderlyingMarket btc = new UnderlyingMarket("BTC", AS_OF, S, 0, 0, Map.of(),
        List.of(SviSlice.flat(AS_OF.plusSeconds(30 * 86400L), 0.5, 30 / 365.0)));
    return new StressEvaluator(set, new MarketSnapshot(AS_OF, Map.of("BTC", btc), Map.of()), List.of(PERP),
        PolicyLoader.preset("seed-default"), SimdKernel.INSTANCE);
  }

  /**
   * Long q BTC perpetuals with E USD against a short with plenty: the exchange shortfall at λ is
   * max(0, −(E + q·S·p·λ)) (the short gains), so it exceeds R from λ* = (R + E) / (q·S·|p|).
   */
  @Test
  void theScaleThatExhaustsTheResourcesMatchesTheClosedForm() {
    double q = 10;
    double equity = 50_000;
    double resources = 120_000;
    double p = -0.30;
    StressSet base = new StressSet("hist-1d", VolMode.ADDITIVE, List.of(
        new JointScenario("calm", Map.of("BTC", new JointScenario.Move(0.01, -0.02, 1)), List.of()),
        new JointScenario("crash", Map.of("BTC", new JointScenario.Move(p, 0.25, 1)), List.of("ETH: substituted"))));
    Account longSide = new Account("long", null, "PORTFOLIO", "USD", List.of(new Position(PERP.id(), q, S)),
        List.of(new CollateralBalance("USD", equity)));
    Account shortSide = new Account("short", null, "PORTFOLIO", "USD", List.of(new Position(PERP.id(), -q, S)),
        List.of(new CollateralBalance("USD", 10 * q * S)));

    double[] baseShortfall = shortfall(evaluator(base), base.size(), longSide, shortSide);
    assertEquals(List.of(1), ReverseStress.worst(baseShortfall, 50), "only the crash has a shortfall");
    assertEquals(-(equity + q * S * p), baseShortfall[1], 1e-6);

    StressSet scaled = ReverseStress.scaledSet(base, List.of(1));
    assertEquals(ReverseStress.POINTS, scaled.size());
    assertEquals(p * 2.5, scaled.scenarios().get(50).move("BTC").p(), 1e-15, "λ = 2.5 at grid point 50");
    assertEquals(0.25 * 2.5, scaled.scenarios().get(50).move("BTC").v(), 1e-15);
    assertEquals(1.0, scaled.scenarios().get(50).move("BTC").horizonDays(), "the horizon is not scaled");
    assertEquals(List.of("ETH: substituted"), scaled.scenarios().get(50).substitutions());
    assertEquals(ReverseStress.MIN_PRICE_MOVE, scaled.scenarios().get(80).move("BTC").p(), 0, "λ·p = −1.2 is capped");
    assertEquals(2, scaled.scenarios().get(80).substitutions().size(), "and the cap is named");

    List<ReverseStress.Result> r = ReverseStress.results(base, List.of(1),
        shortfall(evaluator(scaled), scaled.size(), longSide, shortSide), resources);
    double closedForm = (resources + equity) / (q * S * -p);
    assertEquals(closedForm, r.get(0).lambda(), 1e-12, "λ* = (R + E)/(q·S·|p|) = " + closedForm);
    assertEquals(resources, r.get(0).shortfallAtLambdaUsd(), 1e-6, "the shortfall at λ* is the resources");
    assertEquals("crash", r.get(0).label());
    assertEquals(1, r.get(0).scenarioId());
  }

  private static double[] shortfall(StressEvaluator ev, int n, Account... accounts) {
    double[] total = new double[n];
    for (Account a : accounts) {
      double[] s = ev.evaluate(a).shortfallUsd();
      for (int j = 0; j < n; j++) {
        total[j] += s[j];
      }
    }
    return total;
  }

  /**
   * The search in passes equals the whole grid on shortfall curves that are not monotone in λ: exhausted
   * unmoved, at the first point of each pass and the last of the first, with a dip below the resources
   * after the first crossing, and never; settled scenarios are left out of the next pass.
   */
  @Test
  void theSearchInPassesEqualsTheWholeGrid() {
    int[] crossing = {0, 1, 40, 41, 57, 100, -1, 35};
    Curves c = new Curves(crossing, 7, -1);
    List<Integer> chosen = List.of(7, 6, 5, 4, 3, 2, 1, 0);
    Searched s = c.search(chosen, null);
    assertEquals(c.wholeGrid(chosen), s.results);
    // Pass 1: λ = 0 once for the seven windows of one horizon and once for the eighth (2 days), then
    // λ = 0.05..2 for all 8; pass 2: those not above the resources by λ = 2 (41, 57, 100, never).
    assertEquals(List.of(2 + 8 * 40, 4 * 60), s.passSizes);
    assertEquals(2 + 8 * 40 + 4 * 60, s.search.scenariosEvaluated());
    assertNull(s.results.get(1).lambda(), "never exhausted");
    assertEquals(0.0, s.results.get(7).lambda(), "exhausted unmoved");
  }

  /**
   * With λ = 1 taken from the stress run's own shortfalls, a window already above the resources there
   * has only λ &lt; 1 evaluated, and λ = 1 is never evaluated again; the results equal the whole grid's,
   * also where the first crossing is λ = 1 itself, just after it, just before it, and where a point below
   * 1 dips above the resources although 1 does not.
   */
  @Test
  void theHistoricalMoveIsNotEvaluatedAgain() {
    int[] crossing = {0, 20, 21, 19, 3, 33, -1, 60};
    Curves c = new Curves(crossing, -1, 5);
    List<Integer> chosen = List.of(0, 1, 2, 3, 4, 5, 6, 7);
    double[] baseShortfall = new double[crossing.length];
    for (int i = 0; i < crossing.length; i++) {
      baseShortfall[i] = c.curve[i][ReverseStress.HISTORICAL_POINT];
    }
    Searched s = c.search(chosen, baseShortfall);
    assertEquals(c.wholeGrid(chosen), s.results);
    assertTrue(s.evaluated.stream().noneMatch(cell -> cell[1] == ReverseStress.HISTORICAL_POINT), "λ = 1 is known");
    // Above the resources at λ = 1 (crossings 0, 20, 19, 3): λ = 0.05..0.95 only; the others to λ = 2 but 1;
    // λ = 0 twice (window 0 has a horizon of its own). Pass 2: the window never exhausted, and 60.
    assertEquals(List.of(2 + 4 * 19 + 4 * 39, 2 * 60), s.passSizes);
    double crossingAtOne = s.results.get(1).lambda();
    assertTrue(crossingAtOne > 0.95 && crossingAtOne <= 1.0, "first above the resources at λ = 1: " + crossingAtOne);
    assertTrue(s.results.get(5).lambda() <= 0.5, "the spike at λ = 0.5 comes first: " + s.results.get(5).lambda());
  }

  /** Shortfall curves per scenario over the whole grid, for {@link ReverseStress.Search} to read. */
  private static final class Curves {
    static final double RESOURCES = 100;
    final StressSet base;
    final double[][] curve;

    /**
     * Scenario i first exceeds {@link #RESOURCES} at grid point {@code crossing[i]} (−1: never), staying
     * above after it except scenario {@code dipping}, which falls below at points 37..44. Scenario 0 has
     * a horizon of 2 days, the rest of 1, so λ = 0 is one scenario for all but it; the shortfall there
     * is one figure per horizon. Vol moves differ, and not in proportion to the price moves, so no two
     * windows share a scaled scenario (capped or not) but at λ = 0. Scenario {@code oneSpike} (−1: none)
     * is above the resources at point 10 alone among those below its crossing.
     */
    Curves(int[] crossing, int dipping, int oneSpike) {
      List<JointScenario> scenarios = new java.util.ArrayList<>();
      curve = new double[crossing.length][ReverseStress.POINTS];
      java.util.Random random = new java.util.Random(7);
      double unmovedOneDay = RESOURCES * random.nextDouble();
      for (int i = 0; i < crossing.length; i++) {
        scenarios.add(new JointScenario("s" + i, Map.of("BTC", new JointScenario.Move(-0.1 * (i + 1), 0.07 + 0.0311 * i, i == 0 ? 2 : 1)),
            List.of()));
        for (int k = 0; k < ReverseStress.POINTS; k++) {
          boolean above = crossing[i] >= 0 && k >= crossing[i] && !(i == dipping && k > 36 && k < 45)
              || i == oneSpike && k == 10;
          curve[i][k] = above ? RESOURCES + 1 + 50 * random.nextDouble() : RESOURCES * random.nextDouble();
        }
        if (i > 0) {
          assertTrue(crossing[i] != 0, "a one-day window above the resources unmoved: the test's curves disagree");
          curve[i][0] = unmovedOneDay;
        }
      }
      base = new StressSet("hist-1d", VolMode.ADDITIVE, scenarios);
    }

    List<ReverseStress.Result> wholeGrid(List<Integer> chosen) {
      double[] whole = new double[chosen.size() * ReverseStress.POINTS];
      for (int i = 0; i < chosen.size(); i++) {
        System.arraycopy(curve[chosen.get(i)], 0, whole, i * ReverseStress.POINTS, ReverseStress.POINTS);
      }
      return ReverseStress.results(base, chosen, whole, RESOURCES);
    }

    /** The search run to its end, each scaled scenario's shortfall read off its window's curve. */
    Searched search(List<Integer> chosen, double[] baseShortfall) {
      ReverseStress.Search search = new ReverseStress.Search(base, chosen, RESOURCES, baseShortfall);
      List<Integer> passSizes = new java.util.ArrayList<>();
      List<int[]> evaluated = new java.util.ArrayList<>();
      while (search.hasNextPass()) {
        StressSet pass = search.nextPass();
        double[] shortfall = new double[pass.size()];
        java.util.Set<Map<String, JointScenario.Move>> distinct = new java.util.HashSet<>();
        for (int j = 0; j < pass.size(); j++) {
          JointScenario sc = pass.scenarios().get(j);
          assertTrue(distinct.add(sc.moves()), "each scaled scenario once a pass: " + sc.label());
          int i = Integer.parseInt(sc.label().substring(1, sc.label().indexOf('_')));
          int k = (int) Math.round(Double.parseDouble(sc.label().substring(sc.label().indexOf("_x") + 2)) / ReverseStress.STEP);
          JointScenario.Move m = sc.move("BTC");
          assertEquals(Math.max(ReverseStress.MIN_PRICE_MOVE, ReverseStress.lambda(k) * -0.1 * (i + 1)), m.p(), 1e-15);
          assertEquals(ReverseStress.lambda(k) * (0.07 + 0.0311 * i), m.v(), 1e-15);
          if (k == 0) {
            assertEquals(0, Double.doubleToRawLongBits(m.p()), "λ = 0 moves nothing, with +0.0");
          }
          shortfall[j] = curve[i][k];
          evaluated.add(new int[] {i, k});
        }
        passSizes.add(pass.size());
        search.record(shortfall);
      }
      return new Searched(search, search.results(), passSizes, evaluated);
    }
  }

  private record Searched(ReverseStress.Search search, List<ReverseStress.Result> results, List<Integer> passSizes,
      List<int[]> evaluated) {}

  @Test
  void gridEdges() {
    double[] none = new double[ReverseStress.POINTS];
    assertNull(ReverseStress.exhaustingLambda(none, 1.0), "never exhausted: null");
    double[] already = new double[ReverseStress.POINTS];
    java.util.Arrays.fill(already, 5.0);
    assertEquals(0.0, ReverseStress.exhaustingLambda(already, 1.0), "already above the resources unmoved");
    double[] step = new double[ReverseStress.POINTS];
    for (int k = 0; k < step.length; k++) {
      step[k] = k >= 20 ? 100 : 0; // jumps between λ = 0.95 and 1.00
    }
    assertEquals(0.95 + 0.05 * 0.5, ReverseStress.exhaustingLambda(step, 50.0), 1e-12);
    assertEquals(List.of(2, 0), ReverseStress.worst(new double[] {1, 0, 3}, 50), "largest first; zero shortfall left out");
    assertThrows(InvalidInputException.class, () -> ReverseStress.scaledSet(
        new StressSet("s", VolMode.ADDITIVE, List.of(new JointScenario("a", Map.of(), List.of()))), List.of()));
  }
}
