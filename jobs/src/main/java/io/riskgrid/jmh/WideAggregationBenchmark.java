package io.riskgrid.jmh;

import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The aggregation kernel as historical stress and ES use it (DESIGN §7.6): 2,000 instruments on
 * BTC/ETH/SOL, each with a row of 3,063 joint windows (random P&amp;L: a 49 MB matrix, larger than this
 * machine's 32 MB L3), and 20,480 different accounts of 20 positions streamed through in batches of 28,
 * the batch the margin loop takes at this width. Unlike {@link AggregationBenchmark}'s 3,000-scenario
 * shape, which sends one batch again and again so that its rows stay in cache, every call here reads
 * the matrix from memory as a 1M-account run does. One operation is one multiply-add.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class WideAggregationBenchmark {
  static final int INSTRUMENTS = 2_000;
  static final int WINDOWS = 3_063;
  static final int POSITIONS_PER_ACCOUNT = 20;
  static final int ACCOUNTS = 20_480;
  /** Accounts per kernel call: MarginLoop's 2 MB of output at 3 × 3,063 doubles an account. */
  static final int BATCH = 28;
  /** Multiply-adds per call: every account's 20 rows of 3,063 windows. */
  static final int FMAS_PER_CALL = (ACCOUNTS / BATCH) * BATCH * POSITIONS_PER_ACCOUNT * WINDOWS;

  PnlMatrix matrix;
  PositionBatch[] batches;
  double[] riskArrays;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(3);
    matrix = AggregationBenchmark.randomMatrix(rnd, INSTRUMENTS, WINDOWS);
    batches = new PositionBatch[ACCOUNTS / BATCH];
    for (int b = 0; b < batches.length; b++) {
      PositionBatch batch = new PositionBatch(BATCH, BATCH * POSITIONS_PER_ACCOUNT);
      for (int a = 0; a < BATCH; a++) {
        for (int p = 0; p < POSITIONS_PER_ACCOUNT; p++) {
          batch.addPosition(rnd.nextInt(INSTRUMENTS), rnd.nextDouble(-10, 10));
        }
        batch.endAccount();
      }
      batches[b] = batch;
    }
    riskArrays = new double[BATCH * matrix.width()];
  }

  @Benchmark
  @OperationsPerInvocation(FMAS_PER_CALL)
  public double simdAggregate() {
    return aggregateAll(SimdKernel.INSTANCE);
  }

  @Benchmark
  @OperationsPerInvocation(FMAS_PER_CALL)
  public double scalarAggregate() {
    return aggregateAll(ScalarKernel.INSTANCE);
  }

  /** Every batch through {@code kernel}; returns a value read from each so that no call is dead code. */
  private double aggregateAll(RiskKernel kernel) {
    double seen = 0;
    for (PositionBatch batch : batches) {
      kernel.aggregate(batch, matrix, riskArrays);
      seen += riskArrays[riskArrays.length - 1];
    }
    return seen;
  }
}
