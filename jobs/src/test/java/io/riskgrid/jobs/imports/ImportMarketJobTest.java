package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.ShippedChains;
import io.riskgrid.market.fit.SviFit;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.whatif.WhatIfService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code import market} on real local Spark and Delta: the shipped crash-day snapshot written and read
 * back unchanged, a re-import that replaces its slices, bad rows in {@code rejects}, and accounts margined
 * on the imported market by the margin job agreeing with {@code whatif} on the same market (DESIGN §3.4).
 */
class ImportMarketJobTest {
  private static final LocalDate CRASH = ShippedChains.CRASH;
  private static final MarginPolicy POLICY = PolicyLoader.preset("deribit-like");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;
  private static ImportedMarket imported;
  private static ImportMarketJob.Result result;

  @BeforeAll
  static void importTheCrashDay() throws Exception {
    spark = SparkSessions.getOrCreate("import-market-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    dir = Files.createTempDirectory("riskgrid-import-test");
    warehouse = Warehouse.at(spark, dir.resolve("warehouse").toString());
    imported = ShippedChains.market(CRASH);
    result = ImportMarketJob.run(spark, warehouse, imported);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theMarketTablesHoldTheImportedSnapshot() {
    assertEquals(CRASH, result.asOfDate());
    assertEquals(902 + 938, warehouse.read(InputTables.MARKET_OPTION_MARKS, CRASH).count());
    assertEquals(2, warehouse.read(InputTables.MARKET_UNDERLYINGS, CRASH).count());
    assertEquals(24, warehouse.read(InputTables.MARKET_FORWARDS, CRASH).count());
    List<Row> slices = warehouse.read(InputTables.MARKET_VOL_SLICES, CRASH).collectAsList();
    assertEquals(24, slices.size());
    Map<String, SviFit> fits = imported.fits().entrySet().stream().flatMap(e -> e.getValue().stream()
        .map(f -> Map.entry(e.getKey() + " " + f.expiry(), f))).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    for (Row r : slices) {
      SviFit f = fits.get(r.getAs("underlying") + " " + ((java.sql.Timestamp) r.getAs("expiry")).toInstant());
      assertEquals(f.rmse(), (Double) r.getAs("fit_rmse"), 0.0);
      assertEquals(f.flagNames(), r.getList(r.fieldIndex("arbitrage_flags")));
      assertEquals(f.slice().a(), (Double) r.getAs("a"), 0.0);
    }
    assertEquals(result.instrumentsSeen(), warehouse.read(InputTables.INSTRUMENTS).count());
    assertEquals(0, result.rejects());
    Row run = warehouse.read(OutputTables.RUNS).filter(col("run_id").equalTo(result.runId())).first();
    assertEquals("import market", run.getAs("command"));
    assertEquals(1840L, run.<scala.collection.Map<String, Long>>getAs("counts").apply("option_marks_out"));
  }

  @Test
  void readingTheTablesBackGivesTheImportedMarket() {
    MarketSnapshot back = MarketTables.readSnapshot(warehouse, CRASH);
    MarketSnapshot original = imported.snapshot();
    assertEquals(original.asOf(), back.asOf());
    assertEquals(original.markIvs(), back.markIvs());
    for (UnderlyingMarket u : original.underlyings().values()) {
      UnderlyingMarket b = back.underlying(u.underlying());
      assertEquals(u.index(), b.index(), 0.0);
      assertEquals(u.basis(), b.basis(), 0.0);
      assertEquals(u.listedForwards(), b.listedForwards());
      assertEquals(u.slices(), b.slices());
      assertNull(b.dataError());
    }
    List<Instrument> instruments = MarketTables.readInstruments(warehouse).instruments();
    assertEquals(Set.copyOf(imported.instruments()), Set.copyOf(instruments));
  }

  @Test
  void aReimportReplacesItsSlicesAndBadRowsGoToRejectsNextToTheMarginRunsOwn() throws Exception {
    // A margin-run reject of another date's style, which the import must keep.
    LocalDate day = LocalDate.of(2026, 3, 2);
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create(java.sql.Date.valueOf(day), "earlier-margin-run",
        "positions", "A1/X", "unknown instrument X")), OutputTables.REJECTS.schema()), OutputTables.REJECTS);
    Path chain = dir.resolve("btc.csv");
    Files.writeString(chain, "instrument,underlying,expiry,strike,option_type,mark_iv,mark_price,underlying_price,index_price,open_interest\n"
        + "BTC-27MAR26-60000-C,BTC,2026-03-27T08:00:00Z,60000,call,80,0.1,64000,63858,10\n"
        + "BTC-27MAR26-61000-C,BTC,2026-03-27T08:00:00Z,61000,call,NaN,0.1,64000,63858,10\n"
        + "BTC-27MAR26-62000-C,BTC,2026-03-27T08:00:00Z,62000,call,79,0.1,64000,63858,10\n"
        + "BTC-27MAR26-63000-C,BTC,2026-03-27T08:00:00Z,63000,call,78,0.1,64000,63858,10\n"
        + "BTC-27MAR26-64000-C,BTC,2026-03-27T08:00:00Z,64000,call,77.5,0.1,64000,63858,10\n"
        + "BTC-27MAR26-66000-C,BTC,2026-03-27T08:00:00Z,66000,call,77.8,0.1,64000,63858,10\n"
        + "BTC-27MAR26-68000-C,BTC,2026-03-27T08:00:00Z,68000,call,-1,0.1,64000,63858,10\n");
    String[] args = {"import", "market", "--as-of-ts", "2026-03-02T12:00:00Z", "--chain", chain.toString(),
        "--warehouse", warehouse.location()};
    for (int run = 0; run < 2; run++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stdout = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int exit;
      try {
        exit = new CommandLine(new Riskgrid()).execute(args);
      } finally {
        System.setOut(stdout);
      }
      String printed = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, exit, printed);
      assertTrue(printed.contains("rows in 7; option marks written 5; instruments seen 5"), printed);
      assertTrue(printed.contains("rejected 2"), printed);
      assertTrue(printed.contains("BTC: index 63,858.00 USD"), printed);
      assertTrue(printed.contains("2026-03-27        5       5"), printed);
    }
    assertEquals(5, warehouse.read(InputTables.MARKET_OPTION_MARKS, day).count(), "a re-import replaces, never duplicates");
    assertEquals(1, warehouse.read(InputTables.MARKET_VOL_SLICES, day).count());
    List<Row> rejects = warehouse.read(OutputTables.REJECTS, day).orderBy("key").collectAsList();
    assertEquals(3, rejects.size(), rejects.toString());
    assertEquals("positions", rejects.get(0).getAs("source_table"), "the margin run's row is kept");
    assertEquals("import market: " + chain, rejects.get(1).getAs("source_table"));
    assertEquals("line 3 BTC-27MAR26-61000-C", rejects.get(1).getAs("key"));
    assertTrue(((String) rejects.get(1).getAs("reason")).contains("mark_iv is not a number: 'NaN'"));
    assertEquals("line 8 BTC-27MAR26-68000-C", rejects.get(2).getAs("key"));
  }

  @Test
  void aBadTimestampIsARequestErrorBeforeSparkWork() {
    CommandLine cli = new CommandLine(new Riskgrid());
    java.io.StringWriter err = new java.io.StringWriter();
    cli.setErr(new java.io.PrintWriter(err));
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, cli.execute("import", "market", "--as-of-ts", "2026-02-05T21:29:38", "--chain", "x.csv"));
      assertEquals(2, cli.execute("import", "market", "--as-of-ts", "2026-02-05T21:29:38Z", "--chain", "no-such.csv"));
    } finally {
      System.setErr(stderr);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("--as-of-ts: not a UTC instant with a zone"), text);
    assertTrue(text.contains("no-such.csv: no such file"), text);
  }

  /**
   * Accounts on the imported crash-day market: the margin job (market read back from the tables) and
   * {@code whatif} (the imported market as JSON) agree within DESIGN §3.4's tolerance,
   * |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-9·N with N the account's notional in its margin currency.
   */
  @Test
  void anAccountMarginedOnTheImportedMarketAgreesWithWhatIf() throws Exception {
    java.sql.Date d = java.sql.Date.valueOf(CRASH);
    record Leg(String account, String instrument, double quantity, Double entry) {}
    List<Leg> legs = List.of(
        new Leg("BTC-1", "BTC-27MAR26-60000-P", -3, null), new Leg("BTC-1", "BTC-27MAR26-70000-C", 2, null),
        new Leg("BTC-1", "BTC-6FEB26-64000-C", -5, null), new Leg("BTC-1", "BTC-26JUN26-50000-P", 4, null),
        new Leg("BTC-1", "BTC-PERPETUAL", -20_000, 64_100.0), new Leg("BTC-1", "BTC-27MAR26", 5_000, 66_000.0),
        new Leg("ETH-1", "ETH-27MAR26-1800-P", -40, null), new Leg("ETH-1", "ETH-13FEB26-2000-C", 25, null),
        new Leg("ETH-1", "ETH-PERPETUAL", 30_000, 1_900.0));
    warehouse.replaceSlice(spark.createDataFrame(List.of(RowFactory.create(d, "BTC-1", null, "PORTFOLIO", "BTC"),
        RowFactory.create(d, "ETH-1", null, "PORTFOLIO", "ETH")), InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS, CRASH);
    warehouse.replaceSlice(spark.createDataFrame(List.of(RowFactory.create(d, "BTC-1", "BTC", 4.0),
        RowFactory.create(d, "ETH-1", "ETH", 90.0)), InputTables.COLLATERAL.schema()), InputTables.COLLATERAL, CRASH);
    warehouse.replaceSlice(spark.createDataFrame(legs.stream().map(l -> RowFactory.create(d, l.account(), l.instrument(),
        l.quantity(), l.entry())).toList(), InputTables.POSITIONS.schema()), InputTables.POSITIONS, CRASH);
    MarginJob.run(spark, warehouse, CRASH, POLICY, Kernels.select("scalar"), false);

    Map<String, Instrument> byId = imported.instruments().stream().collect(Collectors.toMap(Instrument::id, i -> i));
    WhatIfService whatIf = new WhatIfService(ScalarKernel.INSTANCE);
    for (String account : List.of("BTC-1", "ETH-1")) {
      String coin = account.substring(0, 3);
      List<Leg> own = legs.stream().filter(l -> l.account().equals(account)).toList();
      ObjectNode request = JSON.createObjectNode();
      request.put("as_of", imported.snapshot().asOf().toString());
      request.put("policy", POLICY.name());
      request.set("market", marketJson(imported.snapshot()));
      ObjectNode acc = request.putObject("account");
      acc.put("account_id", account).put("margin_mode", "PORTFOLIO").put("margin_currency", coin);
      ArrayNode positions = acc.putArray("positions");
      double notional = 0;
      double index = imported.snapshot().underlying(coin).index();
      for (Leg l : own) {
        Instrument i = byId.get(l.instrument());
        ObjectNode p = positions.addObject();
        p.set("instrument", instrumentJson(i));
        p.put("quantity", l.quantity());
        if (l.entry() != null) {
          p.put("entry_price", l.entry());
        }
        // Notional in coin: |q|·m for inverse options, |q|·N / S for inverse futures and perpetuals.
        notional += i.isOption() ? Math.abs(l.quantity()) * i.multiplier() : Math.abs(l.quantity()) * i.multiplier() / index;
      }
      acc.putArray("collateral").addObject().put("asset", coin).put("quantity", account.startsWith("BTC") ? 4.0 : 90.0);
      ObjectNode answer = whatIf.evaluate(request);
      Row row = warehouse.read(OutputTables.MARGINS, CRASH).filter(col("account_id").equalTo(account)).first();
      assertEquals(answer.get("status").asText(), row.getAs("status"), account + " " + answer);
      for (String field : List.of("im", "mm", "equity", "pm_im", "pm_mm", "standard_im", "standard_mm")) {
        double a = answer.get(field).asDouble();
        double b = row.<Double>getAs(field);
        double tolerance = 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9 * notional;
        assertTrue(Math.abs(a - b) <= tolerance, account + " " + field + ": whatif " + a + ", margin job " + b);
      }
      assertTrue(row.<Double>getAs("mm") > 0, account);
    }
  }

  /**
   * {@code demo --market 2026-01-05}, small: the calm snapshot imported into its own warehouse, a book
   * generated on its instruments (coin accounts, as the chain has only inverse instruments), margined
   * and stressed, every account valid and every position on an imported instrument.
   */
  @Test
  void demoOnTheCalmSnapshotMarginsABookGeneratedOnTheImportedInstruments() throws Exception {
    LocalDate calm = ShippedChains.CALM;
    String location = dir.resolve("demo-warehouse").toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new Riskgrid()).execute("demo", "--market", calm.toString(), "--accounts", "300",
          "--kernel", "scalar", "--warehouse", location);
    } finally {
      System.setOut(stdout);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, printed);
    assertTrue(printed.contains("imported the market of 2026-01-05 (as_of_ts 2026-01-05T21:21:30Z)"), printed);
    assertTrue(printed.contains("riskgrid demo, 2026-01-05: 300 accounts margined"), printed);
    Warehouse demo = Warehouse.at(spark, location);
    Set<String> imported = ShippedChains.market(calm).instruments().stream().map(Instrument::id).collect(Collectors.toSet());
    List<Row> positions = demo.read(InputTables.POSITIONS, calm).collectAsList();
    assertTrue(positions.size() > 300, "positions " + positions.size());
    for (Row p : positions) {
      assertTrue(imported.contains(p.<String>getAs("instrument_id")), p.toString());
    }
    Map<String, Long> statuses = demo.read(OutputTables.MARGINS, calm).groupBy("status").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(300L, statuses.values().stream().mapToLong(Long::longValue).sum());
    assertTrue(Set.of("OK", "MARGIN_CALL", "LIQUIDATION").containsAll(statuses.keySet()), statuses.toString());
    assertEquals(Set.of("BTC", "ETH"), demo.read(InputTables.ACCOUNTS, calm).select("margin_currency").distinct()
        .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet()));
  }

  static ObjectNode marketJson(MarketSnapshot market) {
    ObjectNode m = JSON.createObjectNode();
    ArrayNode underlyings = m.putArray("underlyings");
    for (UnderlyingMarket u : market.underlyings().values()) {
      ObjectNode n = underlyings.addObject();
      n.put("underlying", u.underlying()).put("index_price", u.index()).put("rate", u.rate()).put("basis", u.basis());
      ArrayNode forwards = n.putArray("forwards");
      u.listedForwards().forEach((e, f) -> forwards.addObject().put("expiry", e.toString()).put("forward", f));
      ArrayNode slices = n.putArray("vol_slices");
      for (SviSlice s : u.slices()) {
        slices.addObject().put("expiry", s.expiry().toString()).put("a", s.a()).put("b", s.b()).put("rho", s.rho())
            .put("m", s.m()).put("sigma_svi", s.sigma());
      }
    }
    ArrayNode marks = m.putArray("option_marks");
    market.markIvs().forEach((id, iv) -> marks.addObject().put("instrument_id", id).put("mark_iv", iv));
    return m;
  }

  static ObjectNode instrumentJson(Instrument i) {
    ObjectNode n = JSON.createObjectNode();
    n.put("instrument_id", i.id()).put("underlying", i.underlying()).put("kind", i.kind().name())
        .put("settlement", i.settlement().name()).put("multiplier", i.multiplier());
    if (i.isOption()) {
      n.put("option_type", i.optionType().name()).put("strike", i.strike());
    }
    if (i.expiry() != null) {
      n.put("expiry", i.expiry().toString());
    }
    return n;
  }

}
