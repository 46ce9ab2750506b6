package io.riskgrid.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import io.riskgrid.scenario.VolShockScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped policy carries, in its own JSON, the values PolicyLoader used to fill in when a field
 * was missing (c_opt 0.01, c_fut 0.006, som_rate 0, stablecoins USD/USDC/USDT, vol scaling 30/0.30/1/0.01,
 * sticky strike, Deribit-style standard rates, confidence 0.99, iv_over_rv 1.2, default vol shock 0.30,
 * a 1-day horizon), so no margin number moved when the fallbacks went away.
 */
class PolicyPresetsTest {
  /** The example 350-scenario grid of DESIGN §6, relative to the risk-udf module (Surefire's working directory). */
  private static final Path GRID_350 = Path.of("..", "deploy", "examples", "policies", "grid-350.json");

  /** The scan-loss presets (riskgrid-v1) and the example grid; es-hist-1d is checked on its own below. */
  static Stream<String> shipped() {
    return Stream.concat(PolicyLoader.PRESETS.stream().filter(p -> !p.equals("es-hist-1d")), Stream.of("grid-350"));
  }

  @org.junit.jupiter.api.Test
  void theEsPresetIsSeedDefaultWithoutGridOrContingenciesAndWithEsAt975() {
    MarginPolicy es = PolicyLoader.preset("es-hist-1d");
    MarginPolicy seed = PolicyLoader.preset("seed-default");
    assertEquals(0.975, es.expectedShortfall().confidence(), 0.0);
    assertEquals(new ScenarioPolicy.JointHistory(1, seed.stress().defaultVolShock()), es.scenarios().jointHistory());
    assertEquals(new MarginRules(1.3, 0, 0, 0), es.margin());
    assertEquals(seed.collateral(), es.collateral());
    assertEquals(seed.standardMargin(), es.standardMargin());
    assertEquals(seed.stress(), es.stress());
    assertEquals(seed.backtest(), es.backtest());
    assertEquals(seed.antiProcyclicality(), es.antiProcyclicality());
    assertEquals(null, seed.expectedShortfall());
  }

  private static MarginPolicy load(String name) throws IOException {
    if (name.equals("grid-350")) {
      assertTrue(Files.isRegularFile(GRID_350), GRID_350.toAbsolutePath() + " is missing");
      return PolicyLoader.fromJson(new ObjectMapper().readTree(Files.readAllBytes(GRID_350)));
    }
    return PolicyLoader.preset(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void theFormerCodeDefaultsAreWrittenInEveryPreset(String name) throws IOException {
    MarginPolicy p = load(name);
    assertEquals(name, p.name());
    assertEquals(64, p.hash().length());

    MarginRules margin = p.margin();
    assertEquals(1.3, margin.imMultiplier(), 0.0);
    assertEquals(0.01, margin.optionContingencyRate(), 0.0);
    assertEquals(0.006, margin.futuresContingencyRate(), 0.0);
    assertEquals(0.0, margin.shortOptionMinimumRate(), 0.0);

    CollateralRules collateral = p.collateral();
    assertEquals(Set.of("USD", "USDC", "USDT"), collateral.stablecoins());
    assertEquals(Map.of("USD", 0.0, "USDC", 0.0, "USDT", 0.02, "BTC", 0.05, "ETH", 0.07, "SOL", 0.15),
        collateral.haircuts());

    ScenarioPolicy scenarios = p.scenarios();
    assertEquals(new VolShockScaling(30, 0.30, 1, 0.01), scenarios.volScaling());
    assertEquals(VolDynamics.STICKY_STRIKE, scenarios.volDynamics());
    assertEquals(Map.of(), scenarios.gridByUnderlying());
    ScenarioGrid grid = scenarios.defaultGrid();
    for (Scenario s : grid.scenarios()) {
      assertEquals(1.0, s.horizonDays(), 0.0, s.label());
    }
    assertEquals(grid, p.gridFor("BTC"));

    assertEquals(new StandardMarginRates(0.02, 0.01, 0.15, 0.10, 0.075), p.standardMargin());
    assertEquals(0.99, p.backtest().confidence(), 0.0);
    assertEquals(1.2, p.backtest().ivOverRv(), 0.0);
    assertEquals(0.30, p.stress().defaultVolShock(), 0.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void collateralRulesApplyThePresetHaircuts(String name) throws IOException {
    CollateralRules c = load(name).collateral();
    assertEquals(2 * (1 - 0.05), c.balanceAfterHaircut("BTC", 2), 0.0);
    assertEquals(-3.0, c.balanceAfterHaircut("ETH", -3), 0.0, "a loan counts in full");
    assertEquals(100 * (1 - 0.02), c.balanceAfterHaircut("USDT", 100), 0.0);
    assertTrue(c.isStablecoin("USDC"));
    assertTrue(Double.isNaN(c.haircut("DOGE")));
  }
}
