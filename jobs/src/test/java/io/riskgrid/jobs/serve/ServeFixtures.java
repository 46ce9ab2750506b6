package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real server on 127.0.0.1 with an ephemeral port, the shipped example market and requests, and an HTTP client. */
final class ServeFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path EXAMPLES = Path.of("..", "deploy", "examples");
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ServeFixtures() {}

  static ServeConfig config(String token, boolean policyFiles, long maxBody, Duration idle) {
    return new ServeConfig("127.0.0.1", 0, PolicyLoader.preset("seed-default"), ScalarKernel.INSTANCE, token, policyFiles,
        maxBody, idle, 16, 2);
  }

  static ServeConfig config() {
    return config(null, false, 1 << 20, Duration.ofSeconds(30));
  }

  /** A started server on an ephemeral loopback port; close it. */
  static WhatIfServer start(ServeConfig config, JsonNode marketDocument) throws Exception {
    MarketState market = marketDocument == null ? null
        : new MarketState(ServedMarket.parse(marketDocument), "test", Clock.systemUTC().instant());
    WhatIfServer server = new WhatIfServer(config, market, Clock.systemUTC());
    server.start();
    return server;
  }

  static ObjectNode read(String relative) {
    try {
      return (ObjectNode) JSON.readTree(Files.readAllBytes(EXAMPLES.resolve(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The served example market: {as_of, market}. */
  static ObjectNode market() {
    return read("serve/market.json");
  }

  /** The example what-if request without as_of and market. */
  static ObjectNode bareRequest() {
    return read("serve/whatif.json");
  }

  /** {@code request} with {@code marketDocument}'s as_of and market in it: what a client without a server sends. */
  static ObjectNode withMarket(JsonNode request, JsonNode marketDocument) {
    ObjectNode full = JSON.createObjectNode();
    full.set("as_of", marketDocument.get("as_of"));
    full.setAll((ObjectNode) request.deepCopy());
    full.set("market", marketDocument.get("market"));
    return full;
  }

  /** The example market with BTC moved to {@code index}. */
  static ObjectNode marketWithBtcAt(double index) {
    ObjectNode m = market();
    ((ObjectNode) m.get("market").get("underlyings").get(0)).put("index_price", index);
    return m;
  }

  static URI uri(WhatIfServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(WhatIfServer server, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  static HttpResponse<String> get(WhatIfServer server, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  static HttpResponse<String> put(WhatIfServer server, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
    }
  }
}
