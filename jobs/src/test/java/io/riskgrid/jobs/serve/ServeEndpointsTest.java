package io.riskgrid.jobs.serve;

import static io.riskgrid.jobs.serve.ServeFixtures.JSON;
import static io.riskgrid.jobs.serve.ServeFixtures.bareRequest;
import static io.riskgrid.jobs.serve.ServeFixtures.get;
import static io.riskgrid.jobs.serve.ServeFixtures.json;
import static io.riskgrid.jobs.serve.ServeFixtures.market;
import static io.riskgrid.jobs.serve.ServeFixtures.post;
import static io.riskgrid.jobs.serve.ServeFixtures.put;
import static io.riskgrid.jobs.serve.ServeFixtures.withMarket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint of a real server on 127.0.0.1, checked against a direct {@link WhatIfService} call. */
class ServeEndpointsTest {
  private static final JsonSchema RESPONSE = PolicyLoader.loadSchema("/io/riskgrid/json-schema/whatif-response.schema.json");
  private static WhatIfServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ServeFixtures.start(ServeFixtures.config(), market());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JsonNode direct(JsonNode request) {
    return new WhatIfService(ScalarKernel.INSTANCE).evaluate(request);
  }

  @Test
  void whatIfWithoutMarketIsValuedOnTheServedOneAndNamesIt() throws Exception {
    HttpResponse<String> r = post(server, "/v1/whatif", bareRequest().toString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    ObjectNode answer = (ObjectNode) json(r);
    assertEquals(Set.of(), RESPONSE.validate(answer), answer.toPrettyString());
    JsonNode marketUsed = answer.remove("market");
    assertEquals("served", marketUsed.get("source").asText());
    assertEquals("2026-01-05T08:00:00Z", marketUsed.get("as_of").asText());
    assertEquals(ServedMarket.parse(market()).hash(), marketUsed.get("hash").asText());
    assertEquals(direct(withMarket(bareRequest(), market())), answer);
  }

  @Test
  void whatIfWithItsOwnMarketUsesIt() throws Exception {
    ObjectNode own = withMarket(bareRequest(), ServeFixtures.marketWithBtcAt(80_000));
    ObjectNode answer = (ObjectNode) json(post(server, "/v1/whatif", own.toString()));
    assertEquals("request", answer.remove("market").get("source").asText());
    assertEquals(direct(own), answer);
  }

  @Test
  void batchAnswersEveryLineInOrderAndABadLineNamesItsField() throws Exception {
    ObjectNode strangle = ServeFixtures.read("whatif/naked-short-strangle.json");
    strangle.remove("as_of");
    strangle.remove("market");
    ObjectNode bad = bareRequest();
    ((ObjectNode) bad.get("account").get("positions").get(0)).put("quantity", "five");
    String body = bareRequest() + "\n" + bad + "\r\n\n" + strangle + "\n";
    HttpResponse<String> r = post(server, "/v1/whatif/batch", body);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElse(""));
    List<String> lines = r.body().lines().toList();
    assertEquals(3, lines.size(), r.body());
    ObjectNode first = (ObjectNode) JSON.readTree(lines.get(0));
    first.remove("market");
    assertEquals(direct(withMarket(bareRequest(), market())), first);
    JsonNode error = JSON.readTree(lines.get(1));
    assertEquals("account.positions[0].quantity", error.get("field").asText(), lines.get(1));
    assertEquals(2, error.get("line").asInt());
    ObjectNode third = (ObjectNode) JSON.readTree(lines.get(2));
    third.remove("market");
    assertEquals(direct(withMarket(strangle, market())), third);
    assertEquals(400, post(server, "/v1/whatif/batch", "\n \n").statusCode(), "a batch of nothing");
  }

  @Test
  void healthSaysWhichMarketPolicyAndKernelAreServed() throws Exception {
    HttpResponse<String> r = get(server, "/healthz");
    assertEquals(200, r.statusCode());
    JsonNode h = json(r);
    assertEquals("ok", h.get("status").asText());
    assertEquals(server.market().market().hash(), h.get("market").get("hash").asText());
    assertTrue(h.get("market").get("age_seconds").asDouble() > 0);
    assertEquals("seed-default", h.get("policy").get("name").asText());
    assertEquals("scalar", h.get("kernel").asText());
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    post(server, "/v1/whatif", bareRequest().toString());
    post(server, "/v1/whatif", "{");
    HttpResponse<String> r = get(server, "/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"), r.headers().toString());
    String text = r.body();
    for (String expected : List.of("riskgrid_serve_requests_total{endpoint=\"whatif\",status=\"200\"}",
        "riskgrid_serve_requests_total{endpoint=\"whatif\",status=\"400\"}", "riskgrid_serve_errors_total{kind=\"bad_request\"}",
        "riskgrid_serve_request_duration_seconds_bucket{endpoint=\"whatif\",le=\"0.001\"}",
        "riskgrid_serve_request_latency_seconds{endpoint=\"whatif\",quantile=\"0.99\"}", "riskgrid_serve_market_age_seconds ",
        "riskgrid_serve_market_served{as_of=\"2026-01-05T08:00:00Z\"")) {
      assertTrue(text.contains(expected), expected + " in\n" + text);
    }
  }

  /**
   * A request the server has seen (its instrument definitions, on the served market) is read by the
   * streaming fast path, and answers exactly as the first one, which took the tree path; so do the
   * lines of a batch. The metric counts both paths.
   */
  @Test
  void warmRequestsAreStreamedAndAnswerAsTheFirst() throws Exception {
    String body = bareRequest().toString();
    HttpResponse<String> first = post(server, "/v1/whatif", body);
    double before = streamed();
    for (int k = 0; k < 3; k++) {
      HttpResponse<String> again = post(server, "/v1/whatif", body);
      assertEquals(200, again.statusCode(), again.body());
      assertEquals(first.body(), again.body());
    }
    HttpResponse<String> batch = post(server, "/v1/whatif/batch", body + "\n" + body + "\n");
    assertEquals(first.body() + "\n" + first.body() + "\n", batch.body());
    // Every service in the pool may see the definitions once; at most one tree read each, none here after warm-up.
    assertTrue(streamed() >= before + 3, "streamed reads: " + before + " -> " + streamed());
  }

  private static double streamed() throws Exception {
    for (String line : get(server, "/metrics").body().split("\n")) {
      if (line.startsWith("riskgrid_serve_whatif_reads_total{path=\"stream\"}")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void unknownPathsAndMethodsAreNamed() throws Exception {
    HttpResponse<String> notFound = get(server, "/v1/nothing");
    assertEquals(404, notFound.statusCode());
    assertTrue(json(notFound).get("error").asText().contains("POST /v1/whatif"));
    HttpResponse<String> wrongMethod = get(server, "/v1/whatif");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("POST", wrongMethod.headers().firstValue("allow").orElse(""));
    assertEquals(405, post(server, "/v1/market", market().toString()).statusCode());
  }

  @Test
  void policyFilesAreRefusedUnlessAllowed() throws Exception {
    ObjectNode byPath = bareRequest().put("policy", "/etc/passwd");
    HttpResponse<String> r = post(server, "/v1/whatif", byPath.toString());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("policy", json(r).get("field").asText());
    java.nio.file.Path file = java.nio.file.Files.createTempFile("policy", ".json");
    try (var in = PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/span16.json")) {
      java.nio.file.Files.write(file, in.readAllBytes());
    }
    try (WhatIfServer allowing = ServeFixtures.start(ServeFixtures.config(null, true, 1 << 20, java.time.Duration.ofSeconds(30)),
        market())) {
      HttpResponse<String> ok = post(allowing, "/v1/whatif", bareRequest().put("policy", file.toString()).toString());
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("span16", json(ok).get("policy").get("name").asText());
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void aMarketPutIsValidatedThenServed() throws Exception {
    try (WhatIfServer own = ServeFixtures.start(ServeFixtures.config(), null)) {
      assertEquals(503, get(own, "/healthz").statusCode(), "no market yet");
      HttpResponse<String> noMarket = post(own, "/v1/whatif", bareRequest().toString());
      assertEquals(400, noMarket.statusCode());
      assertEquals("market", json(noMarket).get("field").asText());

      ObjectNode broken = market();
      ((ObjectNode) broken.get("market").get("underlyings").get(0)).put("index_price", "high");
      HttpResponse<String> refused = put(own, "/v1/market", broken.toString());
      assertEquals(400, refused.statusCode());
      assertEquals("market.underlyings[0].index_price", json(refused).get("field").asText());
      assertEquals(null, own.market(), "a refused market is not served");

      HttpResponse<String> first = put(own, "/v1/market", market().toString());
      assertEquals(200, first.statusCode(), first.body());
      JsonNode firstBody = json(first);
      assertEquals(ServedMarket.parse(market()).hash(), firstBody.get("market").get("hash").asText());
      assertTrue(firstBody.get("previous").isNull());

      ObjectNode moved = ServeFixtures.marketWithBtcAt(80_000);
      JsonNode second = json(put(own, "/v1/market", moved.toString()));
      assertEquals(firstBody.get("market").get("hash"), second.get("previous").get("hash"));
      String movedHash = ServedMarket.parse(moved).hash();
      assertEquals(movedHash, second.get("market").get("hash").asText());
      assertNotEquals(firstBody.get("market").get("hash").asText(), movedHash);

      ObjectNode answer = (ObjectNode) json(post(own, "/v1/whatif", bareRequest().toString()));
      assertEquals(movedHash, answer.remove("market").get("hash").asText());
      assertEquals(direct(withMarket(bareRequest(), moved)), answer);
      assertEquals(movedHash, json(get(own, "/healthz")).get("market").get("hash").asText());
    }
  }
}
