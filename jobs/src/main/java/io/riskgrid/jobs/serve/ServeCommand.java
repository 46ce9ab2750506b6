package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.WhatIfJson;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid serve}: the pre-trade service of DESIGN §7.8. Keeps the market, the policy and the
 * stage-1 books warm and answers what-if requests over HTTP on 127.0.0.1 unless told otherwise.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Pre-trade what-if service over HTTP (JSON): POST /v1/whatif, POST /v1/whatif/batch (JSON Lines), "
        + "PUT /v1/market, GET /healthz, GET /metrics (Prometheus text). A request without market is valued on the "
        + "served market and its response names it (as_of, hash). Spark is used only to read --warehouse once at start-up.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Set a token before binding wider.")
  String bind;

  @Option(names = "--market", paramLabel = "FILE",
      description = "Market document to serve: {\"as_of\": ..., \"market\": {...}}, the as_of and market of a whatif request.")
  Path marketFile;

  @Option(names = "--warehouse", paramLabel = "W", description = "Read the market of --as-of from this Delta warehouse (uses Spark once at start-up).")
  String warehouse;

  @Option(names = "--as-of", paramLabel = "D", description = "Business date of the --warehouse market, e.g. 2026-01-05.")
  LocalDate asOf;

  @Option(names = "--policy", paramLabel = "P", defaultValue = "seed-default",
      description = "Policy of requests that give none: a preset or a policy file (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--token-file", paramLabel = "F",
      description = "File holding a bearer token; every endpoint but /healthz then needs 'Authorization: Bearer <token>'.")
  Path tokenFile;

  @Option(names = "--allow-policy-files",
      description = "Let a request's policy string name a policy file on this machine (refused by default: 400).")
  boolean allowPolicyFiles;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "8388608",
      description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--idle-timeout-seconds", paramLabel = "S", defaultValue = "30",
      description = "Close a connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
  long idleTimeoutSeconds;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "32", description = "Most worker threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--workers", paramLabel = "N",
      description = "Most requests valued at once (default: the number of cores). Each worker keeps its own warm caches; "
          + "more workers than cores add no throughput, and a cold worker started in a burst would value its "
          + "first requests from scratch just when the server is behind, so requests beyond wait their turn.")
  Integer workers;

  @Option(names = "--kernel", paramLabel = "K", defaultValue = "scalar",
      description = "scalar or simd (default: ${DEFAULT-VALUE}). Stage 1 is valued once per market and shared, so a "
          + "request only aggregates its account: scalar answers equal 'whatif --kernel scalar' bit for bit whatever "
          + "came before (its aggregation runs in vector lanes, unfused, where the Vector API is usable); simd revalues "
          + "a growing book faster but may differ in the last bit.")
  String kernel;

  @Option(names = "--port-file", paramLabel = "F", description = "Write the bound port to this file once listening (for scripts using --port 0).")
  Path portFile;

  @Override
  public Integer call() throws Exception {
    ServeConfig config;
    MarketState market;
    try {
      config = new ServeConfig(bind, port, PolicyLoader.load(policy), kernel(kernel), token(tokenFile), allowPolicyFiles,
          maxBodyBytes, Duration.ofSeconds(idleTimeoutSeconds), threads,
          workers != null ? workers : Math.min(threads, Runtime.getRuntime().availableProcessors()));
      market = initialMarket();
    } catch (IllegalArgumentException e) { // InvalidInputException included: it names the input
      System.err.println("serve: " + e.getMessage());
      return 2;
    }
    WhatIfServer server = new WhatIfServer(config, market, Clock.systemUTC());
    try {
      server.start();
    } catch (IOException e) {
      System.err.println("serve: cannot listen on " + bind + ":" + port + ": " + rootMessage(e));
      server.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("serve: stopping: " + e);
      }
    }, "riskgrid-serve-stop"));
    if (portFile != null) {
      Files.writeString(portFile, Integer.toString(server.port()) + "\n", StandardCharsets.UTF_8);
    }
    System.out.println(banner(config, market, server.port()));
    System.out.flush();
    server.join();
    return 0;
  }

  private MarketState initialMarket() {
    if (marketFile != null && warehouse != null) {
      throw new InvalidInputException("--market", "give --market FILE or --warehouse W --as-of D, not both");
    }
    if (marketFile != null) {
      try {
        byte[] bytes = Files.readAllBytes(marketFile);
        JsonNode doc = WhatIfJson.readOne(bytes, 0, bytes.length, "one market per file");
        return new MarketState(ServedMarket.parse(doc), marketFile.toString(), Clock.systemUTC().instant());
      } catch (IOException e) {
        throw new InvalidInputException("--market", "cannot read " + marketFile + ": " + e);
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--market " + marketFile, e.getMessage());
      }
    }
    if (warehouse != null) {
      if (asOf == null) {
        throw new InvalidInputException("--as-of", "is required with --warehouse: the business date of the market to serve");
      }
      ServedMarket served;
      try {
        served = ServedMarket.parse(WarehouseMarket.read(warehouse, asOf));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("--warehouse " + warehouse + " --as-of " + asOf, e.getMessage());
      }
      return new MarketState(served, "warehouse " + warehouse + " as of " + asOf, Clock.systemUTC().instant());
    }
    if (asOf != null) {
      throw new InvalidInputException("--as-of", "needs --warehouse W: the warehouse to read that date's market from");
    }
    return null;
  }

  /**
   * scalar or simd: one account per request never pays for a GPU's transfers. scalar aggregates in vector
   * lanes where it can, with the scalar kernel's numbers bit for bit ({@link Kernels#scalarInLanes()}).
   */
  static RiskKernel kernel(String requested) {
    String name = requested.trim().toLowerCase(java.util.Locale.ROOT);
    if (!name.equals("scalar") && !name.equals("simd")) {
      throw new InvalidInputException("--kernel", "serve runs scalar or simd, got '" + requested + "'");
    }
    return name.equals("scalar") ? Kernels.scalarInLanes() : Kernels.selectQuietly(name).kernel();
  }

  /** The token in {@code file} (surrounding whitespace trimmed), or null without a file. */
  static String token(Path file) throws IOException {
    if (file == null) {
      return null;
    }
    if (!Files.isReadable(file)) {
      throw new InvalidInputException("--token-file", "cannot read " + file);
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidInputException("--token-file", file + " must hold one token without spaces");
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
        System.err.println("serve: warning: " + file + " is readable by other users; chmod 600 it");
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
    return token;
  }

  private static String banner(ServeConfig config, MarketState market, int port) {
    String m = market == null ? "no market yet (PUT /v1/market; requests must carry their own)"
        : "market " + market.market().asOf() + " hash " + market.market().hash().substring(0, 12) + " from " + market.source()
            + (market.market().dataErrors().isEmpty() ? "" : ", data errors in " + market.market().dataErrors().keySet());
    MarginPolicy p = config.policy();
    return "riskgrid serve: listening on http://" + config.bind() + ":" + port + " — " + m + "; policy " + p.name()
        + "; kernel " + config.kernel().name() + (config.token() == null ? "; no token" : "; bearer token required");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof BindException)) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
