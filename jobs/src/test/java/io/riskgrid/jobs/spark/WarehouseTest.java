package io.riskgrid.jobs.spark;

import static io.riskgrid.schemas.OutputTables.MARGINS;
import static io.riskgrid.schemas.OutputTables.REJECTS;
import static io.riskgrid.schemas.OutputTables.RUNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.schemas.BacktestTables;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import io.riskgrid.schemas.Tables;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseTest {

  private static final LocalDate JAN_5 = LocalDate.of(2026, 1, 5);
  private static final LocalDate JAN_6 = LocalDate.of(2026, 1, 6);

  private static SparkSession spark;

  @TempDir
  Path folder;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private Warehouse warehouse() {
    return Warehouse.at(spark, folder.resolve("warehouse").toString());
  }

  /** {@code count} rejects of {@code date}, written by {@code runId}. */
  private static Dataset<Row> rejects(LocalDate date, String runId, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(Date.valueOf(date), runId, "positions", "acct-" + i + "/BTC-PERPETUAL",
          "entry_price is missing: a perpetual needs one"));
    }
    return spark.createDataFrame(rows, REJECTS.schema());
  }

  private static Map<String, Long> rowsByRun(Dataset<Row> rows) {
    return rows.groupBy("run_id").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
  }

  @Test
  void ensureTablesCreatesEveryTableEmptyWithItsSchemaAndPartitioningOnce() {
    Warehouse warehouse = warehouse();
    assertEquals(Tables.ALL, warehouse.ensureTables());
    for (Table table : Tables.ALL) {
      assertEquals(List.of(), table.differencesFrom(warehouse.read(table).schema()), table.name());
      Row detail = spark.sql("DESCRIBE DETAIL delta.`" + warehouse.path(table) + "`").head();
      assertEquals(table.partitionColumns(), detail.getList(detail.fieldIndex("partitionColumns")), table.name());
      assertEquals(0L, detail.<Long>getAs("numFiles"), table.name());
      Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
      assertEquals(table.statisticsColumns().isPresent() ? Integer.toString(table.statisticsColumns().getAsInt()) : null,
          properties.get(Warehouse.INDEXED_COLUMNS), table.name() + ": statistics only on the key columns of wide tables");
    }
    assertEquals(java.util.OptionalInt.of(5), OutputTables.MARGINS.statisticsColumns());
    assertEquals(java.util.OptionalInt.of(3), OutputTables.RISK_ARRAYS.statisticsColumns());
    assertEquals(0, warehouse.version(OutputTables.MARGINS));
    assertEquals(List.of(), warehouse.ensureTables());
  }

  @Test
  void positionsFilesCarryStatisticsOnAccountIdAlone() {
    Warehouse warehouse = warehouse();
    warehouse.ensureTables();
    List<Row> rows = List.of(
        RowFactory.create(Date.valueOf(JAN_5), "acct-2", "BTC-PERPETUAL", -3.0, 64000.0),
        RowFactory.create(Date.valueOf(JAN_5), "acct-7", "ETH-PERPETUAL", 5.0, 3100.0));
    warehouse.replaceSlice(spark.createDataFrame(rows, InputTables.POSITIONS.schema()).coalesce(1),
        InputTables.POSITIONS, JAN_5);
    List<String> stats = spark.read().json(warehouse.path(InputTables.POSITIONS) + "/_delta_log/*.json")
        .filter("add is not null").select("add.stats").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(1, stats.size(), "one file written");
    Row parsed = spark.read().json(spark.createDataset(stats, org.apache.spark.sql.Encoders.STRING())).head();
    assertEquals(2L, parsed.<Long>getAs("numRecords"));
    assertEquals(List.of("account_id"), List.of(parsed.getStruct(parsed.fieldIndex("minValues")).schema().fieldNames()));
    assertEquals("acct-2", parsed.getStruct(parsed.fieldIndex("minValues")).getString(0));
    assertEquals("acct-7", parsed.getStruct(parsed.fieldIndex("maxValues")).getString(0));
  }

  @Test
  void tablesKeepTheCommentsAndNotNullColumnsOfTheCode() {
    Warehouse warehouse = warehouse();
    warehouse.ensureTable(MARGINS);
    StructType stored = warehouse.read(MARGINS).schema();
    assertEquals("USD or a coin; every amount of the row is in it",
        stored.apply("margin_currency").getComment().get());
    assertFalse(stored.apply("as_of_date").nullable());
    assertTrue(stored.apply("im").nullable());
  }

  @Test
  void rerunningADateReplacesItsSliceWithoutDuplicatesAndKeepsOtherDates() {
    Warehouse warehouse = warehouse();
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 3), REJECTS, JAN_5);
    warehouse.replaceSlice(rejects(JAN_5, "run-2", 3), REJECTS, JAN_5);
    assertEquals(Map.of("run-2", 3L), rowsByRun(warehouse.read(REJECTS)));

    warehouse.replaceSlice(rejects(JAN_6, "run-3", 2), REJECTS, JAN_6);
    warehouse.replaceSlice(rejects(JAN_5, "run-4", 1), REJECTS, JAN_5);
    assertEquals(Map.of("run-4", 1L), rowsByRun(warehouse.read(REJECTS, JAN_5)));
    assertEquals(Map.of("run-3", 2L), rowsByRun(warehouse.read(REJECTS, JAN_6)));
    assertEquals(3, warehouse.read(REJECTS).count());
  }

  @Test
  void anEmptyRerunEmptiesItsSlice() {
    Warehouse warehouse = warehouse();
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 2), REJECTS, JAN_5);
    warehouse.replaceSlice(rejects(JAN_5, "run-2", 0), REJECTS, JAN_5);
    assertEquals(0, warehouse.read(REJECTS, JAN_5).count());
  }

  @Test
  void everyWriteAddsOneDeltaVersion() {
    Warehouse warehouse = warehouse();
    warehouse.ensureTable(REJECTS);
    assertEquals(0, warehouse.version(REJECTS));
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 2), REJECTS, JAN_5);
    assertEquals(1, warehouse.version(REJECTS));
    warehouse.replaceSlice(rejects(JAN_5, "run-2", 2), REJECTS, JAN_5);
    warehouse.append(rejects(JAN_6, "run-3", 1), REJECTS);
    assertEquals(3, warehouse.version(REJECTS));
    assertEquals(Map.of("rejects", 3L), warehouse.versions(List.of(REJECTS)));
  }

  @Test
  void aSliceOnlyTakesRowsOfItsOwnDate() {
    Warehouse warehouse = warehouse();
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 2), REJECTS, JAN_5);
    Exception error = assertThrows(Exception.class,
        () -> warehouse.replaceSlice(rejects(JAN_6, "run-2", 1), REJECTS, JAN_5));
    assertTrue(error.getMessage().contains("DELTA_REPLACE_WHERE_MISMATCH"), error.getMessage());
    assertEquals(Map.of("run-1", 2L), rowsByRun(warehouse.read(REJECTS)));
  }

  @Test
  void rowsWithAnotherSchemaAreRefusedWithTheDifferencesNamed() {
    Warehouse warehouse = warehouse();
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 1), REJECTS, JAN_5);
    Dataset<Row> wrong = rejects(JAN_5, "run-2", 1)
        .drop("reason")
        .withColumn("key", org.apache.spark.sql.functions.lit(7))
        .withColumn("note", org.apache.spark.sql.functions.lit("x"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> warehouse.replaceSlice(wrong, REJECTS, JAN_5));
    assertTrue(error.getMessage().startsWith("cannot write to rejects: the rows do not have its schema: "
        + "column key is INT, the table has STRING; missing column reason STRING; unexpected column note STRING."),
        error.getMessage());
    assertEquals(1, warehouse.version(REJECTS));
    assertThrows(IllegalArgumentException.class, () -> warehouse.append(wrong, REJECTS));
  }

  @Test
  void columnsMayComeInAnyOrder() {
    Warehouse warehouse = warehouse();
    Dataset<Row> reordered = rejects(JAN_5, "run-1", 2).select("reason", "key", "run_id", "source_table", "as_of_date");
    warehouse.replaceSlice(reordered, REJECTS, JAN_5);
    Row first = warehouse.read(REJECTS).orderBy("key").head();
    assertEquals("acct-0/BTC-PERPETUAL", first.getString(first.fieldIndex("key")));
    assertEquals(Date.valueOf(JAN_5), first.getDate(first.fieldIndex("as_of_date")));
  }

  @Test
  void aNullSliceColumnIsRefusedByDelta() {
    Warehouse warehouse = warehouse();
    Dataset<Row> nullRun = spark.createDataFrame(
        List.of(RowFactory.create(Date.valueOf(JAN_5), null, "positions", "k", "r")), REJECTS.schema().asNullable());
    Exception error = assertThrows(Exception.class, () -> warehouse.replaceSlice(nullRun, REJECTS, JAN_5));
    assertTrue(error.getMessage().contains("run_id"), error.getMessage());
  }

  @Test
  void marginsRoundTripTheirPerUnderlyingBreakdown() {
    Warehouse warehouse = warehouse();
    Row btc = RowFactory.create("BTC", 9000.0, "p-15_v+0", 0.0, 360.0, 0.0, 9360.0, 1.0, 0.0, 0.0, 0.0,
        List.of(RowFactory.create("BTC-PERPETUAL", 9360.0)));
    Row account = RowFactory.create(Date.valueOf(JAN_5), "run-1", "seed-default", "h1", "acct-1", null, "PORTFOLIO", "USD", "OK", null,
        60000.0, 12168.0, 9360.0, 12168.0, 9360.0, 1200.0, 600.0, -9.14, 0.84, null, List.of(btc));
    warehouse.replaceSlice(spark.createDataFrame(List.of(account), MARGINS.schema()), MARGINS, JAN_5);
    Row read = warehouse.read(MARGINS, JAN_5).head();
    Row breakdown = read.<Row>getList(read.fieldIndex("by_underlying")).get(0);
    assertEquals("p-15_v+0", breakdown.getString(breakdown.fieldIndex("binding_scenario")));
    assertEquals(360.0, breakdown.getDouble(breakdown.fieldIndex("c_fut")));
    Row contribution = breakdown.<Row>getList(breakdown.fieldIndex("contributions")).get(0);
    assertEquals("BTC-PERPETUAL", contribution.getString(contribution.fieldIndex("source")));
    assertEquals(9360.0, contribution.getDouble(contribution.fieldIndex("contribution")));
    assertEquals(12168.0, read.getDouble(read.fieldIndex("im")));
  }

  @Test
  void aRunRecordAppendsOneRowInUtc() {
    Warehouse warehouse = warehouse();
    Instant before = Instant.now().minusMillis(1);
    RunRecord run = RunRecord.start("margin", JAN_5)
        .inputVersions(Map.of("positions", 4L)).count("accounts_in", 10).timing("stage2", 1234)
        .kernel("scalar", "--kernel scalar").groupingPath("clustered").policy("riskgrid-v1", "abc");
    run.finishAndAppend(warehouse, spark);
    RunRecord.start("stress", JAN_5).finishAndAppend(warehouse, spark);
    assertEquals(2, warehouse.read(RUNS).count());
    Row row = warehouse.read(RUNS).where("command = 'margin'").head();
    assertEquals(run.runId(), row.getString(row.fieldIndex("run_id")));
    assertEquals(Map.of("positions", 4L), row.getJavaMap(row.fieldIndex("input_versions")));
    assertEquals(Map.of("stage2", 1234L), row.getJavaMap(row.fieldIndex("timings_ms")));
    String codeVersion = row.getAs("code_version");
    assertEquals(BuildInfo.codeVersion(), codeVersion);
    if (java.nio.file.Files.exists(Path.of("..", ".git"))) {
      // Built from a git checkout: the row names the commit (BuildInfoTest checks it is HEAD's).
      assertTrue(codeVersion.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+[0-9a-f]{7,40}(\\.dirty)?"), codeVersion);
    }
    Instant started = row.<Timestamp>getAs("started_at").toInstant();
    assertTrue(!started.isBefore(before) && !started.isAfter(Instant.now()), started.toString());
    String shown = spark.sql("SELECT CAST(TIMESTAMP '2026-01-05 08:00:00' AS STRING)").head().getString(0);
    assertEquals("2026-01-05 08:00:00", shown);
    assertEquals(8, spark.sql("SELECT hour(TIMESTAMP_SECONDS(1767600000))").head().getInt(0));
  }

  @Test
  void backtestDaysAreReplacedByRangeAndUnslicedTablesWhole() {
    Warehouse warehouse = warehouse();
    StructType daily = BacktestTables.BACKTEST_DAILY.schema();
    List<Row> days = new ArrayList<>();
    for (LocalDate d = JAN_5; d.isBefore(JAN_5.plusDays(5)); d = d.plusDays(1)) {
      days.add(RowFactory.create("bt-1", "pf-1", Date.valueOf(d), 10.0, 13.0, 1.0, false, false, "DVOL", "USD", 100.0, 99.0,
          Map.of("BTC", 60_000.0), Map.of("BTC", 59_400.0), Map.of("BTC", "p-15_v+0"), 14.0));
    }
    warehouse.replaceRange(spark.createDataFrame(days, daily), BacktestTables.BACKTEST_DAILY,
        JAN_5, JAN_5.plusDays(4));
    warehouse.replaceRange(spark.createDataFrame(days.subList(1, 3), daily).withColumn("run_id",
        org.apache.spark.sql.functions.lit("bt-2")), BacktestTables.BACKTEST_DAILY, JAN_6, JAN_6.plusDays(1));
    assertEquals(Map.of("bt-1", 3L, "bt-2", 2L), rowsByRun(warehouse.read(BacktestTables.BACKTEST_DAILY)));

    IllegalArgumentException sliced = assertThrows(IllegalArgumentException.class,
        () -> warehouse.overwrite(rejects(JAN_5, "r", 1), REJECTS));
    assertTrue(sliced.getMessage().contains("replaceSlice"), sliced.getMessage());
    Row instrument = RowFactory.create("BTC-PERPETUAL", "BTC", "PERPETUAL", "INVERSE", null, null, null, 10.0);
    warehouse.overwrite(spark.createDataFrame(List.of(instrument, instrument), InputTables.INSTRUMENTS.schema()),
        InputTables.INSTRUMENTS);
    warehouse.overwrite(spark.createDataFrame(List.of(instrument), InputTables.INSTRUMENTS.schema()),
        InputTables.INSTRUMENTS);
    assertEquals(1, warehouse.read(InputTables.INSTRUMENTS).count());
    assertThrows(IllegalArgumentException.class,
        () -> warehouse.replaceSlice(rejects(JAN_5, "r", 1), InputTables.SCENARIO_SETS, JAN_5));
  }

  /** {@code count} scenario rows of the set {@code name}. */
  private static Dataset<Row> scenarioSet(String name, int count) {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < count; j++) {
      rows.add(RowFactory.create(name, j, "p-10_v+0", "BTC", -0.1, 0.0, 1, "REGULAR", 1.0, "additive"));
    }
    return spark.createDataFrame(rows, InputTables.SCENARIO_SETS.schema());
  }

  @Test
  void replaceWhereQuotesItsValuesSoThatOnlyTheRowsOfThatValueAreReplaced() {
    Warehouse warehouse = warehouse();
    // Spark reads 'it''s' as the two literals 'it' and 's': a quote must be escaped with a backslash.
    String awkward = "it's a \\ set";
    warehouse.replaceWhere(scenarioSet(awkward, 2), InputTables.SCENARIO_SETS, Where.equal("set_name", awkward));
    warehouse.replaceWhere(scenarioSet("it", 3), InputTables.SCENARIO_SETS, Where.equal("set_name", "it"));
    warehouse.replaceWhere(scenarioSet(awkward, 1), InputTables.SCENARIO_SETS, Where.equal("set_name", awkward));
    Map<String, Long> bySet = warehouse.read(InputTables.SCENARIO_SETS).groupBy("set_name").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(Map.of(awkward, 1L, "it", 3L), bySet);
    assertEquals("'it\\'s a \\\\ set'", SqlLiterals.string(spark, awkward));
    assertEquals("DATE'2026-01-05'", SqlLiterals.date(spark, JAN_5));

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> warehouse.replaceWhere(
        scenarioSet("x", 1), InputTables.SCENARIO_SETS, Where.equal("set", "x")));
    assertTrue(unknown.getMessage().contains("scenario_sets has no column set;"), unknown.getMessage());
    IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class, () -> warehouse.replaceWhere(
        rejects(JAN_5, "r", 1), REJECTS, Where.equal("as_of_date", "2026-01-05")));
    assertTrue(mistyped.getMessage().contains("rejects.as_of_date is date, not string"), mistyped.getMessage());
  }

  @Test
  void readingATableNobodyWroteSaysSo() {
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> warehouse().read(MARGINS));
    assertTrue(error.getMessage().contains("table margins does not exist in file:"), error.getMessage());
  }

  @Test
  void aTableWrittenWithAnotherSchemaIsReportedNotSilentlyUsed() {
    Warehouse warehouse = warehouse();
    spark.range(3).withColumnRenamed("id", "account_id").write().format("delta").save(warehouse.path(MARGINS));
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> warehouse.ensureTable(MARGINS));
    assertTrue(error.getMessage().contains("was written with another schema"), error.getMessage());
    assertTrue(error.getMessage().contains("column account_id is BIGINT, the table has STRING"), error.getMessage());
  }

  @Test
  void aMarginsTableFromBeforePolicySlicesIsRefusedWithWhatItNeeds() {
    Warehouse warehouse = warehouse();
    StructType before = new StructType();
    for (var field : MARGINS.schema().fields()) {
      if (!field.name().startsWith("policy_")) {
        before = before.add(field);
      }
    }
    spark.createDataFrame(List.<Row>of(), before).write().format("delta").partitionBy("as_of_date")
        .save(warehouse.path(MARGINS));
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> warehouse.ensureTable(MARGINS));
    String message = error.getMessage();
    assertTrue(message.contains("missing column policy_name STRING; missing column policy_hash STRING"), message);
    assertTrue(message.contains("Move " + warehouse.path(MARGINS) + " aside"), message);
    assertTrue(message.contains("rerun 'riskgrid margin --as-of DATE [--policy P]'"), message);
    assertThrows(IllegalStateException.class, warehouse::ensureTables, "every command's first step refuses it too");
  }

  @Test
  void viewsAreRegisteredByNameForTheTablesThatExist() {
    Warehouse warehouse = warehouse();
    warehouse.replaceSlice(rejects(JAN_5, "run-1", 2), REJECTS, JAN_5);
    RunRecord.start("margin", JAN_5).finishAndAppend(warehouse, spark);
    assertEquals(List.of("runs", "rejects"), warehouse.registerViews());
    Row joined = spark.sql("SELECT count(*) FROM rejects r JOIN runs ON r.as_of_date = runs.as_of_date").head();
    assertEquals(2, joined.getLong(0));
  }

  @Test
  void aRelativeLocationIsMadeAbsoluteAndAUriIsKept() {
    assertTrue(Warehouse.qualify("riskgrid-warehouse").startsWith("file:/"));
    assertTrue(Warehouse.qualify("riskgrid-warehouse").endsWith("/riskgrid-warehouse"));
    assertEquals("s3a://bucket/riskgrid", Warehouse.qualify("s3a://bucket/riskgrid/"));
    assertEquals("file:/tmp/w", Warehouse.qualify("file:/tmp/w"));
    assertEquals("file:" + folder, Warehouse.qualify(folder + "/"));
    assertThrows(IllegalArgumentException.class, () -> Warehouse.qualify(" "));
  }

  @Test
  void aRowFromTheSchemaWithLocalDatesIsAcceptedToo() {
    Warehouse warehouse = warehouse();
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(JAN_5, "run-1", "collateral", "k", "r")),
        REJECTS.schema());
    warehouse.replaceSlice(rows, REJECTS, JAN_5);
    assertEquals(DataTypes.DateType, warehouse.read(REJECTS).schema().apply("as_of_date").dataType());
    assertEquals(1, warehouse.read(REJECTS, JAN_5).count());
  }

  /**
   * A runs table of a riskgrid before runs.output_versions gains the column in place, its rows reading
   * null there; a table that differs otherwise is still refused, naming the difference.
   */
  @Test
  void anOlderRunsTableGainsTheTrailingColumnAndOtherDifferencesAreRefused() {
    Warehouse w = warehouse();
    org.apache.spark.sql.types.StructType before = new org.apache.spark.sql.types.StructType(
        java.util.Arrays.copyOf(OutputTables.RUNS.schema().fields(), OutputTables.RUNS.schema().size() - 1));
    String path = w.location() + "/runs";
    Object[] values = new Object[before.size()];
    values[0] = "old-run";
    values[1] = "margin";
    spark.createDataFrame(List.of(RowFactory.create(values)), before).write().format("delta").save(path);
    assertFalse(w.ensureTable(OutputTables.RUNS), "the table existed");
    Row old = w.read(OutputTables.RUNS).first();
    assertEquals("old-run", old.getAs("run_id"));
    assertTrue(old.isNullAt(old.fieldIndex("output_versions")));
    assertEquals(List.of(), OutputTables.RUNS.differencesFrom(w.read(OutputTables.RUNS).schema()));

    org.apache.spark.sql.types.StructType reordered = new org.apache.spark.sql.types.StructType()
        .add("command", org.apache.spark.sql.types.DataTypes.StringType)
        .add("run_id", org.apache.spark.sql.types.DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("margin", "x")), reordered).write().format("delta")
        .save(w.location() + "/exposures");
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> w.ensureTable(OutputTables.EXPOSURES));
    assertTrue(refused.getMessage().contains("missing column"), refused.getMessage());
  }
}
