package io.riskgrid.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.riskgrid.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void labelsUseShortestDecimalsWithSigns() {
    assertEquals("p-15_v+10", Scenario.label(-0.15, 0.10, 1, ScenarioKind.REGULAR));
    assertEquals("p+0_v+0", Scenario.label(0, 0, 1, ScenarioKind.REGULAR));
    assertEquals("p-2.5_v+7.5", Scenario.label(-0.025, 0.075, 1, ScenarioKind.REGULAR));
    assertEquals("p-30_v+10_x", Scenario.label(-0.30, 0.10, 1, ScenarioKind.EXTREME));
    assertEquals("p-30_v+10_x_h3", Scenario.label(-0.30, 0.10, 3, ScenarioKind.EXTREME));
    assertEquals("p+500_v+50_x", Scenario.label(5.0, 0.50, 1, ScenarioKind.EXTREME));
    assertEquals("p-66_v-25", Scenario.label(-0.66, -0.25, 1, ScenarioKind.REGULAR));
    assertEquals("p-20_v+10_h3", Scenario.label(-0.20, 0.10, 3, ScenarioKind.REGULAR));
    assertEquals("p-20_v+10_h0.5", Scenario.label(-0.20, 0.10, 0.5, ScenarioKind.REGULAR));
    assertEquals("p+0_v+0_h0", Scenario.label(0, 0, 0, ScenarioKind.REGULAR));
  }

  @Test
  void scenariosThatDifferOnlyInHorizonKeepDistinctLabels() {
    ScenarioGrid grid = new ScenarioGrid(VolMode.ADDITIVE, List.of(Scenario.of(-0.2, 0.1, 1, ScenarioKind.REGULAR, 1),
        Scenario.of(-0.2, 0.1, 3, ScenarioKind.REGULAR, 1), Scenario.of(-0.2, 0.1, 3, ScenarioKind.EXTREME, 0.3)));
    assertEquals(List.of("p-20_v+10", "p-20_v+10_h3", "p-20_v+10_x_h3"), grid.scenarios().stream().map(Scenario::label).toList());
  }

  @Test
  void aGridOfExtremeScenariosOnlyIsValid() {
    ScenarioGrid grid = new ScenarioGrid(VolMode.ADDITIVE, List.of(Scenario.of(-0.3, 0.1, 1, ScenarioKind.EXTREME, 0.33),
        Scenario.of(0.3, 0.1, 1, ScenarioKind.EXTREME, 0.33)));
    assertEquals(2, grid.size());
  }

  @Test
  void tenorScalingAndFloor() {
    // The seed-default preset's vol_scaling: ref_days 30, power 0.30, min_days 1, vol_floor 0.01.
    VolShockScaling d = new VolShockScaling(30, 0.30, 1, 0.01);
    assertEquals(1.0, d.tenorFactor(30.0 / 365), 1e-15);
    assertEquals(Math.pow(30.0 / 90, 0.3), d.tenorFactor(90.0 / 365), 1e-15);
    assertEquals(Math.pow(30.0, 0.3), d.tenorFactor(0.1 / 365), 1e-12, "min_days caps the short end at 1 day");
    assertEquals(0.6, d.shock(VolMode.ADDITIVE, 0.5, 0.10, 30.0 / 365), 1e-15);
    assertEquals(0.75, d.shock(VolMode.RELATIVE, 0.5, 0.50, 30.0 / 365), 1e-15);
    assertEquals(0.01, d.shock(VolMode.ADDITIVE, 0.05, -0.10, 30.0 / 365), 0.0, "floor");
    assertEquals(0.01, d.shock(VolMode.RELATIVE, 0.005, 0.0, 30.0 / 365), 0.0, "floor applies to every scenario vol");
  }

  @Test
  void invalidScenariosAndGridsAreRejected() {
    assertThrows(InvalidInputException.class, () -> Scenario.of(-1.0, 0, 1, ScenarioKind.REGULAR, 1));
    assertThrows(InvalidInputException.class, () -> Scenario.of(0.1, Double.NaN, 1, ScenarioKind.REGULAR, 1));
    assertThrows(InvalidInputException.class, () -> Scenario.of(0.1, 0, 1, ScenarioKind.EXTREME, 1.5));
    assertThrows(InvalidInputException.class, () -> new ScenarioGrid(VolMode.ADDITIVE, List.of()));
    Scenario s = Scenario.of(0.1, 0, 1, ScenarioKind.REGULAR, 1);
    assertThrows(InvalidInputException.class, () -> new ScenarioGrid(VolMode.ADDITIVE, List.of(s, s)));
  }
}
