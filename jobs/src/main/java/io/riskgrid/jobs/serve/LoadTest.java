package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.Kernels;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.RoundRobinConnectionPool;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * A load generator for a running {@code serve} on loopback only. Open loop: request i is due at
 * {@code start + i/rate} whatever the server does, and its latency counts from that instant (a late
 * send is the server's latency too, so queueing is not hidden); closed loop ({@code rate 0}):
 * {@code concurrency} clients send back to back, for the most the server does. Bounded by a request
 * count and a time limit. Checks every response ({@link ResponseCheck}: 200, a known market hash, and with
 * {@code verify} equal to a direct what-if on that market); optionally swaps markets while it runs. Reports client
 * latency, achieved rate, errors, and from {@code /metrics} the server's latency, CPU and heap. The
 * client is Jetty's: it shares the machine with the server, and costs less CPU a request than java.net.http.
 */
public final class LoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param base        the server, e.g. http://127.0.0.1:8080; must be a loopback address
   * @param rate        requests per second (open loop), or 0 for closed loop
   * @param concurrency most requests in flight (open loop) or clients (closed loop)
   * @param requests    measured requests, at most
   * @param limit       time limit of the measured run
   * @param swapEvery   put the other market this often while running; null for no swaps
   */
  public record Options(URI base, String token, double rate, int concurrency, int requests, Duration limit, int warmup,
      int accounts, int positions, long seed, boolean verify, Duration swapEvery, java.nio.file.Path latencies,
      Duration scrapeEvery) {}

  /** How long a connection of the load generator may stay idle before it closes it, in milliseconds. */
  static final long IDLE_TIMEOUT_MS = 10_000;

  private final Options options;
  private final PrintStream log;
  private final HttpClient client;
  private final LoadWorkload workload;
  private final ResponseCheck answers;

  public LoadTest(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
    requireLoopback(options.base());
    this.client = new HttpClient();
    int connections = Math.max(options.concurrency(), 8);
    client.setMaxConnectionsPerDestination(connections);
    // Requests take the connections in turn, as a gateway's fixed pool does, so none sits idle until a
    // timeout closes it and the next burst opens a new one: with the default pool (the most recently
    // used connection first) those reconnections were where the client's slowest 1% fell.
    client.getTransport().setConnectionPoolFactory(destination -> new RoundRobinConnectionPool(destination, connections));
    client.setConnectTimeout(5_000);
    // Below serve's idle timeout (30 s by default), so this side closes a connection left idle, never the
    // server while a request is being sent on it: that race answered EOF on 12 of 100,000 requests, since
    // a POST is not retried, and the reconnections made a tail of up to 48 ms at 30 s into a run.
    client.setIdleTimeout(IDLE_TIMEOUT_MS);
    this.workload = new LoadWorkload(options.accounts(), options.positions(), options.seed());
    this.answers = new ResponseCheck(workload.hashA, workload.hashB, workload.requests.length);
  }

  /** Loopback only: a load test never leaves this machine. */
  static void requireLoopback(URI base) {
    String host = base.getHost();
    try {
      if (host == null || !InetAddress.getByName(host).isLoopbackAddress() || !"http".equals(base.getScheme())) {
        throw new InvalidInputException("--url", "must be http:// on a loopback address (127.0.0.1), got " + base);
      }
    } catch (java.net.UnknownHostException e) {
      throw new InvalidInputException("--url", "unknown host " + host);
    }
  }

  public LoadReport run() throws Exception {
    client.start();
    try {
      return measure();
    } finally {
      client.stop();
    }
  }

  private LoadReport measure() throws Exception {
    // What the start of the measured run calls, run once cold here: the first CPU-time reading loads the
    // JMX classes (48 ms in a fresh JVM), and an open loop's sender thread took it at the boundary, so
    // the requests due meanwhile went late (the first 200 measured ones, up to 33 ms); the scrape there
    // runs on the common pool, whose first task starts its thread.
    ServeMetrics.processCpuSeconds();
    CompletableFuture.runAsync(() -> { }).join();
    JsonNode health = JSON.readTree(send(get("/healthz")).getContentAsString());
    String kernel = health.path("kernel").asText("simd");
    putMarket(workload.marketA);
    if (options.verify()) {
      answers.expect(workload.expected(Kernels.selectQuietly(kernel).kernel()));
    }
    log.printf(Locale.ROOT, "serve-load: %s, kernel %s; %d accounts x %d positions (%d bytes a request), market %s%n",
        options.base(), kernel, options.accounts(), options.positions(), workload.averageBodyBytes(),
        workload.hashA.substring(0, 12));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger swaps = new AtomicInteger();
    Thread scraper = scraper(running);
    Thread[] swapper = new Thread[1];
    long[] latency = new long[options.requests()];
    Arrays.fill(latency, -1);
    CompletableFuture<Map<String, Double>> before;
    double clientCpuBefore;
    long start;
    int sent;
    if (options.rate() > 0) {
      // Open loop: the warm-up flows straight into the measured requests, one schedule at one rate, and
      // the server is scraped while the load goes on, as Prometheus scrapes a live service. A pause
      // between them (for the scrape) let both JVMs go idle, and the measured run then began with a tail
      // of up to 50 ms (its p99) that a service under steady load does not see. Warm-up latencies are
      // recorded too, then dropped, so no branch is first taken when the measurement starts.
      // The first half of the warm-up is a closed loop, which compiles both sides' paths without a schedule
      // to fall behind: an open-loop schedule from a cold start queued up to 1.3 s by its 10th second.
      int closedWarmup = options.warmup() / 2;
      // The first scrapes load and run cold code on both sides (the server's text writer, this side's
      // parser); done here, they are not what the measured run starts with (a tail of up to 45 ms).
      for (int k = 0; k < 20; k++) {
        scrape();
      }
      closedLoop(closedWarmup, Math.max(1, Math.min(4, options.concurrency())), Duration.ofMinutes(5),
          new long[closedWarmup], null);
      int openWarmup = options.warmup() - closedWarmup;
      long[] all = new long[openWarmup + options.requests()];
      Arrays.fill(all, -1);
      double[] cpuAtBoundary = {Double.NaN};
      long[] startAtBoundary = {System.nanoTime()};
      CompletableFuture<Map<String, Double>> scraped = new CompletableFuture<>();
      int total = openLoop(all.length, all, openWarmup, () -> {
        answers.clear();
        cpuAtBoundary[0] = ServeMetrics.processCpuSeconds();
        startAtBoundary[0] = System.nanoTime();
        swapper[0] = options.swapEvery() == null ? null : swapper(running, swaps);
        CompletableFuture.runAsync(() -> {
          try {
            scraped.complete(scrape());
          } catch (Exception e) {
            scraped.completeExceptionally(e);
          }
        });
      });
      if (total <= openWarmup) {
        throw new IllegalStateException("the time limit ran out in the warm-up: no request was measured");
      }
      sent = total - openWarmup;
      System.arraycopy(all, openWarmup, latency, 0, sent);
      before = scraped;
      clientCpuBefore = cpuAtBoundary[0];
      start = startAtBoundary[0];
    } else {
      // Closed loop: the warm-up first (its latencies recorded, then dropped), then the measured requests.
      closedLoop(options.warmup(), Math.max(1, Math.min(4, options.concurrency())), Duration.ofMinutes(5),
          new long[options.warmup()], null);
      answers.clear();
      before = CompletableFuture.completedFuture(scrape());
      clientCpuBefore = ServeMetrics.processCpuSeconds();
      swapper[0] = options.swapEvery() == null ? null : swapper(running, swaps);
      start = System.nanoTime();
      sent = closedLoop(options.requests(), options.concurrency(), options.limit(), latency, running);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    if (swapper[0] != null) {
      swapper[0].join();
    }
    scraper.interrupt();
    scraper.join();
    double clientCpu = ServeMetrics.processCpuSeconds() - clientCpuBefore;
    if (options.latencies() != null) {
      writeLatencies(options.latencies(), latency, sent);
    }
    Map<String, Double> after = scrape();
    return LoadReport.of(sent, latency, seconds, before.get(), after, swaps.get(), clientCpu, answers.errors(),
        answers.perMarket());
  }

  /**
   * One line per measured request: its number (open loop: it was due at number / rate seconds after the
   * start) and its client latency in microseconds, or -1 if it got no answer; to see when a tail happened.
   */
  private static void writeLatencies(java.nio.file.Path file, long[] latency, int sent) throws java.io.IOException {
    StringBuilder out = new StringBuilder("request,latency_us\n");
    for (int k = 0; k < sent; k++) {
      out.append(k).append(',').append(latency[k] < 0 ? -1 : latency[k] / 1000).append('\n');
    }
    java.nio.file.Files.writeString(file, out);
  }

  /**
   * Sends request i at start + i/rate until {@code n} or the time limit, recording each one's latency
   * from its due time; runs {@code atMeasured} just before request {@code measuredFrom} is sent (the
   * end of the warm-up). Returns the number sent.
   */
  private int openLoop(int n, long[] latency, int measuredFrom, Runnable atMeasured) throws InterruptedException {
    Semaphore inFlight = new Semaphore(options.concurrency());
    double periodNanos = 1e9 / options.rate();
    // The time limit is the measured run's: it starts when the warm-up's schedule ends.
    long limit = options.limit().toNanos() + (long) (measuredFrom * periodNanos);
    long start = System.nanoTime();
    int i = 0;
    for (; i < n; i++) {
      long due = start + (long) (i * periodNanos);
      if (due - start > limit) {
        break;
      }
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      if (i == measuredFrom) {
        atMeasured.run();
      }
      inFlight.acquire();
      int k = i;
      whatIf(k).send(new BufferingResponseListener(1 << 24) {
        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
          latency[k] = System.nanoTime() - due;
          answers.check(k, result.isFailed() ? -1 : result.getResponse().getStatus(), result.isFailed() ? null : getContentAsString(),
              result.getFailure());
          inFlight.release();
        }
      });
    }
    if (!inFlight.tryAcquire(options.concurrency(), 60, TimeUnit.SECONDS)) {
      answers.count("unanswered after 60 s", options.concurrency() - inFlight.availablePermits());
    }
    return i;
  }

  /**
   * {@code clients} clients sending back to back until {@code n} requests or the time limit; returns the
   * number sent. A client is a chain of callbacks, not a thread: each answer sends the next request from
   * Jetty's thread, so no thread parks on a response and is woken for it (with a thread per client, those
   * wake-ups were about a fifth of the load generator's CPU, taken from the two cores the server runs on).
   */
  private int closedLoop(int n, int clients, Duration limit, long[] latency, AtomicBoolean running) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    long end = System.nanoTime() + limit.toNanos();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      sendNext(next, n, end, latency, done);
    }
    done.await();
    return Math.min(n, next.get() - clients);
  }

  /** Sends a closed loop's next request and, once it is answered, the one after; counts {@code done} down at the end. */
  private void sendNext(AtomicInteger next, int n, long end, long[] latency, CountDownLatch done) {
    int k = next.getAndIncrement();
    if (k >= n || System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    long t0 = System.nanoTime();
    whatIf(k).send(new BufferingResponseListener(1 << 24) {
      @Override
      public void onComplete(org.eclipse.jetty.client.Result result) {
        try {
          if (latency != null) {
            latency[k] = System.nanoTime() - t0;
          }
          answers.check(k, result.isFailed() ? -1 : result.getResponse().getStatus(), result.isFailed() ? null : getContentAsString(),
              result.getFailure());
        } finally { // the client goes on whatever the check did, so the loop always ends
          if (result.isFailed()) {
            // A failure can complete inside send() itself: go on from a pool thread, so a run of them does
            // not nest one call per request.
            client.getExecutor().execute(() -> sendNext(next, n, end, latency, done));
          } else {
            sendNext(next, n, end, latency, done);
          }
        }
      }
    });
  }

  /**
   * Scrapes {@code /metrics} every {@code --scrape-every-ms}, warm-up included, as Prometheus scrapes a live
   * service. A server first scraped at the measured run's start (after 150,000 requests without one) ran
   * its request path's compiled code through a branch it had never taken: the first 200 requests waited
   * 3–33 ms and the client p99 of the whole run rose from 0.8 to 2.2–2.7 ms ("Stop 31" in BENCHMARKS.md).
   */
  private Thread scraper(AtomicBoolean running) {
    return every(options.scrapeEvery(), running, "serve-load-scrape", "scrape failed", this::scrape);
  }

  /** Puts the other market every {@code --swap-every-ms}, counting the swaps. */
  private Thread swapper(AtomicBoolean running, AtomicInteger swaps) {
    return every(options.swapEvery(), running, "serve-load-swap", "swap failed", () -> {
      putMarket(swaps.get() % 2 == 0 ? workload.marketB : workload.marketA);
      swaps.incrementAndGet();
    });
  }

  /** One step of a background task; it may fail with any exception, which ends the task. */
  private interface Step {
    void run() throws Exception;
  }

  /**
   * A started daemon thread that waits {@code interval} and runs {@code step}, again and again, until
   * {@code running} is false or the thread is interrupted; a failure ends it and is counted as an error
   * under {@code failure}.
   */
  private Thread every(Duration interval, AtomicBoolean running, String name, String failure, Step step) {
    Thread t = new Thread(() -> {
      try {
        while (running.get()) {
          Thread.sleep(interval.toMillis());
          step.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        answers.count(failure + ": " + e.getMessage(), 1);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private Map<String, Double> scrape() throws Exception {
    return LoadReport.parseMetrics(send(get("/metrics")).getContentAsString());
  }

  private void putMarket(ObjectNode market) throws Exception {
    ContentResponse r = send(authorized(client.newRequest(options.base().resolve("/v1/market")).method(HttpMethod.PUT)
        .body(new StringRequestContent("application/json", market.toString()))));
    if (r.getStatus() != 200) {
      throw new IllegalStateException("PUT /v1/market answered " + r.getStatus() + ": " + r.getContentAsString());
    }
  }

  private Request whatIf(int k) {
    return authorized(client.newRequest(options.base().resolve("/v1/whatif")).method(HttpMethod.POST)
        .body(new BytesRequestContent("application/json", workload.bodies[k % workload.bodies.length]))
        .timeout(30, TimeUnit.SECONDS));
  }

  private Request get(String path) {
    return authorized(client.newRequest(options.base().resolve(path)).method(HttpMethod.GET).timeout(30, TimeUnit.SECONDS));
  }

  private Request authorized(Request r) {
    return options.token() == null ? r : r.headers(h -> h.put("Authorization", "Bearer " + options.token()));
  }

  private static ContentResponse send(Request request) throws Exception {
    return request.send();
  }

}
