package io.riskgrid.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import io.riskgrid.scenario.VolShockScaling;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each part of a policy checks its own ranges, and its errors name the JSON path of the field. */
class PolicyPartsTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final ScenarioGrid GRID = SEED.scenarios().defaultGrid();
  private static final VolShockScaling SCALING = new VolShockScaling(30, 0.30, 1, 0.01);

  private static void assertField(String field, Executable construct) {
    InvalidInputException e = assertThrows(InvalidInputException.class, construct);
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void marginRules() {
    assertField("margin.im_multiplier", () -> new MarginRules(0.99, 0.01, 0.006, 0));
    assertField("margin.im_multiplier", () -> new MarginRules(Double.POSITIVE_INFINITY, 0.01, 0.006, 0));
    assertField("margin.c_opt", () -> new MarginRules(1.3, -0.01, 0.006, 0));
    assertField("margin.c_fut", () -> new MarginRules(1.3, 0.01, Double.NaN, 0));
    assertField("margin.som_rate", () -> new MarginRules(1.3, 0.01, 0.006, Double.POSITIVE_INFINITY));
  }

  @Test
  void collateralRules() {
    assertField("collateral.haircuts.BTC", () -> new CollateralRules(Set.of("USD"), Map.of("BTC", 1.5)));
    assertField("collateral.haircuts.ETH", () -> new CollateralRules(Set.of("USD"), Map.of("ETH", -0.1)));
    assertField("collateral.stablecoins", () -> new CollateralRules(Set.of(" "), Map.of()));
    assertField("collateral.stablecoins", () -> new CollateralRules(null, Map.of()));
    assertField("collateral.haircuts", () -> new CollateralRules(Set.of("USD"), null));
    CollateralRules c = new CollateralRules(Set.of("USD"), Map.of());
    assertEquals(5.0, c.balanceAfterHaircut("USD", 5), 0.0, "a stablecoin without a haircut counts at face value");
    assertField("collateral DOGE", () -> c.balanceAfterHaircut("DOGE", 1));
  }

  @Test
  void standardMarginRates() {
    assertField("standard_margin.future_im", () -> new StandardMarginRates(-0.02, 0.01, 0.15, 0.10, 0.075));
    assertField("standard_margin.future_mm", () -> new StandardMarginRates(0.02, Double.NaN, 0.15, 0.10, 0.075));
    assertField("standard_margin.short_option_im_base", () -> new StandardMarginRates(0.02, 0.01, -1, 0.10, 0.075));
    assertField("standard_margin.short_option_im_floor", () -> new StandardMarginRates(0.02, 0.01, 0.15, -1, 0.075));
    assertField("standard_margin.short_option_mm",
        () -> new StandardMarginRates(0.02, 0.01, 0.15, 0.10, Double.POSITIVE_INFINITY));
  }

  @Test
  void stressAndBacktestParameters() {
    assertField("stress.default_vol_shock", () -> new StressParameters(Double.NaN, 0, 0));
    assertField("stress.default_fund_usd", () -> new StressParameters(0.3, -1, 0));
    assertField("stress.insurance_fund_usd", () -> new StressParameters(0.3, 0, Double.POSITIVE_INFINITY));
    assertField("backtest.confidence", () -> new BacktestParameters(1.0, 1.2));
    assertField("backtest.confidence", () -> new BacktestParameters(0.0, 1.2));
    assertField("backtest.iv_over_rv", () -> new BacktestParameters(0.99, 0.0));
  }

  @Test
  void scenarioPolicy() {
    assertField("scenarios", () -> new ScenarioPolicy(null, Map.of(), SCALING, VolDynamics.STICKY_STRIKE));
    Map<String, ScenarioGrid> missingGrid = new HashMap<>();
    missingGrid.put("SOL", null);
    assertField("scenarios_by_underlying.SOL", () -> new ScenarioPolicy(GRID, missingGrid, SCALING,
        VolDynamics.STICKY_STRIKE));
    assertField("vol_scaling", () -> new ScenarioPolicy(GRID, Map.of(), null, VolDynamics.STICKY_STRIKE));
    assertField("vol_dynamics", () -> new ScenarioPolicy(GRID, Map.of(), SCALING, null));
    assertField("vol_scaling.ref_days", () -> new VolShockScaling(0, 0.30, 1, 0.01));
    assertField("vol_scaling.vol_floor", () -> new VolShockScaling(30, 0.30, 1, -0.01));
  }

  @Test
  void marginPolicyNeedsANameAndEveryPart() {
    assertField("name", () -> new MarginPolicy(" ", SEED.hash(), SEED.scenarios(), SEED.margin(), SEED.collateral(),
        SEED.standardMargin(), SEED.stress(), SEED.backtest(), SEED.antiProcyclicality()));
    assertField("margin", () -> new MarginPolicy("p", SEED.hash(), SEED.scenarios(), null, SEED.collateral(),
        SEED.standardMargin(), SEED.stress(), SEED.backtest(), SEED.antiProcyclicality()));
    assertField("standard_margin", () -> new MarginPolicy("p", SEED.hash(), SEED.scenarios(), SEED.margin(),
        SEED.collateral(), null, SEED.stress(), SEED.backtest(), SEED.antiProcyclicality()));
    assertField("anti_procyclicality", () -> new MarginPolicy("p", SEED.hash(), SEED.scenarios(), SEED.margin(),
        SEED.collateral(), SEED.standardMargin(), SEED.stress(), SEED.backtest(), null));
    java.time.LocalDate from = java.time.LocalDate.of(2022, 11, 7);
    assertField("anti_procyclicality.buffer", () -> new AntiProcyclicality(-0.1, 0.5, from, from.plusDays(2)));
    assertField("anti_procyclicality.stressed_floor", () -> new AntiProcyclicality(0.25, -1, from, from.plusDays(2)));
    assertField("anti_procyclicality.stressed_window", () -> new AntiProcyclicality(0.25, 0.5, from, from));
  }
}
