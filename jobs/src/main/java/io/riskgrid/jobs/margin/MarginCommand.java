package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code riskgrid margin}: the exchange-wide margin run for one date. */
@Command(name = "margin", mixinStandardHelpOptions = true,
    description = "Margin every account of a date: margins, rejects, exposures (and risk_arrays) to Delta.")
public final class MarginCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--as-of", required = true, description = "Business date, e.g. 2026-01-05.")
  LocalDate asOf;

  @Option(names = "--policy", defaultValue = "seed-default", description = "Preset name or policy JSON file (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--risk-arrays", description = "Also write the risk_arrays table (large: off by default).")
  boolean riskArrays;

  @Option(names = "--contributions", defaultValue = "top",
      description = "top keeps each underlying's 5 largest contributions and one OTHER row; all keeps every "
          + "position's and collateral asset's (default: ${DEFAULT-VALUE}).")
  String contributions;

  @Option(names = "--grouping", defaultValue = "auto",
      description = "auto reads a table clustered by account (as generate writes it) without a shuffle and groups any "
          + "other with one; shuffle always shuffles (default: ${DEFAULT-VALUE}).")
  String grouping;

  @Override
  public Integer call() {
    MarginJob.Grouping how = MarginJob.Grouping.parse(grouping);
    int kept = switch (contributions.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "top" -> MarginJob.TOP_CONTRIBUTIONS;
      case "all" -> MarginJob.ALL_CONTRIBUTIONS;
      default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--contributions must be top or all, got '" + contributions + "'");
    };
    SparkSession session = spark.session("riskgrid margin");
    long t = System.currentTimeMillis();
    MarginJob.Result r = MarginJob.run(session, spark.warehouse(session), asOf, PolicyLoader.load(policy),
        Kernels.select(kernel), MarginJob.Options.DEFAULT.withRiskArrays(riskArrays).withGrouping(how).withContributionsKept(kept));
    System.out.printf("margined %,d accounts (%,d rows, %,d rejects) for %s with kernel %s, %s grouping, in %.1f s; run %s%n",
        r.accountsIn(), r.marginsOut(), r.rejects(), asOf, r.kernel(), r.groupingPath(),
        (System.currentTimeMillis() - t) / 1000.0, r.runId());
    return 0;
  }
}
