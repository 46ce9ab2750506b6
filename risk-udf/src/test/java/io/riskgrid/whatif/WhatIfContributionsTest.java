package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.ScalarKernel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A what-if response explains its margin (DESIGN §7.3): each underlying's contributions sum to its
 * mm, and each top position's incremental margin equals the mm of a separate request without that
 * position, subtracted from this one's.
 */
class WhatIfContributionsTest {
  private final WhatIfService service = new WhatIfService(ScalarKernel.INSTANCE);

  @Test
  void contributionsSumToMmAndIncrementalMarginIsARequestWithoutThePosition() {
    ObjectNode request = WhatIfFixtures.request();
    request.remove("order");
    JsonNode response = service.evaluate(request);
    double mm = response.get("mm").asDouble();
    assertTrue(mm > 0, response.toPrettyString());
    for (JsonNode u : response.get("by_underlying")) {
      double sum = 0;
      for (JsonNode c : u.get("contributions")) {
        sum += c.get("contribution").asDouble();
      }
      assertEquals(u.get("mm").asDouble(), sum, 1e-9 * u.get("mm").asDouble(), u.toPrettyString());
    }
    JsonNode top = response.get("top_positions");
    assertEquals(3, top.size(), "three positions, all listed: " + top);
    Set<String> seen = new HashSet<>();
    for (JsonNode p : top) {
      String id = p.get("instrument_id").asText();
      assertTrue(seen.add(id));
      ObjectNode without = WhatIfFixtures.withoutInstrument(request, id);
      double mmWithout = new WhatIfService(ScalarKernel.INSTANCE).evaluate(without).get("mm").asDouble();
      assertEquals(mm - mmWithout, p.get("incremental_mm").asDouble(), 1e-9 * mm, id);
    }
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode p : top) {
      double c = Math.abs(p.get("contribution").asDouble());
      assertTrue(c <= previous, "largest contribution first: " + top);
      previous = c;
    }
  }

  /**
   * With more positions than places (14 on BTC and ETH), the top positions are the five largest
   * |contributions| over both underlyings' lists, ties in list order: a stable sort of every instrument
   * source of the response, independent of the service's selection.
   */
  @Test
  void topPositionsAreTheLargestInstrumentContributionsOfEveryUnderlying() throws Exception {
    JsonNode request = WhatIfFixtures.JSON.readTree(
        java.nio.file.Files.readString(java.nio.file.Path.of("..", "deploy", "examples", "whatif", "hedged-market-maker.json")));
    JsonNode response = service.evaluate(request);
    Set<String> held = new HashSet<>();
    request.get("account").get("positions").forEach(p -> held.add(p.get("instrument").get("instrument_id").asText()));
    List<JsonNode> sources = new ArrayList<>();
    for (JsonNode u : response.get("by_underlying")) {
      u.get("contributions").forEach(c -> {
        if (held.contains(c.get("source").asText())) {
          sources.add(c);
        }
      });
    }
    assertTrue(sources.size() > 5, "more sources than places: " + sources.size());
    sources.sort(Comparator.comparingDouble((JsonNode c) -> Math.abs(c.get("contribution").asDouble())).reversed());
    JsonNode top = response.get("top_positions");
    assertEquals(5, top.size(), top.toString());
    for (int k = 0; k < 5; k++) {
      assertEquals(sources.get(k).get("source").asText(), top.get(k).get("instrument_id").asText(), top.toString());
      assertEquals(sources.get(k).get("contribution").asDouble(), top.get(k).get("contribution").asDouble(), 0.0);
    }
  }

  @Test
  void aShortFutureIsLiquidatedUpwardAtItsCushionOverTwiceTheForward() {
    // Only the short future (2 at entry 95,000) against 60,000 USDC: P&L(x) = −2·F·x, so the distance up
    // is (equity − mm)/(2F); F follows from equity = 60,000 − 2·(F − 95,000).
    ObjectNode request = WhatIfFixtures.request();
    request.remove("order");
    ArrayNode positions = (ArrayNode) request.get("account").get("positions");
    positions.remove(1);
    positions.remove(0);
    ((ObjectNode) request.get("account").get("collateral").get(0)).put("quantity", 60_000);
    JsonNode response = service.evaluate(request);
    double equity = response.get("equity").asDouble();
    double mm = response.get("mm").asDouble();
    double forward = 95_000 + (60_000 - equity) / 2;
    double expected = (equity - mm) / (2 * forward);
    assertTrue(expected > 0.005 && expected < 0.5, "on the grid: " + expected + " in " + response.toPrettyString());
    assertEquals(expected, response.get("liq_move_up").asDouble(), 1e-12);
    assertTrue(response.get("liq_move_down").isNull(), "a short future gains when prices fall");
  }

  @Test
  void theHistoricalEsPresetAnswersLikeAnyPolicyWithItsSharesAddingUpToMm() {
    ObjectNode request = WhatIfFixtures.request();
    request.put("policy", "es-hist-1d");
    JsonNode response = service.evaluate(request);
    assertEquals("es-hist-1d", response.get("policy").get("name").asText(), response.toPrettyString());
    double mm = response.get("mm").asDouble();
    assertTrue(mm > 0, response.toPrettyString());
    double shares = 0;
    for (JsonNode u : response.get("by_underlying")) {
      shares += u.get("mm").asDouble();
      assertTrue(u.get("risk_array").size() > 3_000, "one loss per joint window");
      assertEquals(0.0, u.get("c_fut").asDouble(), 0.0);
    }
    assertEquals(mm, shares, 1e-9 * mm);
    ObjectNode scan = WhatIfFixtures.request();
    assertTrue(Math.abs(service.evaluate(scan).get("mm").asDouble() - mm) > 1e-6, "another methodology, another number");
  }
}
