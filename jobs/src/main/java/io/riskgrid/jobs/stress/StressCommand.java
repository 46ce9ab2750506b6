package io.riskgrid.jobs.stress;

import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
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
      description = "historical (three shipped crash windows), depeg (USDT -10%%, USDC -13%%) or a policy preset's grid "
          + "moved jointly (default: ${DEFAULT-VALUE}).")
  String set;

  @Option(names = "--policy", defaultValue = "seed-default", description = "Policy for haircuts and vol scaling (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Override
  public Integer call() {
    SparkSession session = spark.session("riskgrid stress");
    List<StressJob.ScenarioResult> results = StressJob.run(session, spark.warehouse(session), asOf, PolicyLoader.load(policy), set,
        Kernels.select(kernel));
    print(results);
    return 0;
  }

  static void print(List<StressJob.ScenarioResult> results) {
    System.out.printf("%-22s %18s %16s %9s %16s %16s  %s%n", "scenario", "total P&L USD", "shortfall USD", "deficit",
        "Cover-1 USD", "Cover-2 USD", "Cover-2 members");
    for (StressJob.ScenarioResult r : results) {
      System.out.printf("%-22s %,18.0f %,16.0f %,9d %,16.0f %,16.0f  %s%n", r.label(), r.totalPnlUsd(), r.shortfallUsd(),
          r.accountsInDeficit(), r.cover1Usd(), r.cover2Usd(), String.join(", ", r.coverMembers()));
    }
  }
}
