package io.riskgrid.jobs.serve;

import static io.riskgrid.jobs.serve.ServeFixtures.JSON;
import static io.riskgrid.jobs.serve.ServeFixtures.bareRequest;
import static io.riskgrid.jobs.serve.ServeFixtures.market;
import static io.riskgrid.jobs.serve.ServeFixtures.withMarket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Markets swapped while requests are in flight: every response is valued on the old market or the
 * new one, never a mix, and says which (its hash), and its numbers equal a direct call on that market.
 */
class ServeMarketSwapTest {

  @Test
  void everyResponseUnderSwapsIsWhollyOnTheMarketItNames() throws Exception {
    ObjectNode a = market();
    ObjectNode b = ServeFixtures.marketWithBtcAt(80_000);
    ((ObjectNode) b.get("market").get("underlyings").get(1)).put("index_price", 2_500.0);
    WhatIfService direct = new WhatIfService(ScalarKernel.INSTANCE);
    Map<String, JsonNode> expected = Map.of(
        ServedMarket.parse(a).hash(), direct.evaluate(withMarket(bareRequest(), a)),
        ServedMarket.parse(b).hash(), direct.evaluate(withMarket(bareRequest(), b)));
    String request = bareRequest().toString();
    try (WhatIfServer server = ServeFixtures.start(ServeFixtures.config(), a)) {
      AtomicBoolean running = new AtomicBoolean(true);
      Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> clients = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        clients.add(pool.submit(() -> {
          int n = 0;
          while (running.get()) {
            HttpResponse<String> r = ServeFixtures.post(server, "/v1/whatif", request);
            assertEquals(200, r.statusCode(), r.body());
            ObjectNode answer = (ObjectNode) JSON.readTree(r.body());
            String hash = answer.remove("market").get("hash").asText();
            assertTrue(expected.containsKey(hash), "unknown market hash " + hash);
            assertEquals(expected.get(hash), answer, "numbers of market " + hash);
            seen.computeIfAbsent(hash, k -> new AtomicInteger()).incrementAndGet();
            n++;
          }
          return n;
        }));
      }
      Future<Integer> swapper = pool.submit(() -> {
        int swaps = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
          HttpResponse<String> r = ServeFixtures.put(server, "/v1/market", (swaps % 2 == 0 ? b : a).toString());
          assertEquals(200, r.statusCode(), r.body());
          swaps++;
          Thread.sleep(10);
        }
        running.set(false);
        return swaps;
      });
      int swaps = swapper.get(60, TimeUnit.SECONDS);
      int answered = 0;
      for (Future<Integer> f : clients) {
        answered += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(swaps > 20, "swaps: " + swaps);
      assertTrue(answered > 100, "answered: " + answered);
      assertEquals(expected.keySet(), seen.keySet(), "both markets were served: " + seen);
    }
  }
}
