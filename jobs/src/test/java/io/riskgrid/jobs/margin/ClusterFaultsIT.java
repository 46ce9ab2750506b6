package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.CommittedRuns;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.OutputTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real standalone cluster on loopback (#18): an executor killed while the margin run is under
 * way, and the driver killed right after the margins commit (before its runs row) and during the run.
 * Each ends with the invariant (accounts in = margins rows) and the margins of a clean run; the tables a
 * dead driver left are read as the last committed run left them ({@link CommittedRuns}). The kill
 * instants come from the driver's own progress lines, so the faults land where they are meant to.
 */
@Tag("cluster")
class ClusterFaultsIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path CLUSTER = ROOT.resolve("deploy/cluster");
  private static final Path APP_JAR = ROOT.resolve("jobs/target/riskgrid-jobs-0.1.0-SNAPSHOT-app.jar");
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static final long ACCOUNTS = 1_000;

  @TempDir
  static Path folder;

  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path state;
  private static String masterUrl;
  /** The clean local run's figures by account. */
  private static Map<String, List<Object>> clean;

  @BeforeAll
  static void generateMarginAndStartTheCluster() throws Exception {
    assertTrue(Files.isRegularFile(APP_JAR), "no app jar at " + APP_JAR + ": run mvn verify, which packages first");
    spark = SparkSessions.getOrCreate("cluster-faults-it", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    warehouse = Warehouse.at(spark, folder.resolve("exchange").toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, 13, POLICY, SimdKernel.INSTANCE);
    MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    clean = figures();
    state = folder.resolve("cluster");
    Files.createDirectories(state);
    Process start = script("start-local-cluster.sh", folder.resolve("start.log"), state.toString()).start();
    assertTrue(start.waitFor(3, TimeUnit.MINUTES), "the cluster did not start in 3 minutes");
    assertEquals(0, start.exitValue(), Files.readString(folder.resolve("start.log")));
    masterUrl = Files.readString(state.resolve("master.url")).trim();
  }

  @AfterAll
  static void stopTheCluster() throws Exception {
    if (state != null) {
      Process stop = script("stop-local-cluster.sh", folder.resolve("stop.log"), state.toString()).start();
      stop.waitFor(2, TimeUnit.MINUTES);
    }
    if (spark != null) {
      spark.stop();
    }
  }

  private static ProcessBuilder script(String name, Path log, String... args) {
    List<String> command = new ArrayList<>(List.of(CLUSTER.resolve(name).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("RISKGRID_APP_JAR", APP_JAR.toString());
    builder.environment().put("TMPDIR", folder.toString());
    return builder;
  }

  /** A margin run submitted to the cluster, its driver's output in {@code log}. */
  private static Process submitMargin(Path log) throws IOException {
    return script("submit.sh", log, masterUrl, "margin", "--as-of", AS_OF.toString(), "--policy", POLICY.name(),
        "--warehouse", warehouse.location(), "--kernel", "simd",
        "--conf", "spark.databricks.delta.snapshotPartitions=2", "--conf", "spark.sql.shuffle.partitions=4").start();
  }

  /** Waits until {@code log} has a line matching {@code line}; fails if the driver ends first or after 4 minutes. */
  private static void awaitLine(Path log, Pattern line, Process driver) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readAllLines(log, StandardCharsets.UTF_8).stream().anyMatch(l -> line.matcher(l).find())) {
        return;
      }
      if (!driver.isAlive()) {
        throw new AssertionError("the driver ended before /" + line + "/:\n" + tail(log));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no /" + line + "/ in 4 minutes:\n" + tail(log));
  }

  /** Kills (SIGKILL) the processes under {@code root} whose command line names {@code mainClass}; returns how many. */
  private static int kill(ProcessHandle root, String mainClass) {
    int killed = 0;
    for (ProcessHandle p : root.descendants().toList()) {
      if (p.info().arguments().map(a -> String.join(" ", a).contains(mainClass)).orElse(false)) {
        p.destroyForcibly();
        killed++;
      }
    }
    return killed;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** The committed margins of the date by account: status, then im, mm and equity. */
  private static Map<String, List<Object>> figures() {
    Map<String, List<Object>> byAccount = new HashMap<>();
    for (Row r : MarginSlices.read(warehouse, AS_OF, POLICY.name()).collectAsList()) {
      byAccount.put(r.getAs("account_id"), java.util.Arrays.asList(r.<String>getAs("status"), r.<Double>getAs("im"),
          r.<Double>getAs("mm"), r.<Double>getAs("equity")));
    }
    return byAccount;
  }

  /**
   * The latest committed run is {@code runId}, its invariant held, and its margins are the clean run's:
   * statuses equal, figures within 1e-12 relative. Not bit for bit: the SIMD kernel's EXP and LOG lanes
   * run the JDK's SVML stubs once C2 has compiled them and the Java fallback before, which differ in the
   * last bit, so a warm JVM's rerun and a cold one's can differ by an ulp.
   */
  private static void assertCleanAndCommitted(String runId) {
    Row run = CommittedRuns.latest(warehouse, "margin", AS_OF, POLICY.name());
    assertEquals(runId, run.getAs("run_id"), "the latest committed run");
    assertEquals(1L, (long) run.<String, Long>getJavaMap(run.fieldIndex("counts")).get("invariant_accounts_equal_margins"));
    Map<String, List<Object>> seen = figures();
    assertEquals(clean.keySet(), seen.keySet(), "the same accounts");
    for (Map.Entry<String, List<Object>> e : clean.entrySet()) {
      List<Object> now = seen.get(e.getKey());
      assertEquals(e.getValue().get(0), now.get(0), "status of " + e.getKey());
      for (int i = 1; i < 4; i++) {
        Double a = (Double) e.getValue().get(i);
        Double b = (Double) now.get(i);
        assertTrue(a == null ? b == null : b != null && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)),
            e.getKey() + " figure " + i + ": " + a + " vs " + b);
      }
    }
  }

  @Test
  void anExecutorKilledDuringTheRunIsReplacedAndTheRunEndsWithTheCleanMargins() throws Exception {
    Path log = folder.resolve("executor-killed.log");
    Process driver = submitMargin(log);
    // Stage 1 is done on the driver; the executors are up and about to read the accounts.
    awaitLine(log, Pattern.compile("margin " + AS_OF + ": stage1_revaluation +\\d"), driver);
    long worker = Long.parseLong(Files.readString(state.resolve("worker.pid")).trim());
    int killed = kill(ProcessHandle.of(worker).orElseThrow(), "CoarseGrainedExecutorBackend");
    assertTrue(killed >= 1, "an executor to kill under the worker");
    assertTrue(driver.waitFor(5, TimeUnit.MINUTES), "the run did not end in 5 minutes:\n" + tail(log));
    assertEquals(0, driver.exitValue(), tail(log));
    String output = Files.readString(log);
    assertTrue(output.contains("Lost executor") || output.contains("Executor lost") || output.contains("removed"),
        "the driver saw its executor go:\n" + tail(log));
    Row run = CommittedRuns.latest(warehouse, "margin", AS_OF, POLICY.name());
    assertTrue(output.contains("run " + run.getAs("run_id")), tail(log));
    assertCleanAndCommitted(run.getAs("run_id"));
  }

  @Test
  void aDriverKilledAfterTheMarginsCommitOrDuringTheRunLeavesTheLastCommittedRunVisible() throws Exception {
    String committed = CommittedRuns.latest(warehouse, "margin", AS_OF, POLICY.name()).getAs("run_id");
    long marginsBefore = warehouse.version(OutputTables.MARGINS);

    // Killed right after the margins slice is committed, before rejects, exposures and the runs row.
    Path log = folder.resolve("driver-killed-after-write.log");
    Process script = submitMargin(log);
    awaitLine(log, Pattern.compile("margin " + AS_OF + ": stage2_margins +\\d+\\.\\d\\d s"), script);
    assertEquals(1, kill(script.toHandle(), "org.apache.spark.deploy.SparkSubmit"), "the driver JVM");
    assertTrue(script.waitFor(1, TimeUnit.MINUTES));
    assertNotEquals(0, script.exitValue());
    assertTrue(warehouse.version(OutputTables.MARGINS) > marginsBefore, "the dead run committed its margins slice");
    String dead = MarginSlices.readWritten(warehouse, AS_OF, POLICY.name()).select("run_id").distinct().first().getString(0);
    assertNotEquals(committed, dead);
    assertEquals(0, warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(dead)).count(),
        "the dead run has no runs row");
    assertCleanAndCommitted(committed);

    // Killed during the run, before anything is written: nothing changes.
    long marginsAfterFirstKill = warehouse.version(OutputTables.MARGINS);
    Path during = folder.resolve("driver-killed-during.log");
    Process second = submitMargin(during);
    awaitLine(during, Pattern.compile("margin " + AS_OF + ": plan_inputs +\\d"), second);
    assertEquals(1, kill(second.toHandle(), "org.apache.spark.deploy.SparkSubmit"), "the driver JVM");
    assertTrue(second.waitFor(1, TimeUnit.MINUTES));
    assertEquals(marginsAfterFirstKill, warehouse.version(OutputTables.MARGINS), "no margins commit");
    assertCleanAndCommitted(committed);

    // A rerun replaces what the dead runs left.
    MarginJob.Result rerun = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    assertEquals(ACCOUNTS, rerun.marginsOut());
    assertCleanAndCommitted(rerun.runId());
    assertEquals(ACCOUNTS, MarginSlices.readWritten(warehouse, AS_OF, POLICY.name())
        .filter(col("run_id").equalTo(rerun.runId())).count());
  }
}
