package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.input.ClusteredLayout;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The no-shuffle read of a clustered layout (DESIGN §4) against the shuffle path on the same
 * generated exchange: identical margins rows, exposures equal to a join of positions with the book's
 * coefficients, and the path recorded in runs; a layout that does not qualify falls back with a reason.
 */
class ClusteredGroupingTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final MarginPolicy POLICY = PolicyLoader.preset("deribit-like");
  private static final long ACCOUNTS = 900;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static MarginJob.Result clustered;
  private static List<Row> clusteredMargins;
  private static List<Row> clusteredExposures;
  private static MarginJob.Result shuffled;

  @BeforeAll
  static void generateAndMarginBothWays() throws Exception {
    spark = SparkSessions.getOrCreate("clustered-grouping-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    Path dir = Files.createTempDirectory("riskgrid-clustered-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, 11, POLICY, SimdKernel.INSTANCE);
    clustered = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    clusteredMargins = sortedMargins();
    clusteredExposures = sortedExposures();
    shuffled = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false, MarginJob.Grouping.SHUFFLE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Row> sortedMargins() {
    return warehouse.read(OutputTables.MARGINS, AS_OF).drop("run_id").orderBy("account_id").collectAsList();
  }

  private static List<Row> sortedExposures() {
    return warehouse.read(OutputTables.EXPOSURES, AS_OF).drop("run_id").orderBy("underlying", "bucket").collectAsList();
  }

  /**
   * DESIGN §7.2 through the tables: every instrument's quantities sum to 0, one row per account and
   * instrument, the providers are the last ids, and so every traded exposure bucket's long and short
   * open interest are equal and its net delta is 0 (the engine's exposures, an independent path to the sum).
   */
  @Test
  void theGeneratedExchangeIsClosed() {
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, AS_OF);
    List<Row> perInstrument = positions.groupBy("instrument_id")
        .agg(functions.sum("quantity").as("open"), functions.sum(functions.abs(col("quantity"))).as("gross")).collectAsList();
    assertTrue(perInstrument.size() > 300, "instruments held " + perInstrument.size());
    for (Row r : perInstrument) {
      assertEquals(0.0, r.getDouble(1), 1e-12 * r.getDouble(2), r.getString(0) + " does not net to 0");
    }
    assertEquals(positions.count(), positions.select("account_id", "instrument_id").distinct().count(),
        "one positions row per account and instrument");
    assertEquals(ACCOUNTS, warehouse.read(InputTables.ACCOUNTS, AS_OF).count());
    assertEquals(3, warehouse.read(InputTables.ACCOUNTS, AS_OF).filter(col("parent_id").equalTo("HOUSE")
        .and(col("account_id").geq(io.riskgrid.jobs.generate.AccountGenerator.accountId(ACCOUNTS - 3)))).count(), "BTC, ETH and USD providers last");
    int buckets = 0;
    for (Row e : clusteredExposures) {
      if ("SPOT".equals(e.getAs("bucket"))) {
        continue; // collateral coins: held, not traded, so nobody is short them
      }
      double longOi = e.getAs("long_oi");
      double shortOi = Math.abs((double) e.getAs("short_oi"));
      String where = e.getAs("underlying") + " " + e.getAs("bucket");
      assertEquals(longOi, shortOi, 1e-9 * longOi, "open interest of " + where);
      assertEquals(0.0, (double) e.getAs("net_delta"), 1e-9 * (longOi + shortOi), "net delta of " + where);
      buckets++;
    }
    assertTrue(buckets > 10, "traded buckets " + buckets);
  }

  @Test
  void theGeneratedLayoutIsReadWithoutAShuffleAndTheRunSaysSo() {
    assertEquals("clustered", clustered.groupingPath());
    assertEquals("shuffle", shuffled.groupingPath());
    Row run = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(clustered.runId())).first();
    assertEquals("clustered", run.getAs("grouping_path"));
    Row other = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(shuffled.runId())).first();
    assertEquals("shuffle: --grouping shuffle", other.getAs("grouping_path"));
    ClusteredLayout.Plan plan = ClusteredLayout.plan(spark, warehouse, AS_OF);
    assertTrue(plan.units().size() >= 2, "the generator wrote one file per partition: " + plan.units());
  }

  @Test
  void stressReadsTheGeneratedDateWithoutAShuffleAndRecordsTheKernelsItsTasksRan() {
    List<StressJob.ScenarioResult> results = StressJob.run(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL,
        Kernels.select("auto"));
    assertEquals(3, results.size());
    Row run = warehouse.read(OutputTables.RUNS).filter(col("command").equalTo("stress")).orderBy(col("started_at").desc())
        .first();
    assertEquals("clustered", run.getAs("grouping_path"));
    // The tasks' own choice ("kernel: reason" per kernel they ran), not the driver's: no GPU here, so simd.
    assertEquals("simd", run.getAs("kernel"));
    assertTrue(((String) run.getAs("kernel_reason")).startsWith("simd: auto: cuda unavailable"),
        (String) run.getAs("kernel_reason"));
  }

  @Test
  void bothPathsWriteTheSameMarginsRows() {
    List<Row> viaShuffle = sortedMargins();
    assertEquals(ACCOUNTS, clusteredMargins.size());
    assertEquals(ACCOUNTS, viaShuffle.size());
    for (int k = 0; k < clusteredMargins.size(); k++) {
      // The shuffle path's collect_list may order an account's positions differently, so sums can differ
      // in the last bits: every number must agree to 1e-9 relative, every text exactly.
      assertSame(clusteredMargins.get(k), viaShuffle.get(k), clusteredMargins.get(k).getAs("account_id"));
    }
  }

  private static void assertSame(Object a, Object b, String where) {
    if (a instanceof Double x && b instanceof Double y) {
      assertEquals(x, y, 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12, where);
    } else if (a instanceof Row x && b instanceof Row y) {
      assertEquals(x.size(), y.size(), where);
      for (int i = 0; i < x.size(); i++) {
        assertSame(x.get(i), y.get(i), where + "." + x.schema().fieldNames()[i]);
      }
    } else if (a instanceof scala.collection.Seq<?> x && b instanceof scala.collection.Seq<?> y) {
      assertEquals(x.size(), y.size(), where);
      for (int i = 0; i < x.size(); i++) {
        assertSame(x.apply(i), y.apply(i), where + "[" + i + "]");
      }
    } else {
      assertEquals(a, b, where);
    }
  }

  @Test
  void exposuresEqualAJoinOfPositionsWithTheBookCoefficients() {
    Map<String, double[]> expected = new HashMap<>();
    var book = clustered.book();
    Dataset<Row> valid = warehouse.read(OutputTables.MARGINS, AS_OF).filter("status NOT IN ('REJECTED','DATA_ERROR')")
        .select("account_id");
    for (Row p : warehouse.read(InputTables.POSITIONS, AS_OF).join(valid, "account_id").collectAsList()) {
      int i = book.valued().indexOf(p.getAs("instrument_id"));
      var ins = book.valued().instruments().get(i);
      double q = p.getAs("quantity");
      double[] e = expected.computeIfAbsent(ins.underlying() + "|" + (ins.expiry() == null ? "PERP" : ins.expiry().toString()),
          k -> new double[6]);
      e[0] += q * book.valued().usdBasisDelta(i);
      e[1] += q * book.valued().usdBasisGamma(i);
      e[2] += q * book.valued().vegaUsd(i);
      e[3] += q * book.valued().thetaUsd(i);
      e[4] += Math.max(q, 0) * book.valued().coinPerContract(i);
      e[5] += Math.max(-q, 0) * book.valued().coinPerContract(i);
    }
    for (Row c : warehouse.read(InputTables.COLLATERAL, AS_OF).join(valid, "account_id").collectAsList()) {
      String coin = c.getAs("asset");
      if (book.valued().underlyingIndexOf(coin) >= 0) {
        double q = c.getAs("quantity");
        double[] e = expected.computeIfAbsent(coin + "|SPOT", k -> new double[6]);
        e[0] += q;
        e[4] += Math.max(q, 0);
        e[5] += Math.max(-q, 0);
      }
    }
    assertEquals(expected.size(), clusteredExposures.size());
    String[] columns = {"net_delta", "gamma", "vega", "theta", "long_oi", "short_oi"};
    for (Row r : clusteredExposures) {
      double[] e = expected.get(r.getAs("underlying") + "|" + r.getAs("bucket"));
      for (int k = 0; k < columns.length; k++) {
        double actual = r.getAs(columns[k]);
        assertEquals(e[k], actual, 1e-9 * Math.max(1.0, Math.abs(e[k])), columns[k] + " of " + r);
      }
    }
    List<Row> viaShuffle = sortedExposures();
    assertEquals(clusteredExposures.size(), viaShuffle.size());
  }

  @Test
  void aLayoutWithOverlappingFilesFallsBackToTheShufflePathWithTheReason() throws Exception {
    Path dir = Files.createTempDirectory("riskgrid-overlap-test");
    Warehouse other = Warehouse.at(spark, dir.toString());
    java.sql.Date d = java.sql.Date.valueOf(AS_OF);
    other.ensureTables();
    other.append(spark.createDataFrame(List.of(RowFactory.create(d, "A1", null, "PORTFOLIO", "USD"),
        RowFactory.create(d, "A2", null, "PORTFOLIO", "USD")), InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS);
    for (String account : List.of("A2", "A1")) {
      other.append(spark.createDataFrame(List.of(RowFactory.create(d, account, "BTC-PERPETUAL", 1.0, 90_000.0),
          RowFactory.create(d, "A1".equals(account) ? "A3" : "A0", "BTC-PERPETUAL", 1.0, 90_000.0)),
          InputTables.POSITIONS.schema()).coalesce(1), InputTables.POSITIONS);
    }
    ClusteredLayout.Plan plan = ClusteredLayout.plan(spark, other, AS_OF);
    assertFalse(plan.clustered());
    assertTrue(plan.reason().contains("overlap"), plan.reason());
  }
}
