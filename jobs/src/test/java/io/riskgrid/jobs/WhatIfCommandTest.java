package io.riskgrid.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.WhatIfService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped what-if examples run, match the response schema, and agree between kernels. */
class WhatIfCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = Path.of("..", "deploy", "examples", "whatif");
  private static final JsonSchema RESPONSE = PolicyLoader.loadSchema("/io/riskgrid/json-schema/whatif-response.schema.json");

  private static JsonNode example(String name) throws Exception {
    return JSON.readTree(Files.readAllBytes(EXAMPLES.resolve(name + ".json")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hedged-market-maker", "covered-call-coin", "naked-short-strangle"})
  void examplesAnswerWithTheSchemaAndAgreeAcrossKernels(String name) throws Exception {
    JsonNode scalar = new WhatIfService(ScalarKernel.INSTANCE).evaluate(example(name));
    JsonNode simd = new WhatIfService(SimdKernel.INSTANCE).evaluate(example(name));
    assertEquals(Set.of(), RESPONSE.validate(scalar), scalar.toPrettyString());
    assertTrue(scalar.get("im").asDouble() > 0, "a real book has a positive IM");
    assertTrue(scalar.get("status").asText().matches("OK|MARGIN_CALL|LIQUIDATION"), scalar.toPrettyString());
    for (String f : new String[] {"im", "mm", "equity", "standard_im"}) {
      double a = scalar.get(f).asDouble();
      double b = simd.get(f).asDouble();
      assertEquals(a, b, 1e-9 * Math.max(Math.abs(a), 1), f);
    }
    JsonNode order = scalar.get("order");
    assertEquals(order.get("im_after").asDouble() - scalar.get("im").asDouble(), order.get("incremental_im").asDouble(), 1e-9);
    // Filled at mark: equity is unchanged by the order.
    assertEquals(scalar.get("equity").asDouble(), order.get("equity_after").asDouble(), 1e-9 * Math.abs(scalar.get("equity").asDouble()));
  }

  @Test
  void hedgedBookSavesAgainstStandardMarginAndStrangleOrderIsChecked() throws Exception {
    JsonNode mm = new WhatIfService(SimdKernel.INSTANCE).evaluate(example("hedged-market-maker"));
    assertTrue(mm.get("pm_saving").asDouble() > 0.3, "hedged book: PM well below standard, got " + mm.get("pm_saving"));
    JsonNode strangle = new WhatIfService(SimdKernel.INSTANCE).evaluate(example("naked-short-strangle"));
    JsonNode order = strangle.get("order");
    assertTrue(order.get("incremental_im").asDouble() > 0, "selling more puts raises IM");
    assertEquals(order.get("equity_after").asDouble() >= order.get("im_after").asDouble(), order.get("accepted").asBoolean());
  }

  @Test
  void orderThatReducesImIsAcceptedEvenWhenUnderwater() throws Exception {
    ObjectNode req = (ObjectNode) example("naked-short-strangle");
    ((ObjectNode) req.get("account").get("collateral").get(0)).put("quantity", 10.0);
    // Buy back the call leg: the strangle's binding scenario is the up move.
    JsonNode buyBack = JSON.readTree(example("naked-short-strangle").get("account").get("positions").get(0).toString());
    ((ObjectNode) buyBack).put("quantity", 20);
    ((ObjectNode) req.get("order")).putArray("positions").add(buyBack);
    JsonNode out = new WhatIfService(SimdKernel.INSTANCE).evaluate(req);
    assertTrue(out.get("order").get("incremental_im").asDouble() < 0);
    assertTrue(out.get("order").get("equity_after").asDouble() < out.get("order").get("im_after").asDouble());
    assertTrue(out.get("order").get("accepted").asBoolean());
  }

  @Test
  void badInputNamesTheField() throws Exception {
    ObjectNode req = (ObjectNode) example("covered-call-coin");
    req.put("as_of", "2026-01-05T08:00:00");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new WhatIfService(SimdKernel.INSTANCE).evaluate(req));
    assertTrue(e.getMessage().startsWith("as_of"), e.getMessage());
    ObjectNode req2 = (ObjectNode) example("covered-call-coin");
    ((ObjectNode) req2.get("account")).remove("margin_currency");
    e = assertThrows(InvalidInputException.class, () -> new WhatIfService(SimdKernel.INSTANCE).evaluate(req2));
    assertTrue(e.getMessage().contains("margin_currency"), e.getMessage());
  }

  @Test
  void malformedInstrumentRejectsTheAccountWithAReason() throws Exception {
    ObjectNode req = (ObjectNode) example("covered-call-coin");
    ((ObjectNode) req.get("account").get("positions").get(0).get("instrument")).put("strike", -1);
    JsonNode out = new WhatIfService(SimdKernel.INSTANCE).evaluate(req);
    assertEquals("REJECTED", out.get("status").asText());
    assertTrue(out.get("reason").asText().contains("strike"), out.get("reason").asText());
    assertTrue(out.get("im").isNull());
    assertFalse(out.get("order").get("accepted").asBoolean());
    assertEquals(Set.of(), RESPONSE.validate(out));
  }
}
