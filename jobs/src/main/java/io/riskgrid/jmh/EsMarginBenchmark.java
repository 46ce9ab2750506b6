package io.riskgrid.jmh;

import io.riskgrid.jobs.generate.AccountGenerator;
import io.riskgrid.jobs.generate.ExchangeUniverse;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Stage 2 of the historical expected-shortfall margin (DESIGN §7.6, preset {@code es-hist-1d}) for one
 * thread, without Spark: the generated exchange's 2,487 instruments valued under 3,063 joint one-day
 * windows (a 61 MB P&amp;L matrix), and 4,096 of its generated accounts (about 20 positions each, a third
 * on two underlyings) margined in batches of 28, the margin loop's batch at this width, contributions
 * on as the margin job has them. One operation is one account: the aggregation, the joint loss and its
 * tail, the Euler shares and contributions, and the margin record. {@code riskArrays}: whether the
 * margins carry their risk arrays (false is the margin run without {@code risk_arrays}; true is what
 * stress and what-if keep, and what this benchmark measured before stop 36).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class EsMarginBenchmark {
  static final int ACCOUNTS = 4_096;
  /** Accounts per call: 2 MB of kernel output at 3 × 3,063 doubles an account, as MarginLoop sizes it. */
  static final int BATCH = 28;
  static final int CALLS = ACCOUNTS / BATCH;

  @Param({"false", "true"})
  boolean riskArrays;

  MarginCalculator calculator;
  List<List<Account>> batches;

  @Setup(Level.Trial)
  public void setUp() {
    ExchangeUniverse universe = ExchangeUniverse.of(LocalDate.of(2026, 1, 5));
    MarginPolicy es = PolicyLoader.preset("es-hist-1d");
    InstrumentBook book = InstrumentBook.build(universe.market(), universe.instruments(), es, SimdKernel.INSTANCE);
    calculator = new MarginCalculator(book, SimdKernel.INSTANCE, true, false, riskArrays);
    batches = generatedBatches(new AccountGenerator(42, book, calculator), calculator);
  }

  /**
   * {@link #CALLS} batches of {@link #BATCH} generated accounts (ids 0, 1, … in order), each of which
   * {@code calculator} margins: a benchmark of accounts the engine refused would time the refusal.
   */
  static List<List<Account>> generatedBatches(AccountGenerator generator, MarginCalculator calculator) {
    List<List<Account>> batches = new ArrayList<>();
    for (int b = 0; b < CALLS; b++) {
      List<Account> batch = new ArrayList<>();
      for (int a = 0; a < BATCH; a++) {
        batch.add(generator.generate((long) b * BATCH + a));
      }
      batches.add(batch);
      for (AccountMargin m : calculator.marginAll(batch)) {
        if (!m.isValid()) {
          throw new IllegalStateException("account " + m.accountId() + " is not margined: " + m.status() + " " + m.reason());
        }
      }
    }
    return batches;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS * BATCH)
  public void esMargin(Blackhole margins) {
    for (List<Account> batch : batches) {
      margins.consume(calculator.marginAll(batch));
    }
  }
}
