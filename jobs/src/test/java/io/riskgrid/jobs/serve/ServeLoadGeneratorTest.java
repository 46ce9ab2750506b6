package io.riskgrid.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real server: a short verified run with swaps, and loopback only. */
class ServeLoadGeneratorTest {

  @Test
  void aShortVerifiedRunWithMarketSwapsHasNoErrors(@TempDir Path dir) throws Exception {
    Path latencies = dir.resolve("latencies.csv");
    try (WhatIfServer server = ServeFixtures.start(ServeFixtures.config(), null)) {
      LoadTest.Options options = new LoadTest.Options(URI.create("http://127.0.0.1:" + server.port()), null, 200, 16, 300,
          Duration.ofSeconds(60), 20, 4, 100, 5, true, Duration.ofMillis(100), latencies, Duration.ofMillis(100));
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      LoadReport report = new LoadTest(options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
      String text = report.format(options);
      assertEquals(0, report.errorCount(), text);
      assertEquals(300, report.sent(), text);
      assertEquals(300, report.completed(), text);
      assertTrue(report.swaps() > 3, text);
      assertEquals(2, report.perMarket().size(), "both markets answered: " + text);
      assertTrue(report.p99() > 0 && report.server().get("cpu_seconds") > 0, text);
      // Scraped throughout, as Prometheus would: 20 warm-up scrapes, one at each end of the measured run, and
      // one every 100 ms of the run's 1.6 s (300 requests at 200 a second).
      assertTrue(metricsScrapes(server.port()) >= 30, "scrapes: " + metricsScrapes(server.port()));
      // One line per request, each answered (a latency, not -1), numbered in order.
      List<String> lines = Files.readAllLines(latencies);
      assertEquals("request,latency_us", lines.get(0));
      assertEquals(301, lines.size());
      for (int k = 1; k < lines.size(); k++) {
        String[] f = lines.get(k).split(",");
        assertEquals(k - 1, Integer.parseInt(f[0]));
        assertTrue(Long.parseLong(f[1]) >= 0, lines.get(k));
      }
    }
  }

  /** How many GET /metrics the server has answered, from its own metrics. */
  private static double metricsScrapes(int port) throws Exception {
    String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return LoadReport.parseMetrics(text).entrySet().stream()
        .filter(e -> e.getKey().startsWith("riskgrid_serve_requests_total{endpoint=\"metrics\""))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  @Test
  void onlyLoopbackIsLoaded() {
    for (String url : new String[] {"http://10.1.2.3:8080", "http://192.168.0.1", "https://127.0.0.1:8443"}) {
      assertThrows(InvalidInputException.class, () -> LoadTest.requireLoopback(URI.create(url)), url);
    }
    LoadTest.requireLoopback(URI.create("http://127.0.0.1:8080"));
    LoadTest.requireLoopback(URI.create("http://[::1]:8080"));
  }
}
