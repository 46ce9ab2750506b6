package io.riskgrid.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.WhatIfJson;
import io.riskgrid.jobs.generate.ExchangeUniverse;
import io.riskgrid.jobs.serve.LoadWorkload;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Warm what-if latency (DESIGN §6): one USD account of 100 linear option and futures positions on the
 * seed-default grid, with an order, JSON in and out. SampleTime mode reports p50/p99 per call; the
 * stage-1 book is cached per market snapshot, as in a running pre-trade service. {@code warmWhatIf}
 * takes the request tree and returns the response tree; {@code warmWhatIfBytes} takes the request
 * bytes (streaming fast path) and serialises the response, as a service behind a socket does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class WhatIfBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  WhatIfService service;
  JsonNode request;
  byte[] requestBytes;

  @Setup(Level.Trial)
  public void setUp() {
    ExchangeUniverse universe = ExchangeUniverse.of(LocalDate.of(2026, 1, 5));
    ObjectNode req = JSON.createObjectNode();
    req.put("as_of", universe.asOf().toString());
    req.put("policy", "seed-default");
    ArrayNode underlyings = req.putObject("market").putArray("underlyings");
    UnderlyingMarket btc = universe.market().underlying("BTC");
    ObjectNode u = underlyings.addObject().put("underlying", "BTC").put("index_price", btc.index()).put("basis", btc.basis());
    ArrayNode slices = u.putArray("vol_slices");
    for (SviSlice s : btc.slices()) {
      slices.addObject().put("expiry", s.expiry().toString()).put("a", s.a()).put("b", s.b()).put("rho", s.rho())
          .put("m", s.m()).put("sigma_svi", s.sigma());
    }
    ObjectNode account = req.putObject("account").put("account_id", "bench").put("margin_mode", "PORTFOLIO")
        .put("margin_currency", "USD");
    ArrayNode positions = account.putArray("positions");
    List<Instrument> linear = universe.instruments().stream()
        .filter(i -> i.underlying().equals("BTC") && !i.isInverse()).toList();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int k = 0; k < 100; k++) {
      positions.add(position(linear.get(rnd.nextInt(linear.size())), rnd.nextInt(-50, 50) + 0.5, btc.index()));
    }
    account.putArray("collateral").addObject().put("asset", "USDC").put("quantity", 5_000_000);
    req.putObject("order").putArray("positions").add(position(linear.get(7), -10, btc.index()));
    request = req;
    requestBytes = req.toString().getBytes(StandardCharsets.UTF_8);
    service = new WhatIfService(SimdKernel.INSTANCE);
    service.evaluate(request);
  }

  private static ObjectNode position(Instrument i, double qty, double entry) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode d = p.putObject("instrument").put("instrument_id", i.id()).put("underlying", i.underlying())
        .put("kind", i.kind().name()).put("settlement", i.settlement().name()).put("multiplier", i.multiplier());
    if (i.isOption()) {
      d.put("option_type", i.optionType().name()).put("strike", i.strike());
    }
    if (i.expiry() != null) {
      d.put("expiry", i.expiry().toString());
    }
    p.put("quantity", qty);
    if (!i.isOption()) {
      p.put("entry_price", entry);
    }
    return p;
  }

  /**
   * What {@code serve} does for one {@code POST /v1/whatif} of {@code serve-load}'s workload, without the
   * HTTP: 64 USD accounts of 100 linear BTC, ETH and SOL positions with an order, in turn, bytes in and
   * bytes out, on the served market and policy, with serve's JSON factory (#14's throughput target is set
   * on this workload).
   */
  @State(Scope.Thread)
  public static class Served {
    /** serve's scalar kernel (aggregation in vector lanes, the scalar kernel's numbers) or the plain scalar one. */
    @Param({"scalarInLanes", "scalar"})
    public String kernel;
    LoadWorkload workload;
    ServedMarket market;
    MarginPolicy policy;
    WhatIfService service;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      workload = new LoadWorkload(64, 100, 5);
      market = workload.servedMarket();
      policy = PolicyLoader.load("seed-default");
      service = WhatIfService.forService(kernel.equals("scalar") ? ScalarKernel.INSTANCE : Kernels.scalarInLanes(), false);
      for (int k = 0; k < 64; k++) {
        served(this);
      }
    }
  }

  @Benchmark
  public byte[] servedWhatIfBytes(Served s) {
    return served(s);
  }

  private static byte[] served(Served s) {
    byte[] body = s.workload.body(s.next);
    s.next = (s.next + 1) % 64;
    return s.service.evaluateToBytes(body, 0, body.length, s.market, s.policy,
        () -> WhatIfJson.readOne(body, 0, body.length, "JSON Lines"), WhatIfJson.JSON.getFactory());
  }

  @Benchmark
  public JsonNode warmWhatIf() {
    return service.evaluate(request);
  }

  /**
   * Bytes in, bytes out, as {@code serve} answers: the warm request is read by the streaming fast path
   * (the tree reader runs only if it declines) and the response written straight to bytes; it also
   * names its market ({@code source} request).
   */
  @Benchmark
  public byte[] warmWhatIfBytes() {
    return service.evaluateToBytes(requestBytes, 0, requestBytes.length, null, null, this::requestTree, JSON.getFactory());
  }

  private JsonNode requestTree() {
    try {
      return JSON.readTree(requestBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
