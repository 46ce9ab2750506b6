package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.WhatIfJson;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What {@code serve}'s endpoints answer, from request bytes to response bytes, without HTTP: the
 * what-if of one request, JSON Lines batches, the market swap and the health report. Every request
 * reads the served market once, so it is valued on one market from start to end, and a swap
 * ({@link #putMarket}) replaces the whole {@link MarketState} atomically. Bad input throws
 * {@link InvalidInputException} naming the field; a JSON Lines line answers its own error line instead.
 */
final class Endpoints {
  /** A status and a body. */
  record Answer(int status, byte[] body) {}

  private final AtomicReference<MarketState> market;
  private final ServeConfig config;
  private final ServicePool services;
  private final ServeMetrics metrics;
  private final Clock clock;
  private final Instant started;
  /** The last few markets served, by hash. */
  private final Map<String, ServedMarket> recent = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ServedMarket> eldest) {
      return size() > RECENT_MARKETS;
    }
  });
  private static final int RECENT_MARKETS = 4;
  /** Responses are written by generators of the service's JSON (its fast double writer), as {@link ServeHandler#bytes}. */
  private static final JsonFactory JSON = ServeHandler.JSON.getFactory();

  Endpoints(AtomicReference<MarketState> market, ServeConfig config, ServeMetrics metrics, Clock clock) {
    this.market = market;
    this.config = config;
    this.services = new ServicePool(config.kernel(), config.policyFilesAllowed(), config.workers());
    this.metrics = metrics;
    this.clock = clock;
    this.started = clock.instant();
    MarketState initial = market.get();
    if (initial != null) {
      recent.put(initial.market().hash(), initial.market());
    }
  }

  /** {@code POST /v1/whatif}: one request, one response (whatif-response.schema.json with {@code market}). */
  Answer whatIf(byte[] body, int length) {
    MarketState served = market.get();
    WhatIfService service = services.borrow();
    try {
      long streamed = service.streamedRequests();
      byte[] answer = service.evaluateToBytes(body, 0, length, served == null ? null : served.market(), config.policy(),
          () -> WhatIfJson.readOne(body, 0, length, "POST JSON Lines to /v1/whatif/batch for several"), JSON);
      metrics.read(service.streamedRequests() > streamed);
      return new Answer(HttpStatus.OK_200, answer);
    } finally {
      services.giveBack(service);
    }
  }

  /**
   * {@code POST /v1/whatif/batch}: JSON Lines in, one response or error line per non-blank line out, in
   * order, all on the market served when the batch started. An error line is
   * {@code {"error": "field: message", "field": ..., "line": n}} and the lines after it go on.
   */
  Answer batch(byte[] body, int length) {
    MarketState served = market.get();
    ServedMarket servedMarket = served == null ? null : served.market();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, length / 2));
    WhatIfService service = services.borrow();
    int answered = 0;
    try {
      long lineNo = 0;
      for (int from = 0; from < length; ) {
        int to = indexOf(body, (byte) '\n', from, length);
        lineNo++;
        int end = to > from && body[to - 1] == '\r' ? to - 1 : to;
        if (!blank(body, from, end)) {
          byte[] answer;
          try {
            int lineFrom = from;
            int lineLength = end - from;
            long streamed = service.streamedRequests();
            answer = service.evaluateToBytes(body, lineFrom, lineLength, servedMarket, config.policy(),
                () -> WhatIfJson.readLine(body, lineFrom, lineLength), JSON);
            metrics.read(service.streamedRequests() > streamed);
            metrics.line(true);
          } catch (InvalidInputException e) {
            answer = ServeHandler.bytes(WhatIfJson.error(e, lineNo));
            metrics.line(false);
            metrics.error("bad_line");
          }
          out.write(answer);
          out.write('\n');
          answered++;
        }
        from = to + 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      services.giveBack(service);
    }
    if (answered == 0) {
      throw new InvalidInputException(WhatIfJson.REQUEST, "is empty; expected JSON Lines, one what-if request per line");
    }
    return new Answer(HttpStatus.OK_200, out.toByteArray());
  }

  /**
   * {@code PUT /v1/market}: a market document ({@code {"as_of": ..., "market": {...}}}) is validated,
   * then swapped in whole; requests in flight finish on the old one. Answers the new market and the previous one.
   */
  Answer putMarket(byte[] body, int length, String from) {
    ServedMarket parsed = ServedMarket.parse(WhatIfJson.readOne(body, 0, length, "one market per PUT"));
    // A market served recently (same document, same hash) comes back as the same snapshot, so the books
    // valued on it are still warm; then stage 1 of the idle services is valued before the swap.
    ServedMarket known = recent.putIfAbsent(parsed.hash(), parsed);
    ServedMarket served = known != null ? known : parsed;
    services.forEachIdle(s -> s.prepare(served, config.policy()));
    MarketState next = new MarketState(served, "PUT /v1/market from " + from, clock.instant());
    MarketState previous = market.getAndSet(next);
    metrics.swapped();
    ObjectNode out = ServeHandler.JSON.createObjectNode();
    out.set("market", next.describe(clock.instant()));
    if (previous == null) {
      out.putNull("previous");
    } else {
      out.putObject("previous").put("as_of", previous.market().asOf().toString()).put("hash", previous.market().hash());
    }
    return new Answer(HttpStatus.OK_200, ServeHandler.bytes(out));
  }

  /** {@code GET /healthz}: 200 with the served market, policy and kernel; 503 while there is no market. */
  Answer health() {
    MarketState served = market.get();
    Instant now = clock.instant();
    ObjectNode out = ServeHandler.JSON.createObjectNode();
    out.put("status", served == null ? "no_market" : "ok");
    if (served == null) {
      out.putNull("market");
    } else {
      out.set("market", served.describe(now));
    }
    out.putObject("policy").put("name", config.policy().name()).put("hash", config.policy().hash());
    out.put("kernel", config.kernel().name());
    out.put("uptime_seconds", (now.toEpochMilli() - started.toEpochMilli()) / 1000.0);
    return new Answer(served == null ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200, ServeHandler.bytes(out));
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (bytes[k] == b) {
        return k;
      }
    }
    return to;
  }

  private static boolean blank(byte[] bytes, int from, int to) {
    for (int k = from; k < to; k++) {
      if (bytes[k] != ' ' && bytes[k] != '\t' && bytes[k] != '\r') {
        return false;
      }
    }
    return true;
  }
}
