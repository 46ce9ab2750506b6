package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

/**
 * A warm service (market, instruments and book cached) answers exactly as a fresh one does: for the
 * same request, after the caller changes the market, the instant or an instrument in the same
 * document, and for every kind of bad input.
 */
class WhatIfServiceCacheTest {
  private final WhatIfService warm = new WhatIfService(ScalarKernel.INSTANCE);

  private static JsonNode fresh(JsonNode request) {
    return new WhatIfService(ScalarKernel.INSTANCE).evaluate(request);
  }

  private static String freshError(JsonNode request) {
    return assertThrows(InvalidInputException.class, () -> fresh(request)).getMessage();
  }

  @Test
  void warmCallAnswersAsAColdOne() {
    ObjectNode request = WhatIfFixtures.request();
    JsonNode cold = warm.evaluate(request);
    assertTrue(cold.get("im").asDouble() > 0, cold.toPrettyString());
    assertEquals(cold, warm.evaluate(request));
    assertEquals(cold, warm.evaluate(WhatIfFixtures.request()), "an equal document parsed again");
    assertEquals(cold, fresh(request));
  }

  @Test
  void changedMarketInTheSameDocumentIsRevalued() {
    ObjectNode request = WhatIfFixtures.request();
    JsonNode before = warm.evaluate(request);
    WhatIfFixtures.underlying(request).put("index_price", 80000.0);
    JsonNode after = warm.evaluate(request);
    assertNotEquals(before.get("im"), after.get("im"));
    assertEquals(fresh(request), after);
    ((ObjectNode) WhatIfFixtures.underlying(request).get("vol_slices").get(0)).put("a", 0.02);
    assertEquals(fresh(request), warm.evaluate(request));
  }

  @Test
  void changedAsOfIsRevalued() {
    ObjectNode request = WhatIfFixtures.request();
    JsonNode before = warm.evaluate(request);
    request.put("as_of", "2026-01-20T08:00:00Z");
    JsonNode after = warm.evaluate(request);
    assertNotEquals(before.get("im"), after.get("im"));
    assertEquals(fresh(request), after);
  }

  @Test
  void changedInstrumentDefinitionIsReparsed() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    WhatIfFixtures.instrument(request, 1).put("strike", 120000);
    assertEquals(fresh(request), warm.evaluate(request));
  }

  @Test
  void invalidMarketAfterAValidOneIsRejectedNamingTheField() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    WhatIfFixtures.underlying(request).put("index_price", "high");
    String message = assertThrows(InvalidInputException.class, () -> warm.evaluate(request)).getMessage();
    assertTrue(message.contains("$.market.underlyings[0].index_price"), message);
    assertEquals(freshError(request), message);
  }

  @Test
  void badSliceExpiryAfterAValidMarketIsThatUnderlyingsDataErrorNamingTheField() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    ((ObjectNode) WhatIfFixtures.underlying(request).get("vol_slices").get(1)).put("expiry", "27 March");
    JsonNode out = warm.evaluate(request);
    assertEquals("DATA_ERROR", out.get("status").asText(), out.toPrettyString());
    String reason = out.get("reason").asText();
    assertTrue(reason.startsWith("BTC: market.underlyings[0].vol_slices[1].expiry"), reason);
    assertEquals(fresh(request), out);
  }

  @Test
  void invalidAccountOnAWarmCallIsRejectedAsOnAColdOne() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    ((ObjectNode) request.get("account")).remove("margin_currency");
    ((ObjectNode) request.get("account").get("positions").get(0)).put("quantity", "five");
    String message = assertThrows(InvalidInputException.class, () -> warm.evaluate(request)).getMessage();
    assertTrue(message.contains("margin_currency") && message.contains("$.account.positions[0].quantity"), message);
    assertEquals(freshError(request), message);
  }

  @Test
  void invalidInstrumentAfterAValidOneIsRejectedAsOnAColdOne() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    WhatIfFixtures.instrument(request, 2).put("kind", 1);
    String message = assertThrows(InvalidInputException.class, () -> warm.evaluate(request)).getMessage();
    assertTrue(message.contains("$.account.positions[2].instrument.kind"), message);
    assertEquals(freshError(request), message);

    ObjectNode malformed = WhatIfFixtures.request();
    WhatIfFixtures.instrument(malformed, 1).put("strike", -1);
    JsonNode out = warm.evaluate(malformed);
    assertEquals("REJECTED", out.get("status").asText());
    assertTrue(out.get("reason").asText().contains("strike"), out.get("reason").asText());
    assertEquals(fresh(malformed), out);
    assertEquals(fresh(malformed), warm.evaluate(malformed), "a malformed definition is never cached");
  }

  @Test
  void knownDefinitionUsedTwiceDifferentlyIsStillCaught() {
    ObjectNode request = WhatIfFixtures.request();
    warm.evaluate(request);
    ObjectNode conflicting = WhatIfFixtures.request();
    // The order re-uses a known id with the definition of another known instrument.
    ((ObjectNode) conflicting.get("order").get("positions").get(0)).set("instrument", WhatIfFixtures.instrument(conflicting, 1).deepCopy());
    ((ObjectNode) conflicting.get("order").get("positions").get(0).get("instrument")).put("instrument_id", "BTC-30JAN26-100000-C");
    warm.evaluate(conflicting); // caches the order's new definition: the second call is all hits
    JsonNode out = warm.evaluate(conflicting);
    assertEquals("REJECTED", out.get("status").asText());
    assertTrue(out.get("reason").asText().contains("order.positions[0].instrument"), out.get("reason").asText());
    assertEquals(fresh(conflicting), out);
  }

  @Test
  void changedInlinePolicyIsReloaded() throws Exception {
    ObjectNode request = WhatIfFixtures.request();
    ObjectNode policy = (ObjectNode) WhatIfFixtures.JSON.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    request.set("policy", policy);
    JsonNode before = warm.evaluate(request);
    ((ObjectNode) policy.get("margin")).put("im_multiplier", 2.0);
    JsonNode after = warm.evaluate(request);
    assertNotEquals(before.get("policy").get("hash"), after.get("policy").get("hash"));
    assertEquals(fresh(request), after);
  }
}
