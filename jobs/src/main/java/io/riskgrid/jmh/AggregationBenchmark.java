package io.riskgrid.jmh;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.ScalarLanesKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.valuation.ValuedBookBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Aggregation kernel (CSR accounts × P&L matrix → risk arrays) against a plain AXPY roofline over
 * the same number of multiply-adds (DESIGN §6). One operation is one multiply-add. Shape: 2,000
 * instruments on BTC/ETH/SOL, 20 positions per account, and {@code scenarios} per underlying: 35
 * (deribit-like, the matrix valued by the engine; 4,200 accounts) or 3,000 (historical stress and ES at
 * §6's 3,000 joint scenarios; a matrix of random P&amp;L, which the kernel's speed does not depend on; 49
 * accounts). Both shapes do the same 2,940,000 multiply-adds per call, so their scores compare directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class AggregationBenchmark {
  static final int INSTRUMENTS = 2_000;
  static final int POSITIONS_PER_ACCOUNT = 20;
  /** Multiply-adds per call: 4,200 accounts × 20 positions × 35 scenarios = 49 × 20 × 3,000. */
  static final int FMAS = 2_940_000;
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  /** Scenarios per underlying. */
  @Param({"35", "3000"})
  public int scenarios;

  PnlMatrix matrix;
  PositionBatch batch;
  double[] riskArrays;
  double[] axpyX;
  double[] axpyY;

  @Setup(Level.Trial)
  public void setUp() {
    Instant asOf = Instant.parse("2026-01-05T08:00:00Z");
    SplittableRandom rnd = new SplittableRandom(1);
    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    String[] names = {"BTC", "ETH", "SOL"};
    double[] spots = {94_000, 3_200, 140};
    Instant far = asOf.plusSeconds(365L * 86400);
    for (int u = 0; u < 3; u++) {
      markets.put(names[u], new UnderlyingMarket(names[u], asOf, spots[u], 0, 0, Map.of(),
          List.of(SviSlice.flat(far, 0.6, TimeConventions.yearFraction(asOf, far)))));
    }
    List<Instrument> instruments = new ArrayList<>();
    for (int i = 0; i < INSTRUMENTS; i++) {
      int u = i % 3;
      Instant expiry = asOf.plusSeconds(86_400L * (1 + rnd.nextInt(180)));
      instruments.add(Instrument.option("O" + i, names[u], Settlement.LINEAR, i % 2 == 0 ? OptionType.CALL : OptionType.PUT,
          spots[u] * Math.exp(rnd.nextDouble(-0.5, 0.5)), expiry, 1));
    }
    if (scenarios == 35) {
      matrix = ValuedBookBuilder.build(new MarketSnapshot(asOf, markets, Map.of()), instruments, Map.of(),
          PolicyLoader.preset("deribit-like").scenarios(), ScalarKernel.INSTANCE).pnl();
    } else {
      matrix = randomMatrix(rnd, INSTRUMENTS, scenarios);
    }
    if (matrix.width() / 3 != scenarios) {
      throw new IllegalStateException("expected " + scenarios + " scenarios per underlying, got " + matrix.width() / 3);
    }
    int accounts = FMAS / (POSITIONS_PER_ACCOUNT * scenarios);
    if (accounts * POSITIONS_PER_ACCOUNT * scenarios != FMAS) {
      throw new IllegalStateException(scenarios + " scenarios do not divide " + FMAS + " multiply-adds");
    }
    batch = new PositionBatch(accounts, accounts * POSITIONS_PER_ACCOUNT);
    for (int a = 0; a < accounts; a++) {
      for (int p = 0; p < POSITIONS_PER_ACCOUNT; p++) {
        batch.addPosition(rnd.nextInt(INSTRUMENTS), rnd.nextDouble(-10, 10));
      }
      batch.endAccount();
    }
    riskArrays = new double[accounts * matrix.width()];
    axpyX = new double[FMAS];
    axpyY = new double[FMAS];
    for (int k = 0; k < FMAS; k++) {
      axpyX[k] = rnd.nextDouble();
    }
  }

  /**
   * A P&amp;L matrix of {@code instruments} on three underlyings in turn, {@code scenarios} each, filled with
   * random P&amp;L in ±1,000: the kernels' speed does not depend on the values.
   */
  static PnlMatrix randomMatrix(SplittableRandom rnd, int instruments, int scenarios) {
    int[] underlyingOf = new int[instruments];
    for (int i = 0; i < instruments; i++) {
      underlyingOf[i] = i % 3;
    }
    PnlMatrix m = new PnlMatrix(underlyingOf, new int[] {scenarios, scenarios, scenarios});
    double[] values = m.values();
    for (int k = 0; k < values.length; k++) {
      values[k] = rnd.nextDouble(-1_000, 1_000);
    }
    return m;
  }

  @Benchmark
  @OperationsPerInvocation(FMAS)
  public double[] simdAggregate() {
    SimdKernel.INSTANCE.aggregate(batch, matrix, riskArrays);
    return riskArrays;
  }

  /** The scalar kernel's numbers bit for bit, its loop in vector lanes without fusing (serve's scalar). */
  @Benchmark
  @OperationsPerInvocation(FMAS)
  public double[] scalarLanesAggregate() {
    ScalarLanesKernel.INSTANCE.aggregate(batch, matrix, riskArrays);
    return riskArrays;
  }

  @Benchmark
  @OperationsPerInvocation(FMAS)
  public double[] scalarAggregate() {
    ScalarKernel.INSTANCE.aggregate(batch, matrix, riskArrays);
    return riskArrays;
  }

  /** The roofline: one contiguous y += a·x over as many elements as the aggregation's multiply-adds. */
  @Benchmark
  @OperationsPerInvocation(FMAS)
  public double[] axpyRoofline() {
    DoubleVector a = DoubleVector.broadcast(SPECIES, 1.000001);
    int bound = SPECIES.loopBound(FMAS);
    int k = 0;
    for (; k < bound; k += SPECIES.length()) {
      DoubleVector.fromArray(SPECIES, axpyX, k).fma(a, DoubleVector.fromArray(SPECIES, axpyY, k)).intoArray(axpyY, k);
    }
    for (; k < FMAS; k++) {
      axpyY[k] = Math.fma(axpyX[k], 1.000001, axpyY[k]);
    }
    return axpyY;
  }
}
