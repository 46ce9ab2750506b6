package io.riskgrid.jobs.serve;

import io.riskgrid.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code riskgrid serve-load}: load a running {@code serve} on loopback and report latency, rate, errors and heap. */
@Command(name = "serve-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Load generator for a running 'riskgrid serve' on 127.0.0.1: open loop at --rate (latency counted from "
        + "each request's due time) or closed loop with --rate 0, bounded by --requests and --seconds. Puts its own market "
        + "first. Reports client p50/p99/p999, achieved rate, errors, and the server's p99 and heap from /metrics. "
        + "Exit code 1 on any error.")
public final class ServeLoadCommand implements Callable<Integer> {

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The server, on a loopback address (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--token-file", paramLabel = "F", description = "Bearer token file, as given to serve.")
  Path tokenFile;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "2000",
      description = "Requests per second, open loop; 0 for closed loop (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "64",
      description = "Most requests in flight (open loop) or clients (closed loop) (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "20000", description = "Measured requests, at most (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "120", description = "Time limit of the measured run (default: ${DEFAULT-VALUE}).")
  long seconds;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "5000", description = "Unmeasured requests first, sent as the measured ones are: in open loop half as a closed loop, then half on one schedule at --rate that flows on into the measured requests, the server scraped meanwhile (default: ${DEFAULT-VALUE}; the server's JIT needs about 150000 before its throughput settles).")
  int warmup;

  @Option(names = "--accounts", paramLabel = "K", defaultValue = "64", description = "Distinct accounts, sent in turn (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--positions", paramLabel = "P", defaultValue = "100", description = "Positions per account (default: ${DEFAULT-VALUE}).")
  int positions;

  @Option(names = "--seed", defaultValue = "5", description = "Seed of the accounts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--verify", description = "Check every response's numbers against a direct what-if on the market it names.")
  boolean verify;

  @Option(names = "--swap-every-ms", paramLabel = "MS", description = "Swap between two markets this often while running (PUT /v1/market).")
  Long swapEveryMs;

  @Option(names = "--latencies", paramLabel = "F",
      description = "Write each measured request's client latency to this CSV file (request,latency_us).")
  Path latencies;

  @Option(names = "--scrape-every-ms", paramLabel = "MS", defaultValue = "5000",
      description = "Scrape the server's /metrics this often, warm-up included, as Prometheus would (default: ${DEFAULT-VALUE}).")
  long scrapeEveryMs;

  @Override
  public Integer call() throws Exception {
    LoadTest.Options options;
    try {
      if (requests < 1 || seconds < 1 || concurrency < 1 || accounts < 1 || positions < 1 || rate < 0 || warmup < 0
          || scrapeEveryMs < 1) {
        throw new InvalidInputException("serve-load", "--requests, --seconds, --concurrency, --accounts, --positions and "
            + "--scrape-every-ms must be >= 1, --rate and --warmup >= 0");
      }
      options = new LoadTest.Options(url, ServeCommand.token(tokenFile), rate, concurrency, requests, Duration.ofSeconds(seconds),
          warmup, accounts, positions, seed, verify, swapEveryMs == null ? null : Duration.ofMillis(swapEveryMs), latencies,
          Duration.ofMillis(scrapeEveryMs));
      LoadTest.requireLoopback(url);
    } catch (InvalidInputException e) {
      System.err.println("serve-load: " + e.getMessage());
      return 2;
    }
    LoadReport report = new LoadTest(options, System.out).run();
    System.out.print(report.format(options));
    return report.errorCount() == 0 && report.completed() == report.sent() ? 0 : 1;
  }
}
