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
import io.riskgrid.stress.ScenarioFold;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The stress fold of one thread (DESIGN §3.5): the generated exchange's valid accounts, their P&amp;L
 * over the 3,063 joint one-day windows computed once in the set-up (as {@link StressFoldBenchmark}
 * does, seed-default), folded into exchange totals with each scenario in deficit offered to a member
 * sink, as a stress run does for an account that is its own member. {@code vector}: {@link ScenarioFold};
 * {@code scalar}: the loop it replaced (a branch per window), written out here as the baseline. The P&amp;L
 * of the 4,096 accounts (100 MB) comes from memory, as a run's does from the kernel's output. One
 * operation is one of the 4,096 generated accounts; the invalid ones have no P&amp;L and are skipped, as a
 * run skips them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class ScenarioFoldBenchmark {
  static final int ACCOUNTS = EsMarginBenchmark.ACCOUNTS;

  int n;
  List<double[]> pnl;
  double[] equity;
  double[] usd;
  List<double[]> shocked;
  ScenarioFold.Totals totals;
  /** What the member sink saw: scenarios offered and their shortfall, so that nothing is dead code. */
  long offered;
  double offeredUsd;

  @Setup(Level.Trial)
  public void setUp() {
    LocalDate asOf = LocalDate.of(2026, 1, 5);
    ExchangeUniverse universe = ExchangeUniverse.of(asOf);
    MarginPolicy policy = PolicyLoader.preset("seed-default");
    InstrumentBook book = InstrumentBook.build(universe.market(), universe.instruments(), policy, SimdKernel.INSTANCE);
    AccountGenerator generator = new AccountGenerator(42, book, new MarginCalculator(book, SimdKernel.INSTANCE));
    List<String> underlyings = new ArrayList<>(universe.market().underlyings().keySet());
    StressEvaluator evaluator = new StressEvaluator(HistoricalStress.shippedRolling(underlyings, 1,
        policy.stress().defaultVolShock()), universe.market(), universe.instruments(), policy, SimdKernel.INSTANCE);
    MarginCalculator calculator = new MarginCalculator(evaluator.book(), SimdKernel.INSTANCE, false, false, false);
    n = evaluator.set().size();
    pnl = new ArrayList<>();
    shocked = new ArrayList<>();
    List<Double> equities = new ArrayList<>();
    List<Double> usds = new ArrayList<>();
    for (List<Account> batch : EsMarginBenchmark.generatedBatches(generator, calculator)) {
      List<AccountValuation> values = calculator.valueAll(batch);
      for (int k = 0; k < batch.size(); k++) {
        double[] p = new double[n];
        if (evaluator.pnlInto(batch.get(k), values.get(k), calculator, k, p)) {
          pnl.add(p);
          equities.add(values.get(k).equity());
          usds.add(evaluator.usdPerUnit(values.get(k).marginCurrency()));
          shocked.add(evaluator.shockedUsdPerUnit(values.get(k).marginCurrency()));
        }
      }
    }
    equity = equities.stream().mapToDouble(Double::doubleValue).toArray();
    usd = usds.stream().mapToDouble(Double::doubleValue).toArray();
    totals = new ScenarioFold.Totals(new double[n], new double[n], new long[n]);
  }

  @Benchmark
  @OperationsPerInvocation(ACCOUNTS)
  public double vector() {
    ScenarioFold.Deficits member = this::offer;
    for (int a = 0; a < pnl.size(); a++) {
      ScenarioFold.addAccount(pnl.get(a), n, equity[a], usd[a], shocked.get(a), totals, member);
    }
    return totals.shortfallUsd()[n - 1] + offeredUsd;
  }

  @Benchmark
  @OperationsPerInvocation(ACCOUNTS)
  public double scalar() {
    double[] total = totals.totalPnlUsd();
    double[] shortfallSum = totals.shortfallUsd();
    long[] inDeficit = totals.accountsInDeficit();
    for (int a = 0; a < pnl.size(); a++) {
      double[] p = pnl.get(a);
      double[] s = shocked.get(a);
      for (int j = 0; j < n; j++) {
        double net = StressEvaluator.netUsd(equity[a], p[j], s, j);
        double shortfall = Math.max(0, -net);
        total[j] += p[j] * usd[a];
        if (shortfall > 0) {
          shortfallSum[j] += shortfall;
          inDeficit[j]++;
          offer(j, shortfall, net);
        }
      }
    }
    return shortfallSum[n - 1] + offeredUsd;
  }

  private void offer(int j, double shortfallUsd, double netUsd) {
    offered++;
    offeredUsd += shortfallUsd;
  }
}
