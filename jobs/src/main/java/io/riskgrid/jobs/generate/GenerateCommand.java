package io.riskgrid.jobs.generate;

import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.PolicyLoader;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code riskgrid generate}: a deterministic Deribit-style exchange in the warehouse. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a deterministic exchange (instruments, market, accounts, collateral, positions) for one date.")
public final class GenerateCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--accounts", defaultValue = "100000", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
  long accounts;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--as-of", defaultValue = "2026-01-05", description = "Business date (default: ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--policy", defaultValue = "seed-default",
      description = "Policy used to fund accounts to a realistic status mix (default: ${DEFAULT-VALUE}).")
  String policy;

  @Override
  public Integer call() {
    if (accounts < 1) {
      System.err.println("generate: --accounts must be >= 1, got " + accounts);
      return 2;
    }
    SparkSession session = spark.session("riskgrid generate");
    long t = System.currentTimeMillis();
    GenerateJob.Summary s = GenerateJob.run(session, spark.warehouse(session), asOf, accounts, seed,
        PolicyLoader.load(policy), Kernels.select("auto").kernel());
    System.out.printf("generated %,d accounts, %,d positions, %,d collateral rows, %,d instruments for %s in %.1f s%n",
        s.accounts(), s.positions(), s.collateralRows(), s.instruments(), asOf, (System.currentTimeMillis() - t) / 1000.0);
    return 0;
  }
}
