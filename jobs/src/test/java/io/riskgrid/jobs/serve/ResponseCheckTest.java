package io.riskgrid.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private static String answer(String hash, double mm) {
    return "{\"market\":{\"as_of\":\"2026-02-05\",\"hash\":\"" + hash + "\"},\"pm_mm\":" + mm + "}";
  }

  private static JsonNode numbers(double mm) throws Exception {
    return JSON.readTree("{\"pm_mm\":" + mm + "}");
  }

  @Test
  void countsEachKindOfBadAnswerAndTheAnswersOfEachMarket() throws Exception {
    ResponseCheck check = new ResponseCheck(A, B, 2);
    check.expect(Map.of(A, new JsonNode[] {numbers(10.0), numbers(20.0)}, B, new JsonNode[] {numbers(11.0), numbers(21.0)}));
    check.check(0, 200, answer(A, 10.0), null);
    check.check(3, 200, answer(B, 21.0), null); // request 3 is the workload's request 1
    check.check(2, 200, answer(A, 10.5), null);
    check.check(1, 200, answer(B, 20.0), null); // market A's numbers under market B's hash
    check.check(4, 200, answer("c".repeat(64), 10.0), null);
    check.check(5, 200, "{\"pm_mm\":1}", null);
    check.check(6, 503, "busy", null);
    check.check(7, -1, null, new java.io.EOFException());
    check.count("unanswered after 60 s", 3);
    assertEquals(Map.of("numbers differ from a direct what-if on that market", 2, "unknown market hash", 2, "HTTP 503", 1,
        "EOFException", 1, "unanswered after 60 s", 3), check.errors());
    assertEquals(Map.of(A.substring(0, 12), 2, B.substring(0, 12), 2), check.perMarket());
    check.clear();
    assertEquals(Map.of(), check.errors());
    assertEquals(Map.of(), check.perMarket());
  }

  @Test
  void withoutExpectedAnswersOnlyTheStatusAndTheHashAreChecked() {
    ResponseCheck check = new ResponseCheck(A, B, 2);
    check.check(0, 200, answer(B, 99.0), null);
    assertEquals(Map.of(), check.errors());
    assertEquals(Map.of(B.substring(0, 12), 1), check.perMarket());
  }

  @Test
  void theMarketHashIsFoundInsideTheMarketMemberOnly() {
    assertEquals(A, ResponseCheck.marketHash(answer(A, 1.0)));
    assertNull(ResponseCheck.marketHash("{\"hash\":\"" + A + "\"}"), "a hash outside market is not the market's");
    assertNull(ResponseCheck.marketHash("{\"market\":{\"hash\":\"abc\"}}"), "a hash cut short");
  }
}
