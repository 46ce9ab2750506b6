package io.riskgrid.jobs.serve;

import static io.riskgrid.jobs.serve.ServeFixtures.bareRequest;
import static io.riskgrid.jobs.serve.ServeFixtures.get;
import static io.riskgrid.jobs.serve.ServeFixtures.json;
import static io.riskgrid.jobs.serve.ServeFixtures.market;
import static io.riskgrid.jobs.serve.ServeFixtures.post;
import static io.riskgrid.jobs.serve.ServeFixtures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input never gets a 500: malformed bodies get 400 naming the field with the command line's
 * message; no or a wrong token 401; too large bodies 413; a silent client loses its connection.
 */
class ServeBadInputTest {
  private static final String TOKEN = "s3cret-token-for-tests";
  private static final int LIMIT = 64 * 1024;
  private static WhatIfServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ServeFixtures.start(ServeFixtures.config(TOKEN, false, LIMIT, Duration.ofSeconds(1)), market());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

  private static String modified(Consumer<ObjectNode> change) {
    ObjectNode r = bareRequest();
    change.accept(r);
    return r.toString();
  }

  /** A body and the field its 400 names. */
  static Stream<Arguments> malformed() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    return Stream.of(
        Arguments.of("empty body", "", "request"),
        Arguments.of("not JSON", "this is not json", "request"),
        Arguments.of("truncated JSON", "{\"account\": {", "request"),
        Arguments.of("XML", "<whatif><account/></whatif>", "request"),
        Arguments.of("two documents", bareRequest() + " " + bareRequest(), "request"),
        Arguments.of("an array", "[]", "request"),
        Arguments.of("a string", "\"whatif\"", "request"),
        Arguments.of("null", "null", "request"),
        Arguments.of("deep nesting", deep, "request"),
        Arguments.of("a 2,000-digit number", modified(r -> ((ObjectNode) r.get("account").get("positions").get(0))
            .put("quantity", new java.math.BigDecimal("9".repeat(2000)))), "request"),
        Arguments.of("no account", modified(r -> r.remove("account")), "account"),
        Arguments.of("quantity a string", modified(r -> ((ObjectNode) r.get("account").get("positions").get(0))
            .put("quantity", "five")), "account.positions[0].quantity"),
        Arguments.of("account_id a number", modified(r -> ((ObjectNode) r.get("account")).put("account_id", 7)),
            "account.account_id"),
        Arguments.of("unknown field", modified(r -> r.put("side", "buy")), "side"),
        Arguments.of("policy a number", modified(r -> r.put("policy", 3)), "policy"),
        Arguments.of("policy a path", modified(r -> r.put("policy", "../../etc/passwd")), "policy"),
        Arguments.of("unknown preset", modified(r -> r.put("policy", "seed-defualt")), "policy"),
        Arguments.of("as_of without zone", modified(r -> r.put("as_of", "2026-01-05T08:00:00")), "as_of"),
        Arguments.of("as_of not the served one", modified(r -> r.put("as_of", "2026-01-06T08:00:00Z")), "as_of"),
        Arguments.of("market with a bad as_of", modified(r -> {
          r.set("market", market().get("market"));
          r.put("as_of", "yesterday");
        }), "as_of"),
        Arguments.of("market index a string", modified(r -> {
          r.set("market", market().get("market").deepCopy());
          r.put("as_of", "2026-01-05T08:00:00Z");
          ((ObjectNode) r.get("market").get("underlyings").get(0)).put("index_price", "high");
        }), "market.underlyings[0].index_price"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedBodiesGet400NamingTheFieldWithTheCommandLinesMessage(String name, String body, String field) throws Exception {
    HttpResponse<String> r = post(server, "/v1/whatif", body, AUTH);
    assertEquals(400, r.statusCode(), name + ": " + r.body());
    JsonNode error = json(r);
    assertEquals(field, error.get("field").asText(), r.body());
    assertEquals("bad_request", error.get("kind").asText());
    assertTrue(error.get("error").asText().startsWith(field + ": "), r.body());
    if (!field.equals("request")) {
      // The message is the library's, which the command line prints as 'whatif: <message>'.
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> WhatIfService.forService(ScalarKernel.INSTANCE, false)
          .evaluate(ServeFixtures.JSON.readTree(body), ServedMarket.parse(market()), PolicyLoader.preset("seed-default")));
      assertEquals(e.getMessage(), error.get("error").asText());
    }
  }

  @Test
  void hugeButWellFormedNumbersAreAnsweredNotCrashedOn() throws Exception {
    for (String quantity : new String[] {"1e308", "1e999", "-1e999", "123456789012345678901234567890"}) {
      String body = bareRequest().toString().replaceFirst("\"quantity\":[-0-9.eE]+", "\"quantity\":" + quantity);
      HttpResponse<String> r = post(server, "/v1/whatif", body, AUTH);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 400, quantity + ": " + r.statusCode() + " " + r.body());
      json(r);
    }
  }

  @Test
  void noTokenOrAWrongOneIs401AndTheRightOneIsServed() throws Exception {
    HttpResponse<String> none = post(server, "/v1/whatif", bareRequest().toString());
    assertEquals(401, none.statusCode());
    assertTrue(none.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
    assertEquals("unauthorized", json(none).get("kind").asText());
    assertEquals(401, post(server, "/v1/whatif", bareRequest().toString(), "Authorization", "Bearer wrong").statusCode());
    assertEquals(401, post(server, "/v1/whatif", bareRequest().toString(), "Authorization", TOKEN).statusCode());
    assertEquals(401, post(server, "/v1/whatif", bareRequest().toString(), "Authorization", "Bearer " + TOKEN + "x").statusCode());
    assertEquals(401, put(server, "/v1/market", market().toString()).statusCode());
    assertEquals(401, get(server, "/metrics").statusCode());
    assertEquals(200, post(server, "/v1/whatif", bareRequest().toString(), AUTH).statusCode());
    assertEquals(200, get(server, "/metrics", AUTH).statusCode());
    assertEquals(200, get(server, "/healthz").statusCode(), "health needs no token");
  }

  @Test
  void bodiesAboveTheLimitAre413WithOrWithoutAContentLength() throws Exception {
    String big = "{\"pad\": \"" + "x".repeat(LIMIT) + "\"}";
    HttpResponse<String> declared = post(server, "/v1/whatif", big, AUTH);
    assertEquals(413, declared.statusCode());
    assertEquals("too_large", json(declared).get("kind").asText());
    // No Content-Length (chunked): the limit is enforced while reading.
    HttpRequest chunked = HttpRequest.newBuilder(ServeFixtures.uri(server, "/v1/whatif/batch")).headers(AUTH)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
        .build();
    HttpResponse<String> streamed = ServeFixtures.send(chunked);
    assertEquals(413, streamed.statusCode(), streamed.body());
    assertEquals(200, post(server, "/v1/whatif", bareRequest().toString(), AUTH).statusCode(), "the server goes on");
  }

  @Test
  void aClientThatStopsSendingLosesItsConnection() throws Exception {
    try (Socket slow = new Socket()) {
      slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
      slow.setSoTimeout(10_000);
      OutputStream out = slow.getOutputStream();
      out.write(("POST /v1/whatif HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
          + "\r\nContent-Length: 1000\r\n\r\n{\"acc").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      // Meanwhile the server answers everyone else.
      assertEquals(200, post(server, "/v1/whatif", bareRequest().toString(), AUTH).statusCode());
      InputStream in = slow.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // An error response may come first; the server then closes the connection.
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 8, "closed after the 1 s idle timeout, took " + seconds + " s");
    }
  }
}
