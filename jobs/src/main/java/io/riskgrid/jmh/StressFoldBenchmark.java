package io.riskgrid.jmh;

import io.riskgrid.jobs.generate.AccountGenerator;
import io.riskgrid.jobs.generate.ExchangeUniverse;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.stress.HistoricalStress;
import io.riskgrid.stress.StressEvaluator;
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

/**
 * The engine's part of {@code stress --set hist-1d}'s stage 2 for one thread, without Spark: the generated
 * exchange's instruments under the 3,063 joint one-day windows ({@code policy}: seed-default, the stress
 * command's default, or es-hist-1d, whose margin rule is the expected shortfall over those windows),
 * 4,096 generated accounts margined in batches of 28, and each valid account's P&amp;L per
 * window, as the stress fold reads it, from the calculator's sums ({@link MarginCalculator#scenarioPnl}).
 * {@code figures} "valuations": each account valued ({@link MarginCalculator#valueAll}, the fold since stop
 * 38); "margins": margined in full, without risk arrays (the fold of stops 36 and 37), its scan over every
 * window (or its expected shortfall) done and dropped. (Stop 36's comparison, margins with and without risk arrays, is in
 * BENCHMARKS.md.) The fold's own sums over windows are left out: they are the same either way. One
 * operation is one account.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class StressFoldBenchmark {
  /** The accounts and batches of {@link EsMarginBenchmark}: the margin loop's batch at this width. */
  static final int BATCH = EsMarginBenchmark.BATCH;
  static final int CALLS = EsMarginBenchmark.CALLS;

  @Param({"valuations", "margins"})
  String figures;

  @Param({"seed-default", "es-hist-1d"})
  String policy;

  StressEvaluator evaluator;
  MarginCalculator calculator;
  List<List<Account>> batches;
  double[] pnl;

  @Setup(Level.Trial)
  public void setUp() {
    LocalDate asOf = LocalDate.of(2026, 1, 5);
    ExchangeUniverse universe = ExchangeUniverse.of(asOf);
    MarginPolicy policy = PolicyLoader.preset(this.policy);
    InstrumentBook book = InstrumentBook.build(universe.market(), universe.instruments(), policy, SimdKernel.INSTANCE);
    AccountGenerator generator = new AccountGenerator(42, book, new MarginCalculator(book, SimdKernel.INSTANCE));
    List<String> underlyings = new ArrayList<>(universe.market().underlyings().keySet());
    evaluator = new StressEvaluator(HistoricalStress.shippedRolling(underlyings, 1, policy.stress().defaultVolShock()),
        universe.market(), universe.instruments(), policy, SimdKernel.INSTANCE);
    calculator = new MarginCalculator(evaluator.book(), SimdKernel.INSTANCE, false, false, false);
    pnl = new double[evaluator.set().size()];
    batches = EsMarginBenchmark.generatedBatches(generator, calculator);
  }

  /** Σ over accounts and windows of the P&amp;L, so that nothing is dead code. */
  @Benchmark
  @OperationsPerInvocation(CALLS * BATCH)
  public double stressPnl() {
    double total = 0;
    boolean valuations = "valuations".equals(figures);
    for (List<Account> batch : batches) {
      List<AccountValuation> values = valuations ? calculator.valueAll(batch)
          : calculator.marginAll(batch).stream().map(AccountValuation::of).toList();
      for (int k = 0; k < batch.size(); k++) {
        if (evaluator.pnlInto(batch.get(k), values.get(k), calculator, k, pnl)) {
          total += pnl[k % pnl.length];
        }
      }
    }
    return total;
  }
}
