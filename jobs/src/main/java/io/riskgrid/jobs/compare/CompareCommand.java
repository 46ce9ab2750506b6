package io.riskgrid.jobs.compare;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.PolicyLoader;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code riskgrid compare}: one date's book under two policies (DESIGN §7.4). */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"One date's book under two policies: margins each (reused when the date already has the policy's "
        + "slice, same hash, same inputs), policy_comparison written, and the IM change quantiles, status flips, "
        + "IM per underlying and margin currency, and the largest increases printed.",
        "Exit codes: 0 compared; 2 bad options (the message names them)."})
public final class CompareCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Spec
  CommandSpec spec;

  @Option(names = "--as-of", required = true, description = "Business date, e.g. 2026-01-05.")
  LocalDate asOf;

  @Option(names = "--policy", required = true, arity = "1",
      description = "Preset name or policy JSON file; give it twice: the baseline A, then the candidate B.")
  List<String> policies;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda, for the margin runs "
      + "needed (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--top", defaultValue = "10", description = "Accounts with the largest IM increase to print "
      + "(default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (policies.size() != 2) {
        throw new InvalidInputException("--policy", "give exactly two policies (--policy A --policy B), got "
            + policies.size() + ": " + policies);
      }
      SparkSession session = spark.session("riskgrid compare");
      CompareJob.Result r = CompareJob.run(session, spark.warehouse(session), asOf, PolicyLoader.load(policies.get(0)),
          PolicyLoader.load(policies.get(1)), Kernels.select(kernel), top);
      ComparisonText.print(out, r);
      out.flush();
      return 0;
    } catch (InvalidInputException e) {
      err.println("compare: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
