package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.LiquidationCurve;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.stress.StressEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The margin run on real local Spark and Delta tables in a temp folder: invariants, rejects, reruns, and agreement with the engine. */
class MarginJobTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  private static final MarginPolicy POLICY = PolicyLoader.preset("deribit-like");
  private static final long ACCOUNTS = 1_500;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static MarginJob.Result first;

  @BeforeAll
  static void generateAndMargin() throws Exception {
    spark = SparkSessions.getOrCreate("margin-job-test", Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2",
        "spark.default.parallelism", "2", "spark.ui.enabled", "false", "spark.databricks.delta.snapshotPartitions", "2"));
    Path dir = Files.createTempDirectory("riskgrid-margin-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, 7, POLICY, SimdKernel.INSTANCE);
    injectBadInput();
    first = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), true);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** An unknown instrument, a malformed instrument, an orphan position and collateral without a haircut. */
  private static void injectBadInput() {
    java.sql.Date d = java.sql.Date.valueOf(AS_OF);
    warehouse.append(spark.createDataFrame(List.of(
        RowFactory.create(d, "A0000000001", "NO-SUCH-INSTRUMENT", 1.0, 100.0),
        RowFactory.create(d, "A0000000002", "BAD-STRIKE", 1.0, null),
        RowFactory.create(d, "ORPHAN", "BTC-PERPETUAL", 1.0, 90_000.0)), InputTables.POSITIONS.schema()), InputTables.POSITIONS);
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create("BAD-STRIKE", "BTC", "OPTION", "LINEAR", "CALL", -5.0,
        Timestamp.valueOf("2026-03-27 08:00:00"), 0.01)), InputTables.INSTRUMENTS.schema()), InputTables.INSTRUMENTS);
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create(d, "A0000000003", "DOGE", 1_000.0)),
        InputTables.COLLATERAL.schema()), InputTables.COLLATERAL);
  }

  private static Row margins(String accountId) {
    return warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("account_id").equalTo(accountId)).first();
  }

  /**
   * N_u of DESIGN §3.4 Agreement per (account, underlying), from the input tables: Σ|q|·m·S over linear
   * instruments and inverse options plus Σ|q|·N over inverse futures and perpetuals, ÷S for coin accounts.
   */
  private static Dataset<Row> notionals() {
    Dataset<Row> spot = warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).select("underlying", "index_price");
    Dataset<Row> currency = warehouse.read(InputTables.ACCOUNTS, AS_OF).select("account_id", "margin_currency");
    return warehouse.read(InputTables.POSITIONS, AS_OF).join(warehouse.read(InputTables.INSTRUMENTS), "instrument_id")
        .join(spot, "underlying").join(currency, "account_id")
        .selectExpr("account_id", "underlying", "CASE WHEN settlement = 'INVERSE' AND kind <> 'OPTION' "
            + "THEN abs(quantity) * multiplier ELSE abs(quantity) * multiplier * index_price END "
            + "/ CASE WHEN margin_currency = 'USD' THEN 1 ELSE index_price END AS n")
        .groupBy("account_id", "underlying").sum("n").withColumnRenamed("sum(n)", "notional");
  }

  /**
   * Underlyings of margined accounts whose contributions do not sum to their mm within the agreement
   * tolerance of DESIGN §3.4 (the notional term absorbs the kernel's rounding of legs that cancel, such
   * as the same instrument held long and short), the longest list, the lists with an OTHER row, and all.
   */
  private static long[] contributionCheck() {
    Dataset<Row> u = warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("pm_mm").isNotNull())
        .selectExpr("account_id", "explode(by_underlying) AS u")
        .selectExpr("account_id", "u.underlying AS underlying", "u.mm AS mm", "size(u.contributions) AS n",
            "aggregate(u.contributions, 0D, (acc, c) -> acc + c.contribution) AS total",
            "exists(u.contributions, c -> c.source = 'OTHER') AS other")
        .join(notionals(), new String[] {"account_id", "underlying"}, "left");
    long wrong = u.filter("abs(total - mm) > 1e-9 * greatest(abs(mm), abs(total)) + 1e-9 * coalesce(notional, 0D)")
        .count();
    Row stats = u.selectExpr("max(n)", "sum(CASE WHEN other THEN 1 ELSE 0 END)", "count(*)").first();
    return new long[] {wrong, stats.getInt(0), stats.getLong(1), stats.getLong(2)};
  }

  @Test
  void contributionsSumToEachUnderlyingsMmAndAllKeepsEveryPosition() {
    MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), MarginJob.Options.DEFAULT);
    long[] top = contributionCheck();
    assertEquals(0, top[0], "underlyings whose top-5 + OTHER contributions miss their mm");
    assertTrue(top[1] <= MarginJob.TOP_CONTRIBUTIONS + 1, "at most 5 and OTHER: " + top[1]);
    assertTrue(top[2] > 0, "some underlying has more than 5 sources, so an OTHER row");
    MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"),
        MarginJob.Options.DEFAULT.withContributionsKept(MarginJob.ALL_CONTRIBUTIONS));
    long[] all = contributionCheck();
    assertEquals(0, all[0], "underlyings whose contributions miss their mm");
    assertTrue(all[1] > MarginJob.TOP_CONTRIBUTIONS + 1, "all keeps every source: " + all[1]);
    assertEquals(0, all[2], "no OTHER row when every source is kept");
    assertEquals(top[3], all[3]);
  }

  /**
   * The margins table's ids and amounts are written without a dictionary (its table properties), its
   * repeated texts with one: read from the Parquet footers of the files the run wrote.
   */
  @Test
  void marginsAmountsAreWrittenPlainAndRepeatedTextsWithADictionary() throws Exception {
    Map<String, java.util.Set<String>> encodings = new java.util.HashMap<>();
    List<String> files = List.of(warehouse.read(OutputTables.MARGINS, AS_OF).inputFiles());
    assertTrue(!files.isEmpty(), "the run wrote margins files");
    for (String file : files) {
      try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file),
              new org.apache.hadoop.conf.Configuration()))) {
        reader.getFooter().getBlocks().forEach(block -> block.getColumns().forEach(c -> encodings
            .computeIfAbsent(c.getPath().toDotString(), k -> new java.util.HashSet<>())
            .addAll(c.getEncodings().stream().map(Enum::name).toList())));
      }
    }
    for (String plain : OutputTables.MARGINS.plainEncodedColumns()) {
      assertTrue(encodings.containsKey(plain), "a Parquet column " + plain + " among " + encodings.keySet());
      assertTrue(encodings.get(plain).stream().noneMatch(e -> e.contains("DICTIONARY")), plain + ": " + encodings.get(plain));
    }
    assertTrue(encodings.get("policy_name").stream().anyMatch(e -> e.contains("DICTIONARY")),
        "policy_name keeps its dictionary: " + encodings.get("policy_name"));
  }

  @Test
  void everyInputAccountHasExactlyOneMarginRowAndTheRunIsRecorded() {
    assertEquals(ACCOUNTS, first.accountsIn());
    assertEquals(ACCOUNTS, first.marginsOut());
    Row run = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(first.runId())).first();
    assertEquals("simd", run.getAs("kernel"));
    assertEquals(POLICY.hash(), run.getAs("policy_hash"));
    Map<String, Long> counts = scala.jdk.javaapi.CollectionConverters.asJava(run.<scala.collection.Map<String, Long>>getAs("counts"));
    assertEquals(1L, counts.get("invariant_accounts_equal_margins"));
    long statuses = warehouse.read(OutputTables.MARGINS, AS_OF).filter("status = 'OK'").count();
    assertTrue(statuses > 0.7 * ACCOUNTS, "most generated accounts are OK: " + statuses);
  }

  @Test
  void badRowsRejectTheirAccountsWithReasonsAndNullFigures() {
    Row unknown = margins("A0000000001");
    assertEquals("REJECTED", unknown.getAs("status"));
    assertTrue(((String) unknown.getAs("reason")).contains("NO-SUCH-INSTRUMENT"));
    assertNull(unknown.getAs("im"));
    Row malformed = margins("A0000000002");
    assertEquals("REJECTED", malformed.getAs("status"));
    assertTrue(((String) malformed.getAs("reason")).contains("strike"), (String) malformed.getAs("reason"));
    Row doge = margins("A0000000003");
    assertEquals("REJECTED", doge.getAs("status"));
    assertTrue(((String) doge.getAs("reason")).contains("DOGE"));
    List<Row> rejects = warehouse.read(OutputTables.REJECTS, AS_OF).collectAsList();
    assertTrue(rejects.stream().anyMatch(r -> "positions".equals(r.getAs("source_table")) && ((String) r.getAs("key")).startsWith("ORPHAN")),
        "orphan rows are rejected, not dropped");
    assertTrue(rejects.stream().anyMatch(r -> "instruments".equals(r.getAs("source_table"))));
    assertTrue(rejects.stream().allMatch(r -> first.runId().equals(r.getAs("run_id"))));
  }

  @Test
  void sampledAccountsEqualTheEngineRunDirectlyWithTheScalarKernel() {
    InstrumentBook book = StageOne.book(MarketTables.read(warehouse, AS_OF), POLICY, ScalarKernel.INSTANCE);
    MarginCalculator scalar = new MarginCalculator(book, ScalarKernel.INSTANCE);
    List<Row> grouped = AccountInputs.read(warehouse, AS_OF).accounts().filter("account_id like '%7'").collectAsList();
    assertTrue(grouped.size() > 100);
    for (Row g : grouped) {
      AccountMargin expected = scalar.margin(AccountInputs.toAccount(g));
      Row actual = margins(expected.accountId());
      assertEquals(expected.status().name(), actual.getAs("status"), expected.accountId());
      if (expected.isValid()) {
        for (String f : new String[] {"im", "mm", "equity", "standard_im"}) {
          double e = switch (f) {
            case "im" -> expected.im();
            case "mm" -> expected.mm();
            case "equity" -> expected.equity();
            default -> expected.standardIm();
          };
          double a = actual.<Double>getAs(f);
          assertTrue(Math.abs(e - a) <= 1e-9 * Math.max(Math.abs(e), Math.abs(a)) + 1e-6, f + " of " + expected.accountId() + ": " + e + " vs " + a);
        }
      }
    }
  }

  @Test
  void liquidationDistancesAndTheCurveAgreeWithTheScalarEngineAndTheStatuses() {
    InstrumentBook book = StageOne.book(MarketTables.read(warehouse, AS_OF), POLICY, ScalarKernel.INSTANCE);
    MarginCalculator scalar = new MarginCalculator(book, ScalarKernel.INSTANCE, false, true);
    LiquidationCurve expected = new LiquidationCurve();
    Map<String, Row> written = new java.util.HashMap<>();
    warehouse.read(OutputTables.MARGINS, AS_OF).collectAsList().forEach(r -> written.put(r.getAs("account_id"), r));
    int reached = 0;
    for (Row g : AccountInputs.read(warehouse, AS_OF).accounts().collectAsList()) {
      AccountMargin m = scalar.marginAll(List.of(AccountInputs.toAccount(g))).get(0);
      Row actual = written.get(m.accountId());
      assertClose(m.liqMoveDown(), actual.getAs("liq_move_down"), m.accountId() + " down");
      assertClose(m.liqMoveUp(), actual.getAs("liq_move_up"), m.accountId() + " up");
      if (m.isValid()) {
        reached += m.liqMoveDown() != null || m.liqMoveUp() != null ? 1 : 0;
        int coin = book.valued().underlyingIndexOf(m.marginCurrency());
        expected.add(scalar.movePnl(0), m.equity(), m.mm(), m.marginCurrency().equals("USD") ? Double.NaN
            : book.valued().spot(coin));
      }
    }
    assertTrue(reached > 100, "most generated accounts can be liquidated within 50%: " + reached);
    List<Row> curve = warehouse.read(OutputTables.LIQUIDATION_CURVE, AS_OF).orderBy("move").collectAsList();
    assertEquals(201, curve.size());
    long inLiquidation = warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("status").equalTo("LIQUIDATION")).count();
    double[] moves = expected.moves();
    for (int k = 0; k < moves.length; k++) {
      Row r = curve.get(k);
      assertEquals(moves[k], r.<Double>getAs("move"), 0.0);
      assertEquals(POLICY.name(), r.getAs("policy_name"));
      assertEquals(expected.accountsLiquidated(k), r.<Long>getAs("accounts_liquidated"), "move " + moves[k]);
      assertClose(expected.shortfallUsd(k), r.getAs("shortfall_usd"), "shortfall at " + moves[k]);
      assertClose(expected.equityAtRiskUsd(k), r.getAs("equity_at_risk_usd"), "equity at risk at " + moves[k]);
    }
    assertEquals(inLiquidation, curve.get(100).<Long>getAs("accounts_liquidated"), "the curve at 0 is the LIQUIDATION count");
    assertTrue(curve.get(0).<Long>getAs("accounts_liquidated") > inLiquidation, "a 50% fall liquidates more accounts");
  }

  private static void assertClose(Double expected, Double actual, String what) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, what);
      return;
    }
    assertTrue(Math.abs(expected - actual) <= 1e-9 * Math.max(1, Math.abs(expected)), what + ": " + expected + " vs " + actual);
  }

  @Test
  void rejectsAreTheSameWhenAPartitionHasTooManyToSendBackAndASecondPassWritesThem() {
    List<String> viaAccumulator = rejectRows();
    MarginJob.Result again = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"),
        MarginJob.Options.DEFAULT.withIssuesPerPartition(1));
    Row run = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(again.runId())).first();
    Map<String, Long> counts = scala.jdk.javaapi.CollectionConverters.asJava(run.<scala.collection.Map<String, Long>>getAs("counts"));
    assertEquals(1L, counts.get("rejects_second_pass"));
    assertTrue(viaAccumulator.size() >= 4, viaAccumulator.toString());
    assertEquals(viaAccumulator, rejectRows());
  }

  private static List<String> rejectRows() {
    return warehouse.read(OutputTables.REJECTS, AS_OF).orderBy("source_table", "key", "reason").collectAsList().stream()
        .map(r -> r.getAs("source_table") + "|" + r.getAs("key") + "|" + r.getAs("reason")).toList();
  }

  @Test
  void riskArraysAndExposuresAreWritten() {
    long arrays = warehouse.read(OutputTables.RISK_ARRAYS, AS_OF).count();
    long underlyings = warehouse.read(OutputTables.MARGINS, AS_OF).selectExpr("sum(size(by_underlying))").first().getLong(0);
    assertEquals(underlyings, arrays, "one risk_arrays row per account and underlying");
    assertTrue(arrays > ACCOUNTS * 0.9);
    Row r = warehouse.read(OutputTables.RISK_ARRAYS, AS_OF).first();
    assertEquals(35, r.getList(r.fieldIndex("risk_array")).size(), "deribit-like has 35 scenarios");
    List<Row> exposures = warehouse.read(OutputTables.EXPOSURES, AS_OF).collectAsList();
    assertTrue(exposures.stream().anyMatch(e -> "PERP".equals(e.getAs("bucket"))));
    assertTrue(exposures.stream().anyMatch(e -> "SPOT".equals(e.getAs("bucket"))));
    assertTrue(exposures.stream().allMatch(e -> (Double) e.getAs("long_oi") >= 0 && (Double) e.getAs("short_oi") >= 0));
  }

  @Test
  void stressTotalsAndCoversEqualADriverSideRecomputation() {
    List<StressJob.ScenarioResult> results = StressJob.run(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, Kernels.select("simd"));
    assertEquals(3, results.size());
    MarketTables.InstrumentSet set = MarketTables.readInstruments(warehouse);
    MarketSnapshot market = MarketTables.readSnapshot(warehouse, AS_OF);
    StressEvaluator ev = new StressEvaluator(StressJob.resolveSet(StressJob.HISTORICAL, POLICY, market), market, set.instruments(),
        POLICY, ScalarKernel.INSTANCE);
    double[] pnl = new double[3];
    double[] shortfall = new double[3];
    Map<String, double[]> members = new java.util.HashMap<>();
    io.riskgrid.margin.MarginCalculator calculator = ev.newCalculator();
    for (Row g : AccountInputs.read(warehouse, AS_OF).accounts().collectAsList()) {
      StressEvaluator.AccountStress a = ev.evaluate(AccountInputs.toAccount(g), calculator);
      for (int j = 0; j < 3 && a.valid(); j++) {
        pnl[j] += a.pnlUsd()[j];
        shortfall[j] += a.shortfallUsd()[j];
        members.computeIfAbsent(a.memberId(), k -> new double[3])[j] += a.shortfallUsd()[j];
      }
    }
    for (int j = 0; j < 3; j++) {
      StressJob.ScenarioResult r = results.get(j);
      assertEquals(pnl[j], r.totalPnlUsd(), 1e-6 * Math.abs(pnl[j]) + 1e-3, r.label());
      assertEquals(shortfall[j], r.shortfallUsd(), 1e-6 * shortfall[j] + 1e-3, r.label());
      final int jj = j;
      double[] sorted = members.values().stream().mapToDouble(v -> v[jj]).sorted().toArray();
      double cover1 = sorted[sorted.length - 1];
      assertEquals(cover1, r.cover1Usd(), 1e-6 * cover1 + 1e-3, "Cover-1 " + r.label());
      assertEquals(cover1 + sorted[sorted.length - 2], r.cover2Usd(), 1e-6 * cover1 + 1e-3, "Cover-2 " + r.label());
      assertTrue(r.shortfallUsd() >= r.cover2Usd());
    }
    assertTrue(results.get(0).shortfallUsd() > 0, "a 40% crash breaks some generated accounts");
    StressJob.run(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, Kernels.select("simd"));
    assertEquals(3, warehouse.read(OutputTables.STRESS_RESULTS, AS_OF).filter("set_name = 'historical'").count(), "rerun replaces");
    assertEquals(9, warehouse.read(InputTables.SCENARIO_SETS).filter("set_name = 'historical'").count(), "3 scenarios x 3 underlyings");
  }

  @Test
  void aRerunReplacesTheSliceWithoutDuplicates() {
    MarginJob.Result again = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("scalar"), false);
    assertEquals(ACCOUNTS, warehouse.read(OutputTables.MARGINS, AS_OF).count());
    assertEquals(1, warehouse.read(OutputTables.MARGINS, AS_OF).select("run_id").distinct().count());
    assertEquals(again.runId(), warehouse.read(OutputTables.MARGINS, AS_OF).first().getAs("run_id"));
    assertTrue(warehouse.read(OutputTables.RUNS).filter("command = 'margin'").count() >= 2);
  }
}
