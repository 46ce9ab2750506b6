package io.riskgrid.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.scenario.VolMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A policy with replaced grids is another policy: it has its own, deterministic hash. */
class WithGridsHashTest {
  private static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  private static final ScenarioGrid DOWN_10 = new ScenarioGrid(VolMode.ADDITIVE,
      List.of(Scenario.of(-0.1, 0.0, 1, ScenarioKind.REGULAR, 1)));
  private static final ScenarioGrid SOL_CRASH = new ScenarioGrid(VolMode.RELATIVE,
      List.of(new Scenario("0:crash", -0.5, 0.25, 2, ScenarioKind.REGULAR, 1)));

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theHashIsSha256OfTheBaseHashAndTheCanonicalGrids() throws Exception {
    MarginPolicy stressed = SEED.withGrids(DOWN_10, Map.of("SOL", SOL_CRASH));
    // Canonical: keys sorted at every level, no whitespace, doubles as Double.toString writes them.
    String grids = "{\"scenarios\":{\"custom\":[{\"cover\":1.0,\"h_days\":1.0,\"kind\":\"REGULAR\",\"label\":\"p-10_v+0\","
        + "\"p\":-0.1,\"v\":0.0}],\"vol_mode\":\"additive\"},"
        + "\"scenarios_by_underlying\":{\"SOL\":{\"custom\":[{\"cover\":1.0,\"h_days\":2.0,\"kind\":\"REGULAR\","
        + "\"label\":\"0:crash\",\"p\":-0.5,\"v\":0.25}],\"vol_mode\":\"relative\"}}}";
    assertEquals(sha256(SEED.hash() + "\n" + grids), stressed.hash());
    assertNotEquals(SEED.hash(), stressed.hash());
    assertEquals(64, stressed.hash().length());
  }

  @Test
  void theHashIsDeterministicAndFollowsTheGrids() {
    Map<String, ScenarioGrid> inOneOrder = new LinkedHashMap<>();
    inOneOrder.put("SOL", SOL_CRASH);
    inOneOrder.put("BTC", DOWN_10);
    Map<String, ScenarioGrid> inAnother = new TreeMap<>(inOneOrder);
    String once = SEED.withGrids(DOWN_10, inOneOrder).hash();
    assertEquals(once, SEED.withGrids(DOWN_10, inAnother).hash(), "map order does not matter");
    ScenarioGrid equalGrid = new ScenarioGrid(VolMode.ADDITIVE, List.of(Scenario.of(-0.1, 0.0, 1, ScenarioKind.REGULAR, 1)));
    assertEquals(once, SEED.withGrids(equalGrid, inOneOrder).hash(), "equal grids, equal hash");

    assertNotEquals(once, SEED.withGrids(DOWN_10, Map.of("SOL", SOL_CRASH)).hash(), "one grid fewer");
    assertNotEquals(once, SEED.withGrids(SOL_CRASH, inOneOrder).hash(), "another default grid");
    ScenarioGrid longer = new ScenarioGrid(VolMode.ADDITIVE, List.of(Scenario.of(-0.1, 0.0, 1, ScenarioKind.REGULAR, 1),
        Scenario.of(-0.1, 0.0, 1, ScenarioKind.EXTREME, 0.5)));
    assertNotEquals(once, SEED.withGrids(longer, inOneOrder).hash(), "an extra scenario");
    assertNotEquals(SEED.withGrids(DOWN_10, Map.of()).hash(),
        PolicyLoader.preset("span16").withGrids(DOWN_10, Map.of()).hash(), "the base policy counts");
  }

  @Test
  void everythingButTheGridsAndHashIsKept() {
    MarginPolicy stressed = SEED.withGrids(DOWN_10, Map.of("SOL", SOL_CRASH));
    assertEquals(SEED.name(), stressed.name());
    assertEquals(SEED.margin(), stressed.margin());
    assertEquals(SEED.collateral(), stressed.collateral());
    assertEquals(SEED.standardMargin(), stressed.standardMargin());
    assertEquals(SEED.stress(), stressed.stress());
    assertEquals(SEED.backtest(), stressed.backtest());
    assertEquals(SEED.scenarios().volScaling(), stressed.scenarios().volScaling());
    assertEquals(SEED.scenarios().volDynamics(), stressed.scenarios().volDynamics());
    assertEquals(SOL_CRASH, stressed.gridFor("SOL"));
    assertEquals(DOWN_10, stressed.gridFor("BTC"));
  }
}
