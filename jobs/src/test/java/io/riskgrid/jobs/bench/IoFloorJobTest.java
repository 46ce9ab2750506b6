package io.riskgrid.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both I/O floors on a generated exchange: the narrow one touches every position, the wide one writes a
 * {@code margins} row per account with one {@code by_underlying} element per underlying held (counted
 * here from positions joined with instruments) and at most 5 contributions plus OTHER, each element's
 * contributions summing to the positions' quantities × 1.0001.
 */
class IoFloorJobTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final long ACCOUNTS = 300;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;

  @BeforeAll
  static void generate() throws Exception {
    spark = SparkSessions.getOrCreate("io-floor-test", Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2",
        "spark.default.parallelism", "2", "spark.ui.enabled", "false", "spark.databricks.delta.snapshotPartitions", "2"));
    dir = Files.createTempDirectory("riskgrid-floor-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, 5, PolicyLoader.preset("deribit-like"), SimdKernel.INSTANCE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theNarrowFloorWritesOneRowPerAccountOverEveryPosition() {
    IoFloorJob.Result r = IoFloorJob.run(spark, warehouse, AS_OF, dir.resolve("floor").toString());
    assertEquals(ACCOUNTS, r.accountsWritten());
    long positions = warehouse.read(InputTables.POSITIONS, AS_OF).count();
    Row sum = spark.read().format("delta").load(dir.resolve("floor").toString()).selectExpr("sum(positions)").first();
    assertEquals(positions, sum.getLong(0));
  }

  @Test
  void theWideFloorWritesAMarginsRowPerAccountWithItsUnderlyingsAndContributions() {
    String out = dir.resolve("floor_wide").toString();
    IoFloorJob.Result r = IoFloorJob.runWide(spark, warehouse, AS_OF, out);
    assertEquals(ACCOUNTS, r.accountsWritten());
    Warehouse floor = Warehouse.at(spark, out);
    Map<String, Long> held = new HashMap<>();
    warehouse.read(InputTables.POSITIONS, AS_OF).join(warehouse.read(InputTables.INSTRUMENTS), "instrument_id")
        .groupBy("account_id").agg(org.apache.spark.sql.functions.countDistinct("underlying").as("n")).collectAsList()
        .forEach(row -> held.put(row.getString(0), row.getLong(1)));
    int checked = 0;
    for (Row row : floor.read(OutputTables.MARGINS, AS_OF).selectExpr("account_id", "size(by_underlying)",
        "aggregate(by_underlying, 0, (acc, u) -> greatest(acc, size(u.contributions)))").collectAsList()) {
      long expected = held.getOrDefault(row.getString(0), 0L);
      assertEquals(expected, row.getInt(1), "underlyings of " + row.getString(0));
      assertTrue(row.getInt(2) <= 6, "at most 5 contributions and OTHER: " + row);
      checked++;
    }
    assertEquals(ACCOUNTS, checked);
    // Per account: the exchange is closed, so the quantities of all accounts together sum to 0.
    Map<String, Double> quantities = new HashMap<>();
    warehouse.read(InputTables.POSITIONS, AS_OF).groupBy("account_id").agg(org.apache.spark.sql.functions.sum("quantity"))
        .collectAsList().forEach(row -> quantities.put(row.getString(0), row.getDouble(1) * 1.0001));
    int nonZero = 0;
    for (Row row : floor.read(OutputTables.MARGINS, AS_OF).selectExpr("account_id",
        "aggregate(flatten(transform(by_underlying, u -> u.contributions.contribution)), 0D, (acc, c) -> acc + c)")
        .collectAsList()) {
      double expected = quantities.getOrDefault(row.getString(0), 0.0);
      assertEquals(expected, row.getDouble(1), 1e-9 * Math.max(1, Math.abs(expected)), "contributions of " + row.getString(0));
      nonZero += expected != 0 ? 1 : 0;
    }
    assertTrue(nonZero > ACCOUNTS / 2, "most accounts hold a net quantity: " + nonZero);
  }
}
