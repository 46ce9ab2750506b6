package io.riskgrid.jobs.stress;

import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.policy.StressParameters;
import io.riskgrid.stress.ReverseStress;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code riskgrid stress}: exchange-wide stress over a joint scenario set. */
@Command(name = "stress", mixinStandardHelpOptions = true,
    description = "Exchange-wide stress: total P&L, shortfall beyond equity, Cover-1/Cover-2 per joint scenario.")
public final class StressCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--as-of", required = true, description = "Business date, e.g. 2026-01-05.")
  LocalDate asOf;

  @Option(names = "--set", defaultValue = "historical",
      description = "historical (three shipped crash windows), hist-<h>d (every overlapping h-day window since 2017-08-17, "
          + "about 3,000 for hist-1d), depeg (USDT -10%%, USDC -13%%) or a policy preset's grid moved jointly "
          + "(default: ${DEFAULT-VALUE}).")
  String set;

  @Option(names = "--policy", defaultValue = "seed-default", description = "Policy for haircuts and vol scaling (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Override
  public Integer call() {
    SparkSession session = spark.session("riskgrid stress");
    MarginPolicy loaded = PolicyLoader.load(policy);
    StressJob.Outcome outcome = StressJob.runSet(session, spark.warehouse(session), asOf, loaded, set, Kernels.select(kernel));
    print(outcome.scenarios(), System.out);
    System.out.println(coverage(outcome.scenarios(), loaded.stress()));
    if (!outcome.reverse().isEmpty()) {
      System.out.println(reverseHeadline(outcome));
    }
    return 0;
  }

  /** Sets larger than this print their worst scenarios only; every scenario is in {@code stress_results}. */
  static final int PRINTED_SCENARIOS = 20;

  static void print(List<StressJob.ScenarioResult> results, PrintStream out) {
    List<StressJob.ScenarioResult> shown = results;
    if (results.size() > PRINTED_SCENARIOS) {
      shown = results.stream().sorted(Comparator.comparingDouble(StressJob.ScenarioResult::shortfallUsd).reversed()
          .thenComparing(StressJob.ScenarioResult::label)).limit(PRINTED_SCENARIOS / 2).toList();
      out.printf("%,d scenarios; the %d of largest shortfall (all of them: stress_results):%n", results.size(), shown.size());
    }
    out.printf("%-22s %18s %16s %9s %16s %16s  %s%n", "scenario", "total P&L USD", "shortfall USD", "deficit",
        "Cover-1 USD", "Cover-2 USD", "Cover-2 members");
    for (StressJob.ScenarioResult r : shown) {
      out.printf("%-22s %,18.0f %,16.0f %,9d %,16.0f %,16.0f  %s%n", r.label(), r.totalPnlUsd(), r.shortfallUsd(),
          r.accountsInDeficit(), r.cover1Usd(), r.cover2Usd(), String.join(", ", r.coverMembers()));
    }
  }

  /**
   * The default resources against the largest Cover-2 of the set (DESIGN §7.6): the coverage ratio is
   * resources / Cover-2; at or above 1 the default fund and insurance fund cover the default of the two
   * members with the largest shortfalls in every scenario of the set.
   */
  public static String coverage(List<StressJob.ScenarioResult> results, StressParameters stress) {
    StressJob.ScenarioResult worst = results.stream().max(Comparator.comparingDouble(StressJob.ScenarioResult::cover2Usd)
        .thenComparing(StressJob.ScenarioResult::label, Comparator.reverseOrder())).orElseThrow();
    double resources = stress.defaultResourcesUsd();
    String ratio = worst.cover2Usd() > 0 ? String.format("%.2f", resources / worst.cover2Usd()) : "unbounded (Cover-2 is 0)";
    return String.format("default resources %,.0f USD (default fund %,.0f + insurance fund %,.0f); largest Cover-2 %,.0f USD "
        + "in %s; coverage ratio %s", resources, stress.defaultFundUsd(), stress.insuranceFundUsd(), worst.cover2Usd(),
        worst.label(), ratio);
  }

  /**
   * The reverse-stress headline (DESIGN §7.6): the reversed scenario that needs the smallest scale to
   * exhaust the default resources, and how many of the reversed ones do within 5×.
   */
  public static String reverseHeadline(StressJob.Outcome outcome) {
    List<ReverseStress.Result> exhausting = outcome.reverse().stream().filter(r -> r.lambda() != null)
        .sorted(Comparator.comparingDouble(ReverseStress.Result::lambda)).toList();
    if (exhausting.isEmpty()) {
      return String.format("reverse stress: the default resources (%,.0f USD) survive %.0f times each of the %d worst "
          + "scenarios (reverse_stress)", outcome.resourcesUsd(), ReverseStress.MAX_LAMBDA, outcome.reverse().size());
    }
    ReverseStress.Result first = exhausting.get(0);
    return String.format("reverse stress: resources exhausted at %.2f× the %s move; %d of the %d worst scenarios exhaust "
        + "them within %.0f× (reverse_stress)", first.lambda(), first.label(), exhausting.size(), outcome.reverse().size(),
        ReverseStress.MAX_LAMBDA);
  }
}
