package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The fixture of the two-policy tests (DESIGN §7.4): a small generated exchange in a temp warehouse,
 * margined by two separate runs under seed-default and deribit-like on one date.
 *
 * @param dir the temp folder holding the warehouse, for scratch files beside it
 */
public record TwoPolicyBook(SparkSession spark, Warehouse warehouse, Path dir, MarginJob.Result seed,
    MarginJob.Result deribit) {
  public static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  public static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  public static final MarginPolicy DERIBIT = PolicyLoader.preset("deribit-like");
  public static final long ACCOUNTS = 300;

  public static TwoPolicyBook start(String app, long seed) throws IOException {
    SparkSession spark = SparkSessions.getOrCreate(app, Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    Path dir = Files.createTempDirectory("riskgrid-" + app);
    Warehouse warehouse = Warehouse.at(spark, dir.resolve("warehouse").toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, seed, SEED, SimdKernel.INSTANCE);
    return new TwoPolicyBook(spark, warehouse, dir, MarginJob.run(spark, warehouse, AS_OF, SEED, Kernels.select("simd"), false),
        MarginJob.run(spark, warehouse, AS_OF, DERIBIT, Kernels.select("simd"), false));
  }
}
