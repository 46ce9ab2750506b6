package io.riskgrid.whatif;

import static io.riskgrid.whatif.WhatIfFixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A served market: validated and hashed once; requests without a market or policy are valued on the served ones. */
class ServedMarketTest {

  /** The fixture's as_of and market as a market document. */
  static ObjectNode marketDocument() {
    ObjectNode request = WhatIfFixtures.request();
    ObjectNode doc = JSON.createObjectNode();
    doc.set("as_of", request.get("as_of"));
    doc.set("market", request.get("market"));
    return doc;
  }

  /** The fixture without as_of and market. */
  static ObjectNode bareRequest() {
    ObjectNode request = WhatIfFixtures.request();
    request.remove("as_of");
    request.remove("market");
    return request;
  }

  private static String field(Runnable call) {
    return assertThrows(InvalidInputException.class, call::run).field();
  }

  @Test
  void hashNamesTheDocumentWhateverItsKeyOrderOrInstantSpelling() throws Exception {
    ServedMarket market = ServedMarket.parse(marketDocument());
    assertEquals(Instant.parse("2026-01-05T08:00:00Z"), market.asOf());
    assertTrue(market.hash().matches("[0-9a-f]{64}"), market.hash());
    assertEquals(Map.of(), market.dataErrors());

    ObjectNode reordered = JSON.createObjectNode();
    ObjectNode btc = JSON.createObjectNode();
    ObjectNode original = (ObjectNode) marketDocument().get("market").get("underlyings").get(0);
    List<String> names = new ArrayList<>();
    original.fieldNames().forEachRemaining(names::add);
    for (int k = names.size() - 1; k >= 0; k--) {
      btc.set(names.get(k), original.get(names.get(k)));
    }
    reordered.putObject("market").putArray("underlyings").add(btc);
    reordered.put("as_of", "2026-01-05T08:00:00+00:00");
    assertEquals(market.hash(), ServedMarket.parse(reordered).hash());

    ObjectNode moved = marketDocument();
    ((ObjectNode) moved.get("market").get("underlyings").get(0)).put("index_price", 90000);
    assertNotEquals(market.hash(), ServedMarket.parse(moved).hash());
  }

  @Test
  void structuralErrorsAreRefusedNamingTheField() {
    ObjectNode extra = marketDocument();
    extra.put("comment", "x");
    assertEquals("comment", field(() -> ServedMarket.parse(extra)));
    ObjectNode noAsOf = marketDocument();
    noAsOf.remove("as_of");
    assertEquals("as_of", field(() -> ServedMarket.parse(noAsOf)));
    ObjectNode zoneless = marketDocument();
    zoneless.put("as_of", "2026-01-05T08:00:00");
    assertEquals("as_of", field(() -> ServedMarket.parse(zoneless)));
    ObjectNode badPrice = marketDocument();
    ((ObjectNode) badPrice.get("market").get("underlyings").get(0)).put("index_price", "high");
    assertEquals("market.underlyings[0].index_price", field(() -> ServedMarket.parse(badPrice)));
    ObjectNode twice = marketDocument();
    ((ArrayNode) twice.get("market").get("underlyings")).add(twice.get("market").get("underlyings").get(0).deepCopy());
    assertEquals("market.underlyings[1].underlying", field(() -> ServedMarket.parse(twice)));
    assertEquals("market document", field(() -> ServedMarket.parse(JSON.createArrayNode())));
  }

  @Test
  void anUnderlyingWithBadDataIsKeptWithItsReason() throws Exception {
    ObjectNode doc = marketDocument();
    ((ArrayNode) doc.get("market").get("underlyings")).add(JSON.readTree("""
        {"underlying": "SOL", "index_price": 140.5,
         "vol_slices": [{"expiry": "2026-01-30T08:00:00", "a": 0.01, "b": 0.05, "rho": -0.2, "m": 0, "sigma_svi": 0.1}]}"""));
    ServedMarket market = ServedMarket.parse(doc);
    assertEquals(1, market.dataErrors().size());
    assertTrue(market.dataErrors().get("SOL").startsWith("SOL: market.underlyings[1].vol_slices[0].expiry"),
        market.dataErrors().toString());
  }

  @Test
  void aRequestWithoutMarketIsValuedOnTheServedOneAndSaysSo() {
    ServedMarket served = ServedMarket.parse(marketDocument());
    WhatIfService service = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    ObjectNode answer = service.evaluate(bareRequest(), served, null);
    JsonNode direct = new WhatIfService(ScalarKernel.INSTANCE).evaluate(WhatIfFixtures.request());
    JsonNode marketField = answer.remove("market");
    assertEquals(direct, answer);
    assertEquals("served", marketField.get("source").asText());
    assertEquals("2026-01-05T08:00:00Z", marketField.get("as_of").asText());
    assertEquals(served.hash(), marketField.get("hash").asText());

    ObjectNode own = service.evaluate(WhatIfFixtures.request(), served, null);
    assertEquals("request", own.get("market").get("source").asText());
    assertFalse(own.get("market").has("hash"));
  }

  @Test
  void asOfMustBeTheServedOneWhenGiven() {
    ServedMarket served = ServedMarket.parse(marketDocument());
    WhatIfService service = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    ObjectNode same = bareRequest().put("as_of", "2026-01-05T08:00:00+00:00");
    assertEquals("served", service.evaluate(same, served, null).get("market").get("source").asText());
    ObjectNode other = bareRequest().put("as_of", "2026-01-06T08:00:00Z");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.evaluate(other, served, null));
    assertEquals("as_of", e.field());
    assertTrue(e.getMessage().contains(served.hash()), e.getMessage());
  }

  @Test
  void aMissingMarketOrPolicyIsNamedWhenNothingIsServed() {
    WhatIfService service = new WhatIfService(ScalarKernel.INSTANCE);
    assertEquals("market", field(() -> service.evaluate(bareRequest())));
    ObjectNode noPolicy = WhatIfFixtures.request();
    noPolicy.remove("policy");
    assertEquals("policy", field(() -> service.evaluate(noPolicy)));
    ObjectNode noAsOf = WhatIfFixtures.request();
    noAsOf.remove("as_of");
    assertEquals("as_of", field(() -> service.evaluate(noAsOf)));
    JsonNode underDeribit = service.evaluate(noPolicy, null, PolicyLoader.preset("deribit-like"));
    assertEquals("deribit-like", underDeribit.get("policy").get("name").asText());
  }

  @Test
  void aServiceReadsNoPolicyFileButTakesPresetsAndInlinePolicies() throws Exception {
    WhatIfService service = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    ObjectNode path = WhatIfFixtures.request().put("policy", "/etc/passwd");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.evaluate(path));
    assertEquals("policy", e.field());
    assertTrue(e.getMessage().contains("not a preset"), e.getMessage());
    assertEquals("seed-default", service.evaluate(WhatIfFixtures.request()).get("policy").get("name").asText());
    ObjectNode inline = WhatIfFixtures.request();
    inline.set("policy", JSON.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/span16.json")));
    assertEquals("span16", service.evaluate(inline).get("policy").get("name").asText());
    // The command line reads files: the same string is looked up on disk there.
    InvalidInputException cli = assertThrows(InvalidInputException.class,
        () -> new WhatIfService(ScalarKernel.INSTANCE).evaluate(WhatIfFixtures.request().put("policy", "/no/such/policy.json")));
    assertTrue(cli.getMessage().contains("readable file"), cli.getMessage());
  }
}
