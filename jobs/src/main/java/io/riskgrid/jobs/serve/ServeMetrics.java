package io.riskgrid.jobs.serve;

import com.sun.management.GcInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The metrics of {@code serve}, in Prometheus text format (Prometheus client_java): requests by
 * endpoint and status, latency as a histogram and as a summary (p50/p99/p999 over the last minute),
 * errors by kind, JSON Lines lines by result, market swaps, and the served market's age in seconds.
 * Latency is from the request's headers being parsed to its response being written, in seconds.
 */
final class ServeMetrics {
  /** 50 µs to 2.5 s: a warm what-if is ~0.1 ms, a batch or a market swap can take much longer. */
  private static final double[] LATENCY_BOUNDS = {50e-6, 100e-6, 200e-6, 300e-6, 500e-6, 750e-6, 1e-3, 1.5e-3, 2e-3,
      3e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1.0, 2.5};

  private static final Map<String, MemoryPoolMXBean> POOLS = pools();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Counter errors;
  private final Counter lines;
  private final Counter swaps;
  private final Counter reads;
  private final Histogram latency;
  private final Summary latencySummary;

  ServeMetrics(Supplier<MarketState> market, Clock clock) {
    requests = Counter.builder().name("riskgrid_serve_requests_total").help("HTTP requests answered, by endpoint and status")
        .labelNames("endpoint", "status").register(registry);
    errors = Counter.builder().name("riskgrid_serve_errors_total")
        .help("Requests and JSON Lines lines answered with an error, by kind").labelNames("kind").register(registry);
    lines = Counter.builder().name("riskgrid_serve_batch_lines_total").help("JSON Lines lines of /v1/whatif/batch, by result")
        .labelNames("result").register(registry);
    swaps = Counter.builder().name("riskgrid_serve_market_swaps_total").help("Markets swapped in by PUT /v1/market")
        .register(registry);
    reads = Counter.builder().name("riskgrid_serve_whatif_reads_total")
        .help("What-if requests and batch lines answered, by how they were read: stream (the warm fast path, no "
            + "JSON tree) or tree (first sight of a market or instrument definition, or bad input)")
        .labelNames("path").register(registry);
    latency = Histogram.builder().name("riskgrid_serve_request_duration_seconds")
        .help("Time from request headers to response written, by endpoint").labelNames("endpoint")
        .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    latencySummary = Summary.builder().name("riskgrid_serve_request_latency_seconds")
        .help("Time from request headers to response written, by endpoint: quantiles over the last 60 s")
        .labelNames("endpoint").quantile(0.5, 0.005).quantile(0.99, 0.001).quantile(0.999, 0.0001)
        .maxAgeSeconds(60).numberOfAgeBuckets(6).register(registry);
    CounterWithCallback.builder().name("process_cpu_seconds_total").help("CPU time of this JVM, all threads (JIT and GC too)")
        .callback(cb -> cb.call(processCpuSeconds())).register(registry);
    GaugeWithCallback.builder().name("riskgrid_serve_heap_used_bytes").help("JVM heap in use now, garbage included")
        .callback(cb -> cb.call(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())).register(registry);
    GaugeWithCallback.builder().name("riskgrid_serve_heap_after_gc_bytes")
        .help("JVM heap in use right after the last garbage collection: flat under steady load when nothing leaks")
        .callback(cb -> cb.call(heapAfterLastGc())).register(registry);
    GaugeWithCallback.builder().name("riskgrid_serve_market_age_seconds")
        .help("Seconds since the served market's as_of (valuation instant); absent with no market")
        .callback(cb -> {
          MarketState m = market.get();
          if (m != null) {
            cb.call(m.ageSeconds(clock.instant()));
          }
        }).register(registry);
    GaugeWithCallback.builder().name("riskgrid_serve_market_served")
        .help("1 for the served market, labelled with its as_of and hash").labelNames("as_of", "hash")
        .callback(cb -> {
          MarketState m = market.get();
          if (m != null) {
            cb.call(1, m.market().asOf().toString(), m.market().hash());
          }
        }).register(registry);
  }

  /** CPU seconds this JVM has used; NaN where the platform does not say. */
  static double processCpuSeconds() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1e9 : Double.NaN;
  }

  /** The heap used after the most recent collection of any collector; NaN before the first one. */
  static double heapAfterLastGc() {
    GcInfo latest = null;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
        GcInfo info = sun.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return Double.NaN;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
      MemoryPoolMXBean bean = POOLS.get(pool.getKey());
      if (bean != null && bean.getType() == MemoryType.HEAP) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }

  private static Map<String, MemoryPoolMXBean> pools() {
    Map<String, MemoryPoolMXBean> out = new HashMap<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      out.put(p.getName(), p);
    }
    return out;
  }

  void request(String endpoint, int status, long nanos) {
    requests.labelValues(endpoint, Integer.toString(status)).inc();
    double seconds = nanos / 1e9;
    latency.labelValues(endpoint).observe(seconds);
    latencySummary.labelValues(endpoint).observe(seconds);
  }

  void error(String kind) {
    errors.labelValues(kind).inc();
  }

  void line(boolean ok) {
    lines.labelValues(ok ? "ok" : "error").inc();
  }

  /** A what-if answered: {@code streamed} when the fast path read it. */
  void read(boolean streamed) {
    reads.labelValues(streamed ? "stream" : "tree").inc();
  }

  void swapped() {
    swaps.inc();
  }

  String contentType() {
    return writer.getContentType();
  }

  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
