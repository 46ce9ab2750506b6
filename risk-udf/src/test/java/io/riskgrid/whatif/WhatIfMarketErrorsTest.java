package io.riskgrid.whatif;

import static io.riskgrid.whatif.WhatIfFixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;

/**
 * Market data is validated per underlying (DESIGN §3.1): a malformed timestamp in one underlying's
 * data makes only the accounts touching it DATA_ERROR; the request-level {@code as_of} stays a
 * request error.
 */
class WhatIfMarketErrorsTest {
  private final WhatIfService service = new WhatIfService(ScalarKernel.INSTANCE);

  /** The fixture's market plus SOL, whose only vol slice has an expiry without a zone. */
  private static ObjectNode withBrokenSol(ObjectNode request) throws Exception {
    ((ArrayNode) request.get("market").get("underlyings")).add(JSON.readTree("""
        {"underlying": "SOL", "index_price": 140.5,
         "vol_slices": [{"expiry": "2026-01-30T08:00:00", "a": 0.01, "b": 0.05, "rho": -0.2, "m": 0, "sigma_svi": 0.1}]}"""));
    return request;
  }

  @Test
  void anAccountThatDoesNotTouchTheBrokenUnderlyingIsMarginedAsWithoutIt() throws Exception {
    JsonNode clean = service.evaluate(WhatIfFixtures.request());
    JsonNode withSol = service.evaluate(withBrokenSol(WhatIfFixtures.request()));
    assertEquals("OK", withSol.get("status").asText(), withSol.toPrettyString());
    for (String field : new String[] {"im", "mm", "equity", "standard_im", "by_underlying", "order"}) {
      assertEquals(clean.get(field), withSol.get(field), field);
    }
  }

  @Test
  void anAccountHoldingTheBrokenUnderlyingIsDataErrorNamingTheField() throws Exception {
    ObjectNode request = withBrokenSol(WhatIfFixtures.request());
    ((ArrayNode) request.get("account").get("positions")).add(JSON.readTree("""
        {"instrument": {"instrument_id": "SOL-PERP", "underlying": "SOL", "kind": "PERPETUAL", "settlement": "LINEAR",
          "multiplier": 1}, "quantity": 10, "entry_price": 140}"""));
    JsonNode out = service.evaluate(request);
    assertEquals("DATA_ERROR", out.get("status").asText(), out.toPrettyString());
    String reason = out.get("reason").asText();
    assertTrue(reason.startsWith("SOL: market.underlyings[1].vol_slices[0].expiry: "), reason);
    assertTrue(reason.contains("without a zone"), reason);
    assertTrue(out.get("im").isNull());
  }

  @Test
  void collateralInTheBrokenUnderlyingIsDataErrorToo() throws Exception {
    ObjectNode request = withBrokenSol(WhatIfFixtures.request());
    ((ArrayNode) request.get("account").get("collateral")).addObject().put("asset", "SOL").put("quantity", 100);
    JsonNode out = service.evaluate(request);
    assertEquals("DATA_ERROR", out.get("status").asText(), out.toPrettyString());
    assertTrue(out.get("reason").asText().startsWith("SOL: "), out.get("reason").asText());
  }

  @Test
  void aMalformedForwardExpiryIsThatUnderlyingsErrorOnly() throws Exception {
    ObjectNode request = WhatIfFixtures.request();
    ((ArrayNode) request.get("market").get("underlyings")).add(JSON.readTree("""
        {"underlying": "ETH", "index_price": 3100, "flat_vol": 0.6,
         "forwards": [{"expiry": "27MAR26", "forward": 3150}]}"""));
    assertEquals("OK", service.evaluate(request).get("status").asText());
  }

  @Test
  void aMalformedAsOfStaysARequestError() {
    ObjectNode request = WhatIfFixtures.request();
    request.put("as_of", "2026-01-05T08:00:00");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.evaluate(request));
    assertEquals("as_of", e.field());
  }
}
