package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.explain.Explainer;
import io.riskgrid.jobs.explain.Explanation;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.CommittedRuns;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runs row as commit marker (#18): a run that died after committing its margins slice, before its
 * runs row, leaves tables no reader sees; readers show the latest committed run, whose tables agree.
 * The dead run is made as it leaves the tables: its margins slice written, nothing else.
 */
class CommittedRunsTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final MarginPolicy POLICY = PolicyLoader.preset("deribit-like");
  private static SparkSession spark;
  private static Warehouse warehouse;

  @BeforeAll
  static void generate() throws Exception {
    spark = SparkSessions.getOrCreate("committed-runs-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    Path dir = Files.createTempDirectory("riskgrid-committed-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, 300, 3, POLICY, SimdKernel.INSTANCE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Row> sorted(Dataset<Row> margins) {
    return margins.orderBy("account_id").collectAsList();
  }

  @Test
  void aRunThatDiedBeforeItsRunsRowIsNotSeenAndTheNextCommittedRunIs() {
    MarginJob.Result first = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    Row firstRun = CommittedRuns.latest(warehouse, "margin", AS_OF, POLICY.name());
    assertEquals(first.runId(), firstRun.getAs("run_id"));
    Map<String, Long> versions = CommittedRuns.outputVersions(firstRun);
    assertEquals(warehouse.version(OutputTables.MARGINS), versions.get("margins"));
    assertTrue(versions.keySet().containsAll(List.of("margins", "rejects", "exposures", "liquidation_curve")), versions.toString());
    List<Row> committed = sorted(MarginSlices.read(warehouse, AS_OF, POLICY.name()));
    assertEquals(300, committed.size());

    // The dead run: its margins slice committed (other figures, another run id), no runs row, no other table.
    Dataset<Row> dead = MarginSlices.readWritten(warehouse, AS_OF, POLICY.name())
        .withColumn("run_id", lit("dead-run")).withColumn("im", col("im").multiply(2));
    warehouse.replaceWhere(dead.localCheckpoint(), OutputTables.MARGINS,
        Where.equal(Columns.AS_OF_DATE, AS_OF).and(OutputTables.POLICY_NAME, POLICY.name()));
    assertEquals(300, MarginSlices.readWritten(warehouse, AS_OF, POLICY.name()).filter(col("run_id").equalTo("dead-run")).count(),
        "the table's latest version holds the dead run's slice");
    assertEquals(committed, sorted(MarginSlices.read(warehouse, AS_OF, POLICY.name())),
        "readers see the committed run's rows, as it left them");

    Explanation explained = new Explainer(warehouse, SimdKernel.INSTANCE).explain(committed.get(7).getAs("account_id"),
        AS_OF, null, false);
    assertEquals(first.runId(), explained.runId(), "explain shows the committed run's row");
    assertTrue(explained.warnings().stream().anyMatch(w -> w.contains("dead-run") && w.contains("did not finish")),
        explained.warnings().toString());

    MarginJob.Result rerun = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    assertNotEquals(first.runId(), rerun.runId());
    List<Row> after = sorted(MarginSlices.read(warehouse, AS_OF, POLICY.name()));
    assertEquals(300, after.size());
    assertTrue(after.stream().allMatch(r -> rerun.runId().equals(r.getAs("run_id"))), "the rerun's rows, once committed");
  }

  /**
   * Two margin runs of one date and policy at once, on one session: whichever commits its margins slice
   * second conflicts (Delta's concurrent-modification error, which the command line reports with exit
   * code 3) or, if they did not overlap, replaces it; either way readers see one committed run whole.
   */
  @Test
  void twoRunsAtOnceLeaveOneCommittedRunWhole() throws Exception {
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<MarginJob.Result>> runs = List.of(
          two.submit(() -> MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false)),
          two.submit(() -> MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false)));
      int finished = 0;
      for (java.util.concurrent.Future<MarginJob.Result> run : runs) {
        try {
          run.get();
          finished++;
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable t = e.getCause();
          while (t != null && !(t instanceof io.delta.exceptions.DeltaConcurrentModificationException)) {
            t = t.getCause();
          }
          assertTrue(t != null, "a run fails only by Delta's concurrent-modification error: " + e.getCause());
        }
      }
      assertTrue(finished >= 1, "one run at least commits");
    } finally {
      two.shutdownNow();
    }
    Row latest = CommittedRuns.latest(warehouse, "margin", AS_OF, POLICY.name());
    assertEquals(1L, (long) latest.<String, Long>getJavaMap(latest.fieldIndex("counts")).get("invariant_accounts_equal_margins"));
    List<Row> seen = sorted(MarginSlices.read(warehouse, AS_OF, POLICY.name()));
    assertEquals(300, seen.size());
    assertTrue(seen.stream().allMatch(r -> latest.getAs("run_id").equals(r.getAs("run_id"))),
        "every row readers see is the latest committed run's");
  }
}
