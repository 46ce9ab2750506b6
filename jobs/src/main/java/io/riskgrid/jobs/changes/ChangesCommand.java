package io.riskgrid.jobs.changes;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.PolicyLoader;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code riskgrid changes}: why each account's MM changed since the previous date (DESIGN §7.3). */
@Command(name = "changes", mixinStandardHelpOptions = true,
    description = {"Day-on-day change of every account's MM: D's margins against the latest earlier date D0 with margins "
        + "of the previous policy, split into positions, market and policy effects in that order, both dates' inputs "
        + "read at the Delta versions their margin runs recorded. Writes margin_changes and prints the totals and the "
        + "largest changes.",
        "Exit codes: 0 written; 2 bad options or no margins to compare (the message names them)."})
public final class ChangesCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Spec
  CommandSpec spec;

  @Option(names = "--as-of", required = true, description = "The later date D, e.g. 2026-01-06; it needs a margin run.")
  LocalDate asOf;

  @Option(names = "--policy", defaultValue = "seed-default",
      description = "Preset name or policy JSON file of D's margins (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--previous-policy", description = "Preset or policy JSON file of D0's margins when it differs from "
      + "--policy (a changed parameter: the policy effect); D0's slice is the one of its name.")
  String previousPolicy;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--top", defaultValue = "10", description = "Accounts with the largest |change| to print "
      + "(default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (top < 0) {
        throw new InvalidInputException("--top", "must be at least 0, got " + top);
      }
      SparkSession session = spark.session("riskgrid changes");
      ChangesJob.Result r = ChangesJob.run(session, spark.warehouse(session), asOf, PolicyLoader.load(policy),
          previousPolicy == null ? null : PolicyLoader.load(previousPolicy), Kernels.select(kernel));
      ChangesText.print(out, r, top);
      out.flush();
      return 0;
    } catch (InvalidInputException e) {
      err.println("changes: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
