package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the load generator makes of each answer: an error by kind (a failed exchange, a status other than
 * 200, a market hash it did not put, and with expected answers, numbers other than a direct what-if's on
 * the market the answer names), and how many answers each market served. Safe to call from Jetty's
 * threads at once.
 */
final class ResponseCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String hashA;
  private final String hashB;
  private final int workloadSize;
  private volatile Map<String, JsonNode[]> expected;
  private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perMarket = new ConcurrentHashMap<>();

  /**
   * @param hashA        the hash of one market the generator puts (64 hex digits)
   * @param hashB        the other's
   * @param workloadSize the number of distinct requests; request k is request k mod this
   */
  ResponseCheck(String hashA, String hashB, int workloadSize) {
    this.hashA = hashA;
    this.hashB = hashB;
    this.workloadSize = workloadSize;
  }

  /**
   * Each answer's numbers are then compared with {@code expected}: by market hash, the direct what-if's
   * answer to each distinct request without its {@code market} member.
   */
  void expect(Map<String, JsonNode[]> expected) {
    this.expected = expected;
  }

  /** Checks the answer to request {@code k}: {@code status} -1 and {@code failure} set when none came. */
  void check(int k, int status, String body, Throwable failure) {
    String error = null;
    if (failure != null) {
      error = failure.getClass().getSimpleName();
    } else if (status != 200) {
      error = "HTTP " + status;
    } else {
      String hash = marketHash(body);
      if (!hashA.equals(hash) && !hashB.equals(hash)) {
        error = "unknown market hash";
      } else {
        perMarket.computeIfAbsent(hash.substring(0, 12), h -> new AtomicInteger()).incrementAndGet();
        if (expected != null && !matches(k, hash, body)) {
          error = "numbers differ from a direct what-if on that market";
        }
      }
    }
    if (error != null) {
      count(error, 1);
    }
  }

  /** Counts {@code n} errors of one kind, named as the report prints it. */
  void count(String error, int n) {
    errors.computeIfAbsent(error, e -> new AtomicInteger()).addAndGet(n);
  }

  /** Forgets what was counted: the warm-up's answers are not the measured run's. */
  void clear() {
    errors.clear();
    perMarket.clear();
  }

  /** Errors by kind, so far. */
  Map<String, Integer> errors() {
    return snapshot(errors);
  }

  /** Answers by market (the hash's first 12 digits), so far. */
  Map<String, Integer> perMarket() {
    return snapshot(perMarket);
  }

  private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private boolean matches(int k, String hash, String body) {
    try {
      ObjectNode answer = (ObjectNode) JSON.readTree(body);
      answer.remove("market");
      return expected.get(hash)[k % workloadSize].equals(answer);
    } catch (IOException | ClassCastException e) {
      return false;
    }
  }

  /** The served market's hash in a response body, found without parsing the whole response; null if none. */
  static String marketHash(String body) {
    int market = body.indexOf("\"market\":{");
    int at = market < 0 ? -1 : body.indexOf("\"hash\":\"", market);
    return at < 0 || at + 8 + 64 > body.length() ? null : body.substring(at + 8, at + 8 + 64);
  }
}
