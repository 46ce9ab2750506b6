package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service ({@link WhatIfService#forService}) values every account on one shared stage-1 book per
 * market and policy, grown as new instruments arrive; with the scalar kernel each answer is, bit for
 * bit, the command line's, which values every request on a book of its own.
 */
class WhatIfSharedBookTest {

  /** Account k: a random subset of calls and puts on a strike ladder (new strikes keep arriving) and the future. */
  private static ObjectNode account(int k, String policy) {
    ObjectNode request = WhatIfFixtures.request();
    request.put("policy", policy);
    SplittableRandom rnd = new SplittableRandom(k);
    ArrayNode positions = (ArrayNode) request.get("account").get("positions");
    ObjectNode future = (ObjectNode) positions.get(2).deepCopy();
    ObjectNode template = (ObjectNode) positions.get(0).deepCopy();
    positions.removeAll();
    int legs = 1 + rnd.nextInt(30);
    for (int j = 0; j < legs; j++) {
      int strike = 60_000 + 1_000 * rnd.nextInt(10 + k);
      boolean call = rnd.nextBoolean();
      ObjectNode p = template.deepCopy();
      ((ObjectNode) p.get("instrument")).put("instrument_id", "BTC-30JAN26-" + strike + (call ? "-C" : "-P"))
          .put("option_type", call ? "CALL" : "PUT").put("strike", strike);
      p.put("quantity", rnd.nextInt(-20, 20) + 0.5);
      positions.add(p);
    }
    positions.add(future.put("quantity", rnd.nextInt(-5, 5) + 0.25));
    return request;
  }

  @ParameterizedTest
  @ValueSource(strings = {"seed-default", "deribit-like", "span16"})
  void withTheScalarKernelEveryAnswerOfAWarmServiceIsBitForBitTheCommandLines(String policy) {
    WhatIfService warm = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    for (int k = 0; k < 60; k++) {
      ObjectNode request = account(k, policy);
      assertEquals(new WhatIfService(ScalarKernel.INSTANCE).evaluate(request), warm.evaluate(request), "account " + k);
    }
    for (int k = 0; k < 5; k++) {
      ObjectNode request = account(k, policy);
      assertEquals(new WhatIfService(ScalarKernel.INSTANCE).evaluate(request), warm.evaluate(request), "again " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"seed-default", "deribit-like"})
  void withTheSimdKernelAWarmServiceAgreesWithTheCommandLine(String policy) {
    WhatIfService warm = WhatIfService.forService(SimdKernel.INSTANCE, false);
    for (int k = 0; k < 60; k++) {
      ObjectNode request = account(k, policy);
      assertAgree(new WhatIfService(SimdKernel.INSTANCE).evaluate(request), warm.evaluate(request), "account " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theCommandLinesServiceAnswersEveryRequestOnItsOwnBook(boolean simd) {
    RiskKernel kernel = simd ? SimdKernel.INSTANCE : ScalarKernel.INSTANCE;
    WhatIfService warm = new WhatIfService(kernel);
    for (int k = 0; k < 30; k++) {
      ObjectNode request = account(k, "seed-default");
      assertEquals(new WhatIfService(kernel).evaluate(request), warm.evaluate(request), "account " + k);
    }
  }

  @Test
  void afterAMarketSwapThePreparedBookAnswersAsAFreshService() {
    ObjectNode a = ServedMarketTest.marketDocument();
    ObjectNode b = ServedMarketTest.marketDocument();
    ((ObjectNode) b.get("market").get("underlyings").get(0)).put("index_price", 90_000.0);
    ServedMarket marketA = ServedMarket.parse(a);
    ServedMarket marketB = ServedMarket.parse(b);
    MarginPolicy seed = PolicyLoader.preset("seed-default");
    WhatIfService warm = WhatIfService.forService(ScalarKernel.INSTANCE, false);
    for (int k = 0; k < 40; k++) {
      warm.evaluate(served(account(k, "seed-default")), marketA, seed);
    }
    warm.prepare(marketB, seed);
    for (int k = 0; k < 45; k++) {
      ObjectNode request = account(k, "seed-default");
      JsonNode fresh = new WhatIfService(ScalarKernel.INSTANCE).evaluate(request.deepCopy().put("as_of", "2026-01-05T08:00:00Z")
          .set("market", b.get("market")));
      ObjectNode answer = warm.evaluate(served(request), marketB, seed);
      answer.remove("market");
      assertEquals(fresh, answer, "account " + k + " on the new market");
    }
  }

  /** A request without as_of and market, for a served market. */
  private static ObjectNode served(ObjectNode request) {
    ObjectNode r = request.deepCopy();
    r.remove("as_of");
    r.remove("market");
    return r;
  }

  /** Same structure and text; numbers within 1e-12 relative (the kernels' own agreement is 1e-10). */
  private static void assertAgree(JsonNode expected, JsonNode actual, String where) {
    if (expected.isNumber() && actual.isNumber()) {
      double a = expected.asDouble();
      double b = actual.asDouble();
      assertTrue(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)), where + ": " + a + " vs " + b);
    } else if (expected.isContainerNode()) {
      assertEquals(expected.size(), actual.size(), where);
      if (expected.isArray()) {
        for (int i = 0; i < expected.size(); i++) {
          assertAgree(expected.get(i), actual.get(i), where + "[" + i + "]");
        }
      } else {
        expected.fieldNames().forEachRemaining(f -> assertAgree(expected.get(f), actual.get(f), where + "." + f));
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }
}
