package io.riskgrid.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.scenario.VolMode;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static long count(ScenarioGrid g, ScenarioKind k) {
    return g.scenarios().stream().filter(s -> s.kind() == k).count();
  }

  @Test
  void presetsHaveTheGridsOfDesign33() {
    ScenarioGrid seed = PolicyLoader.preset("seed-default").scenarios().defaultGrid();
    assertEquals(21, count(seed, ScenarioKind.REGULAR));
    assertEquals(2, count(seed, ScenarioKind.EXTREME));
    assertEquals(VolMode.ADDITIVE, seed.volMode());
    assertEquals("p-15_v-10", seed.get(0).label());
    assertEquals(0.33, seed.get(21).cover());
    ScenarioGrid deribit = PolicyLoader.preset("deribit-like").scenarios().defaultGrid();
    assertEquals(27, count(deribit, ScenarioKind.REGULAR));
    assertEquals(8, count(deribit, ScenarioKind.EXTREME));
    assertEquals(VolMode.RELATIVE, deribit.volMode());
    assertEquals("p+500_v+50_x", deribit.get(34).label());
    ScenarioGrid span = PolicyLoader.preset("span16").scenarios().defaultGrid();
    assertEquals(14, count(span, ScenarioKind.REGULAR));
    assertEquals(2, count(span, ScenarioKind.EXTREME));
    assertEquals(0.35, span.get(15).cover());
    ScenarioGrid aevo = PolicyLoader.preset("aevo-like").scenarios().defaultGrid();
    assertEquals(15, count(aevo, ScenarioKind.REGULAR));
    assertEquals(0, count(aevo, ScenarioKind.EXTREME));
    MarginPolicy p = PolicyLoader.preset("seed-default");
    assertEquals(1.3, p.margin().imMultiplier());
    assertEquals(0.05, p.collateral().haircut("BTC"));
    assertTrue(Double.isNaN(p.collateral().haircut("DOGE")));
    assertEquals(64, p.hash().length());
  }

  @Test
  void customGridPerUnderlyingAndHashChangesWithContent() throws Exception {
    ObjectNode doc = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    String baseHash = PolicyLoader.fromJson(doc).hash();
    doc.put("name", "custom");
    doc.putObject("scenarios_by_underlying").set("SOL", JSON.readTree(
        "{\"vol_mode\":\"relative\",\"horizon_days\":1,\"custom\":[{\"p\":-0.4,\"v\":0.5,\"kind\":\"REGULAR\"},"
            + "{\"p\":0.4,\"v\":0.5,\"kind\":\"REGULAR\"},"
            + "{\"p\":-0.8,\"v\":1,\"kind\":\"EXTREME\",\"cover\":0.25,\"h_days\":3}]}"));
    MarginPolicy p = PolicyLoader.fromJson(doc);
    assertNotEquals(baseHash, p.hash());
    assertEquals(3, p.gridFor("SOL").size());
    assertEquals("p-80_v+100_x_h3", p.gridFor("SOL").get(2).label());
    assertEquals(23, p.gridFor("BTC").size());
  }

  @Test
  void schemaViolationsNameTheField() throws Exception {
    ObjectNode doc = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    ((ObjectNode) doc.get("margin")).put("im_multiplier", 0.5);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc));
    assertTrue(e.getMessage().contains("im_multiplier"), e.getMessage());
    ObjectNode doc2 = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    doc2.put("surprise", 1);
    assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc2));
    assertThrows(InvalidInputException.class, () -> PolicyLoader.load("no-such-preset-or-file"));
  }

  /** Issue #18: a grid with no price move (p = 0 only, horizon 0, no add-ons) would margin most accounts at 0. */
  @Test
  void aGridWithoutAPriceMoveIsRefusedNamingTheField() throws Exception {
    ObjectNode doc = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    doc.set("scenarios", JSON.readTree("{\"vol_mode\":\"additive\",\"horizon_days\":0,\"price_shocks\":[0],"
        + "\"vol_shocks\":[0],\"extremes\":[]}"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc));
    assertTrue(e.getMessage().contains("scenarios.price_shocks") && e.getMessage().contains("no price move"), e.getMessage());
    doc.set("scenarios", JSON.readTree("{\"vol_mode\":\"additive\",\"horizon_days\":1,\"price_shocks\":[],"
        + "\"vol_shocks\":[],\"extremes\":[]}"));
    assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(doc), "an empty grid has no price move either");
    ObjectNode perUnderlying = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    perUnderlying.putObject("scenarios_by_underlying").set("SOL", JSON.readTree("{\"vol_mode\":\"relative\",\"horizon_days\":1,"
        + "\"custom\":[{\"p\":0,\"v\":0.5,\"kind\":\"REGULAR\"},{\"p\":0,\"v\":-0.5,\"kind\":\"REGULAR\"}]}"));
    e = assertThrows(InvalidInputException.class, () -> PolicyLoader.fromJson(perUnderlying));
    assertTrue(e.getMessage().contains("scenarios_by_underlying.SOL.custom"), e.getMessage());
    // One move in one direction is still a price move: accepted.
    doc.set("scenarios", JSON.readTree("{\"vol_mode\":\"additive\",\"horizon_days\":1,\"price_shocks\":[-0.1],"
        + "\"vol_shocks\":[0],\"extremes\":[]}"));
    assertEquals(1, PolicyLoader.fromJson(doc).gridFor("BTC").size());
  }
}
