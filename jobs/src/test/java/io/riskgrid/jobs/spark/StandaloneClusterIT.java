package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.schemas.OutputTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback (DESIGN §5.1): {@code deploy/cluster/submit-local-cluster.sh}
 * starts a master and a worker JVM, submits {@code riskgrid selfcheck} through SparkSubmit with the app
 * jar, and stops them; this test then reads the Delta table the executors wrote. Run by failsafe in
 * {@code verify} after {@code package} built the jar; {@code -DskipITs} skips it.
 */
@Tag("cluster")
class StandaloneClusterIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("deploy/cluster/submit-local-cluster.sh");
  private static final Path APP_JAR = ROOT.resolve("jobs/target/riskgrid-jobs-0.1.0-SNAPSHOT-app.jar");
  private static final long ROWS = 20_000;

  @TempDir
  static Path folder;

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    assertTrue(Files.isExecutable(SCRIPT), "run from the jobs module: no " + SCRIPT);
    assertTrue(Files.isRegularFile(APP_JAR), "no app jar at " + APP_JAR + ": run mvn verify, which packages first");
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Runs the script with {@code args}; returns its exit code, with its output in {@code log}. */
  private static int submit(Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("RISKGRID_APP_JAR", APP_JAR.toString());
    // The script keeps the cluster's logs of a failed run under TMPDIR: here, inside the test's folder.
    builder.environment().put("TMPDIR", folder.toString());
    Process script = builder.start();
    if (!script.waitFor(5, TimeUnit.MINUTES)) {
      // The driver is the script's foreground child, so stop the children first: their ids, no names.
      script.descendants().forEach(ProcessHandle::destroy);
      script.destroy();
      script.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("the cluster run took over 5 minutes:\n" + tail(log));
    }
    return script.exitValue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  @Test
  void executorsOfARealClusterWriteADeltaTableThatReadsBack() throws Exception {
    Path log = folder.resolve("selfcheck.log");
    String location = folder.resolve("warehouse").toString();
    long started = System.nanoTime();
    int exit = submit(log, "selfcheck", "--warehouse", location, "--rows", Long.toString(ROWS),
        "--partitions", "4",
        // Operator tuning through --conf: Delta's 50 snapshot tasks are far too many for this table.
        "--conf", "spark.databricks.delta.snapshotPartitions=2", "--conf", "spark.sql.shuffle.partitions=2");
    System.out.printf("cluster selfcheck: exit %d in %d s%n", exit, (System.nanoTime() - started) / 1_000_000_000);
    String output = Files.readString(log);
    assertEquals(0, exit, tail(log));
    assertTrue(output.contains("selfcheck OK: " + ROWS + " rows in 4 partitions written by executors [0]"), tail(log));
    assertTrue(output.contains(" on spark://127.0.0.1:"), tail(log));

    Warehouse warehouse = Warehouse.at(spark, location);
    Row totals = warehouse.read(SelfcheckCommand.SELFCHECK, LocalDate.of(2026, 1, 5))
        .selectExpr("count(*)", "sum(value)", "count(DISTINCT partition_id)",
            "count_if(executor_id = 'driver')", "min(row_id)", "max(row_id)")
        .head();
    assertEquals(ROWS, totals.getLong(0));
    assertEquals(SelfcheckCommand.expectedSum(ROWS), totals.getDouble(1));
    assertEquals(4L, totals.getLong(2));
    assertEquals(0L, totals.getLong(3), "rows built on the driver instead of the executors");
    assertEquals(0L, totals.getLong(4));
    assertEquals(ROWS - 1, totals.getLong(5));

    List<Row> runs = warehouse.read(OutputTables.RUNS).collectAsList();
    assertEquals(1, runs.size());
    Row run = runs.get(0);
    assertEquals("selfcheck", run.getString(run.fieldIndex("command")));
    assertEquals(ROWS, (long) run.<String, Long>getJavaMap(run.fieldIndex("counts")).get("rows_out"));
  }

  /**
   * The margin job through spark-submit on the cluster equals the local-mode run on the same inputs:
   * the broadcast book, the kernel and the mapPartitions closure survive real executors.
   */
  @Test
  void marginJobOnTheClusterEqualsTheLocalRun() throws Exception {
    LocalDate asOf = LocalDate.of(2026, 1, 5);
    String location = folder.resolve("exchange").toString();
    Warehouse warehouse = Warehouse.at(spark, location);
    io.riskgrid.jobs.generate.GenerateJob.run(spark, warehouse, asOf, 600, 11,
        io.riskgrid.policy.PolicyLoader.preset("seed-default"), io.riskgrid.kernel.ScalarKernel.INSTANCE);
    Path log = folder.resolve("margin.log");
    long started = System.nanoTime();
    int exit = submit(log, "margin", "--as-of", asOf.toString(), "--warehouse", location, "--kernel", "simd",
        "--conf", "spark.databricks.delta.snapshotPartitions=2", "--conf", "spark.sql.shuffle.partitions=4");
    System.out.printf("cluster margin: exit %d in %d s%n", exit, (System.nanoTime() - started) / 1_000_000_000);
    assertEquals(0, exit, tail(log));
    assertTrue(Files.readString(log).contains("margined 600 accounts"), tail(log));
    java.util.Map<String, Row> onCluster = new java.util.HashMap<>();
    for (Row r : warehouse.read(OutputTables.MARGINS, asOf).collectAsList()) {
      onCluster.put(r.getAs("account_id"), r);
    }
    assertEquals(600, onCluster.size());
    io.riskgrid.jobs.margin.MarginJob.run(spark, warehouse, asOf, io.riskgrid.policy.PolicyLoader.preset("seed-default"),
        io.riskgrid.kernel.Kernels.select("simd"), false);
    List<Row> local = warehouse.read(OutputTables.MARGINS, asOf).collectAsList();
    assertEquals(600, local.size());
    for (Row l : local) {
      Row c = onCluster.get(l.<String>getAs("account_id"));
      assertEquals(l.<String>getAs("status"), c.getAs("status"));
      // Positions may reach an account in another order after a shuffle: agreement, not bit equality.
      for (String f : new String[] {"im", "mm", "equity", "standard_im", "pm_im"}) {
        double a = l.<Double>getAs(f);
        double b = c.<Double>getAs(f);
        assertTrue(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9, f + " of " + l.getAs("account_id") + ": " + a + " vs " + b);
      }
      assertEquals(l.getList(l.fieldIndex("by_underlying")).size(), c.getList(c.fieldIndex("by_underlying")).size());
    }
    assertNotEquals(local.get(0).<String>getAs("run_id"), onCluster.get(local.get(0).<String>getAs("account_id")).getAs("run_id"));
  }

  @Test
  void theScriptReturnsTheJobsExitCode() throws Exception {
    Path log = folder.resolve("usage.log");
    assertEquals(2, submit(log, "selfcheck", "--no-such-option"), tail(log));
    assertTrue(Files.readString(log).contains("Unknown option: '--no-such-option'"), tail(log));
  }
}
