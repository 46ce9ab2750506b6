package io.riskgrid.whatif;

import static io.riskgrid.whatif.WhatIfFixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The warm form of the request schema reports exactly what the full form reports, for any error
 * outside the market and the instrument definitions (the only subtrees it skips).
 */
class RequestSchemaTest {

  /** A breakage and the field its error names (the first error's, by message, when there are several). */
  static Stream<Arguments> breakages() {
    return Stream.of(
        Arguments.of("as_of not a string", "as_of", (Consumer<ObjectNode>) r -> r.put("as_of", 20260105)),
        Arguments.of("policy a number", "policy", (Consumer<ObjectNode>) r -> r.put("policy", 3)),
        Arguments.of("unknown top-level field", "comment", (Consumer<ObjectNode>) r -> r.put("comment", "x")),
        Arguments.of("no account", "account", (Consumer<ObjectNode>) r -> r.remove("account")),
        Arguments.of("no margin_currency", "account.margin_currency",
            (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("account")).remove("margin_currency")),
        Arguments.of("empty account_id", "account.account_id",
            (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("account")).put("account_id", "")),
        Arguments.of("positions not an array", "account.positions",
            (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("account")).putObject("positions")),
        Arguments.of("quantity a string", "account.positions[1].quantity", (Consumer<ObjectNode>) r ->
            ((ObjectNode) r.get("account").get("positions").get(1)).put("quantity", "five")),
        Arguments.of("position without instrument", "account.positions[0].instrument", (Consumer<ObjectNode>) r ->
            ((ObjectNode) r.get("account").get("positions").get(0)).remove("instrument")),
        Arguments.of("extra field in a position", "account.positions[2].side", (Consumer<ObjectNode>) r ->
            ((ObjectNode) r.get("account").get("positions").get(2)).put("side", "sell")),
        Arguments.of("collateral without asset", "account.collateral[0].asset", (Consumer<ObjectNode>) r ->
            ((ObjectNode) r.get("account").get("collateral").get(0)).remove("asset")),
        Arguments.of("empty order", "order.positions",
            (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("order")).putArray("positions")),
        Arguments.of("order entry_price a string", "order.positions[0].entry_price", (Consumer<ObjectNode>) r ->
            ((ObjectNode) r.get("order").get("positions").get(0)).put("entry_price", "mark")),
        Arguments.of("two errors", "account.margin_mode", (Consumer<ObjectNode>) r -> {
          ((ObjectNode) r.get("account")).remove("margin_mode");
          ((ArrayNode) r.get("account").get("positions")).addObject().put("quantity", 1);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void warmFormReportsWhatTheFullFormReports(String name, String field, Consumer<ObjectNode> breakage) {
    ObjectNode request = WhatIfFixtures.request();
    breakage.accept(request);
    InvalidInputException full = assertThrows(InvalidInputException.class, () -> RequestSchema.validate(request, false));
    InvalidInputException warm = assertThrows(InvalidInputException.class, () -> RequestSchema.validate(request, true));
    assertEquals(full.getMessage(), warm.getMessage());
    assertEquals(field, full.field(), full.getMessage());
    assertTrue(full.getMessage().startsWith(field + ": does not match whatif-request.schema.json: $"), full.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("skipped")
  void warmFormSkipsOnlyTheMarketAndInstrumentDefinitions(String name, Consumer<ObjectNode> breakage) {
    ObjectNode request = WhatIfFixtures.request();
    breakage.accept(request);
    assertThrows(InvalidInputException.class, () -> RequestSchema.validate(request, false));
    RequestSchema.validate(request, true);
  }

  static Stream<Arguments> skipped() {
    return Stream.of(
        Arguments.of("index_price a string", (Consumer<ObjectNode>) r ->
            WhatIfFixtures.underlying(r).put("index_price", "high")),
        Arguments.of("kind a number", (Consumer<ObjectNode>) r -> WhatIfFixtures.instrument(r, 0).put("kind", 1)));
  }

  @Test
  void warmFormKeepsEverythingElseOfTheFullSchema() throws Exception {
    ObjectNode full = (ObjectNode) JSON.readTree(RequestSchema.class.getResourceAsStream(RequestSchema.RESOURCE));
    ObjectNode warm = (ObjectNode) RequestSchema.warmForm(full);
    ((ObjectNode) warm.get("properties")).set("market", full.get("properties").get("market"));
    ((ObjectNode) warm.at("/$defs/position/properties")).set("instrument", full.at("/$defs/position/properties/instrument"));
    warm.set("$id", full.get("$id"));
    assertEquals(full, warm);
  }
}
