package io.riskgrid.jobs.serve;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link LoadTest} run measured. Latencies in seconds: the client's from each request's due time
 * (open loop) or send (closed loop); the server's from its {@code /metrics} scraped before and after.
 * {@code server} holds {@code p50_60s}, {@code p99_60s}, {@code p999_60s} (the summary over the last
 * minute), {@code p99_bucket_bound_run} (the histogram bucket of the run's p99), {@code cpu_seconds} and
 * {@code client_cpu_seconds} (all threads of each JVM), and the server heap before and after.
 */
public record LoadReport(int sent, int completed, double seconds, double achievedRate, Map<String, Integer> errors,
    double p50, double p99, double p999, double max, Map<String, Double> server, int swaps, Map<String, Integer> perMarket) {

  public int errorCount() {
    return errors.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@code latency[i]} in nanoseconds, or -1 for a request that was not answered. */
  static LoadReport of(int sent, long[] latency, double seconds, Map<String, Double> before, Map<String, Double> after,
      int swaps, double clientCpu, Map<String, Integer> errors, Map<String, Integer> perMarket) {
    long[] done = Arrays.stream(latency, 0, sent).filter(l -> l >= 0).sorted().toArray();
    Map<String, Double> server = new TreeMap<>();
    for (String[] q : new String[][] {{"p50", "0.5"}, {"p99", "0.99"}, {"p999", "0.999"}}) {
      server.put(q[0] + "_60s", after.getOrDefault(
          "riskgrid_serve_request_latency_seconds{endpoint=\"whatif\",quantile=\"" + q[1] + "\"}", Double.NaN));
    }
    server.put("p99_bucket_bound_run", bucketQuantile(before, after, 0.99));
    server.put("cpu_seconds", after.getOrDefault("process_cpu_seconds_total", Double.NaN)
        - before.getOrDefault("process_cpu_seconds_total", Double.NaN));
    server.put("client_cpu_seconds", clientCpu);
    for (String heap : new String[] {"riskgrid_serve_heap_used_bytes", "riskgrid_serve_heap_after_gc_bytes"}) {
      server.put(heap + "_before", before.getOrDefault(heap, Double.NaN));
      server.put(heap + "_after", after.getOrDefault(heap, Double.NaN));
    }
    return new LoadReport(sent, done.length, seconds, done.length / seconds, errors, quantile(done, 0.5), quantile(done, 0.99),
        quantile(done, 0.999), done.length == 0 ? Double.NaN : done[done.length - 1] / 1e9, server, swaps, perMarket);
  }

  private static double quantile(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e9;
  }

  /** The upper bound of the histogram bucket holding quantile q of the what-if requests between two scrapes. */
  static double bucketQuantile(Map<String, Double> before, Map<String, Double> after, double q) {
    String prefix = "riskgrid_serve_request_duration_seconds_bucket{endpoint=\"whatif\",le=\"";
    TreeMap<Double, Double> counts = new TreeMap<>();
    after.forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        String le = name.substring(prefix.length(), name.length() - 2);
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        counts.put(bound, value - before.getOrDefault(name, 0.0));
      }
    });
    if (counts.isEmpty()) {
      return Double.NaN;
    }
    double total = counts.lastEntry().getValue();
    for (Map.Entry<Double, Double> c : counts.entrySet()) {
      if (c.getValue() >= q * total) {
        return c.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Every sample line of Prometheus text as {@code name{labels}} to value. */
  static Map<String, Double> parseMetrics(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      try {
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        // Not a sample line.
      }
    }
    return out;
  }

  /** The report as text lines. */
  public String format(LoadTest.Options o) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "requests   %d sent, %d answered in %.2f s: %.0f req/s (%s)%n", sent, completed, seconds,
        achievedRate, o.rate() > 0 ? String.format(Locale.ROOT, "open loop at %.0f req/s", o.rate())
            : "closed loop, " + o.concurrency() + " clients"));
    b.append(String.format(Locale.ROOT, "errors     %d %s%n", errorCount(), errors.isEmpty() ? "" : errors));
    b.append(String.format(Locale.ROOT, "client     p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  max %.3f ms%s%n", p50 * 1e3,
        p99 * 1e3, p999 * 1e3, max * 1e3, o.rate() > 0 ? " (from each request's due time)" : ""));
    b.append(String.format(Locale.ROOT, "server     p50 %.3f ms  p99 %.3f ms  p999 %.3f ms (summary, last 60 s); p99 <= %.3f ms "
        + "(histogram bucket, this run)%n", server.get("p50_60s") * 1e3, server.get("p99_60s") * 1e3,
        server.get("p999_60s") * 1e3, server.get("p99_bucket_bound_run") * 1e3));
    b.append(String.format(Locale.ROOT, "cpu        server %.0f us a request, client %.0f us a request (all threads, GC and JIT "
        + "included)%n", server.get("cpu_seconds") / completed * 1e6, server.get("client_cpu_seconds") / completed * 1e6));
    b.append(String.format(Locale.ROOT, "heap       server used %.0f -> %.0f MB; after the last GC %.0f -> %.0f MB%n",
        server.get("riskgrid_serve_heap_used_bytes_before") / 1e6, server.get("riskgrid_serve_heap_used_bytes_after") / 1e6,
        server.get("riskgrid_serve_heap_after_gc_bytes_before") / 1e6,
        server.get("riskgrid_serve_heap_after_gc_bytes_after") / 1e6));
    b.append(String.format(Locale.ROOT, "markets    %s%s%n", perMarket, swaps > 0 ? ", " + swaps + " swaps" : ""));
    return b.toString();
  }
}
