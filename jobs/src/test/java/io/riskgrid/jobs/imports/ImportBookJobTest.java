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
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.ShippedChains;
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
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code import book} end to end on real local Spark and Delta, as the README tells a newcomer: the
 * shipped crash-day market imported, the example book of {@code deploy/examples/book} imported, and a
 * margin run. Every deliberately bad row is in {@code rejects} with its file, line and reason, its
 * account is REJECTED with that reason (never a 0, never a missing row), the good accounts have a
 * positive IM, the margin run reads the imported layout without a shuffle, and one account's margin
 * agrees with {@code whatif} on the same market within DESIGN §3.4's tolerance.
 */
class ImportBookJobTest {
  private static final LocalDate CRASH = ShippedChains.CRASH;
  private static final Path BOOK = ExampleBook.DIR;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;
  private static ImportedMarket market;
  private static String importOutput;
  private static String marginOutput;

  /** Exit code and stdout+stderr of one command. */
  private record Ran(int exit, String output) {}

  @BeforeAll
  static void importMarketAndBookThenMargin() throws Exception {
    spark = ExampleBook.spark("import-book-test");
    dir = Files.createTempDirectory("riskgrid-import-book-test");
    warehouse = Warehouse.at(spark, dir.resolve("warehouse").toString());
    market = ShippedChains.market(CRASH);
    ImportMarketJob.run(spark, warehouse, market);
    Ran imported = riskgrid("import", "book", "--as-of", CRASH.toString(), "--accounts", book("accounts.csv"),
        "--collateral", book("collateral.csv"), "--positions", book("positions.csv"), "--instruments",
        book("instruments.csv"), "--warehouse", warehouse.location());
    assertEquals(0, imported.exit(), imported.output());
    importOutput = imported.output();
    Ran margined = riskgrid("margin", "--as-of", CRASH.toString(), "--kernel", "scalar", "--warehouse", warehouse.location());
    assertEquals(0, margined.exit(), margined.output());
    marginOutput = margined.output();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String book(String file) {
    return ExampleBook.file(file);
  }

  private static Ran riskgrid(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    int exit;
    try {
      exit = new CommandLine(new Riskgrid()).execute(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Ran(exit, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyBadRowIsARejectWithItsFileLineAndReason() {
    Map<String, List<String>> byAccount = new TreeMap<>();
    for (Row r : warehouse.read(OutputTables.REJECTS, CRASH).filter(col("source_table").startsWith("import book:"))
        .collectAsList()) {
      byAccount.computeIfAbsent(r.getAs("key"), k -> new java.util.ArrayList<>())
          .add(r.<String>getAs("source_table") + " | " + r.<String>getAs("reason"));
    }
    String positions = "import book: " + book("positions.csv") + " | positions.csv line ";
    assertEquals(Map.of(
        "BAD-QTY", List.of(positions + "16: quantity 'abc' is not a number"),
        "BAD-UNKNOWN", List.of(positions + "17: unknown instrument_id 'BTC-27MAR26-61234-C': in neither the instruments"
            + " table nor the instruments file"),
        "BAD-DUP", List.of(positions + "19: duplicate row: account 'BAD-DUP' already holds BTC_USDC-PERPETUAL on line 18"),
        "BAD-CCY", List.of("import book: " + book("accounts.csv") + " | accounts.csv line 12: margin_currency 'XRP' is"
            + " unknown: expected USD or the coin of a known underlying [BTC, ETH]"),
        "BAD-COIN", List.of(positions + "21: instrument ETH-PERPETUAL (INVERSE on ETH) cannot be held in a BTC-margined"
            + " account; coin accounts hold inverse instruments of their own coin"),
        "NO-ROW", List.of(positions + "22: account 'NO-ROW' has positions but no row in accounts.csv")), byAccount);
    assertTrue(importOutput.contains("positions           21        21         5"), importOutput);
    assertTrue(importOutput.contains("accounts            12        13         1"), importOutput);
    assertTrue(importOutput.contains("collateral          13        13         0"), importOutput);
    assertTrue(importOutput.contains("instruments          3         3         0"), importOutput);
    assertTrue(importOutput.contains("6 accounts have a rejected row"), importOutput);
  }

  @Test
  void rejectedAccountsAreRejectedWithTheImportReasonAndGoodOnesHaveMargin() {
    List<Row> margins = warehouse.read(OutputTables.MARGINS, CRASH).collectAsList();
    assertEquals(13, margins.size(), "one margins row per account, the one without an accounts row included");
    for (Row m : margins) {
      String id = m.getAs("account_id");
      String status = m.getAs("status");
      if (id.startsWith("BAD-") || id.equals("NO-ROW")) {
        assertEquals("REJECTED", status, id);
        assertTrue(m.<String>getAs("reason").startsWith("import book rejected a row of this account: "), id + " "
            + m.getAs("reason"));
        assertNull(m.getAs("im"), id);
        assertNull(m.getAs("mm"), id);
      } else {
        assertTrue(List.of("OK", "MARGIN_CALL", "LIQUIDATION").contains(status), id + " " + status + " " + m.getAs("reason"));
        assertTrue(m.<Double>getAs("im") > 0, id + " IM " + m.getAs("im"));
      }
    }
    Row run = warehouse.read(OutputTables.RUNS).filter(col("command").equalTo("margin")).first();
    assertEquals("clustered", run.getAs("grouping_path"), "the imported layout is read without a shuffle");
    assertTrue(marginOutput.contains("clustered"), marginOutput);
  }

  /**
   * BTC-1 through {@code whatif} with the imported market and the same positions and collateral agrees
   * with the margin job: |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-9·N, N the account's notional in BTC.
   */
  @Test
  void anImportedAccountAgreesWithWhatIfOnTheSameMarket() throws Exception {
    Map<String, Instrument> byId = MarketTables.readInstruments(warehouse).instruments().stream()
        .collect(Collectors.toMap(Instrument::id, i -> i));
    ObjectNode request = JSON.createObjectNode();
    request.put("as_of", market.snapshot().asOf().toString());
    request.put("policy", "seed-default");
    request.set("market", ImportMarketJobTest.marketJson(market.snapshot()));
    ObjectNode acc = request.putObject("account");
    acc.put("account_id", "BTC-1").put("margin_mode", "PORTFOLIO").put("margin_currency", "BTC");
    ArrayNode positions = acc.putArray("positions");
    double index = market.snapshot().underlying("BTC").index();
    double notional = 0;
    for (String line : Files.readAllLines(BOOK.resolve("positions.csv"))) {
      String[] f = line.split(",", -1);
      if (!f[0].equals("BTC-1")) {
        continue;
      }
      Instrument i = byId.get(f[1]);
      double q = Double.parseDouble(f[2]);
      ObjectNode p = positions.addObject();
      p.set("instrument", ImportMarketJobTest.instrumentJson(i));
      p.put("quantity", q);
      if (!f[3].isEmpty()) {
        p.put("entry_price", Double.parseDouble(f[3]));
      }
      notional += i.isOption() ? Math.abs(q) * i.multiplier() : Math.abs(q) * i.multiplier() / index;
    }
    assertEquals(3, positions.size());
    acc.putArray("collateral").addObject().put("asset", "BTC").put("quantity", 5.0);
    ObjectNode answer = new WhatIfService(ScalarKernel.INSTANCE).evaluate(request);
    Row row = warehouse.read(OutputTables.MARGINS, CRASH).filter(col("account_id").equalTo("BTC-1")).first();
    assertEquals(answer.get("status").asText(), row.getAs("status"), answer.toString());
    for (String field : List.of("im", "mm", "equity", "pm_im", "standard_im")) {
      double a = answer.get(field).asDouble();
      double b = row.<Double>getAs(field);
      assertTrue(Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9 * notional,
          field + ": whatif " + a + ", margin job " + b);
    }
  }

  @Test
  void theImportWritesWhatWasGivenSortedByAccount() {
    List<Row> positions = warehouse.read(InputTables.POSITIONS, CRASH).filter(col("account_id").equalTo("BAD-QTY"))
        .collectAsList();
    assertEquals(1, positions.size());
    assertNull(positions.get(0).getAs("quantity"), "an unreadable quantity is written null (NaN to the engine), never 0");
    Row orphan = warehouse.read(InputTables.ACCOUNTS, CRASH).filter(col("account_id").equalTo("NO-ROW")).first();
    assertNull(orphan.getAs("margin_currency"));
    Row linear = warehouse.read(InputTables.INSTRUMENTS).filter(col("instrument_id").equalTo("BTC_USDC-PERPETUAL")).first();
    assertEquals("LINEAR", linear.getAs("settlement"));
  }

  @Test
  void aMalformedFileNamesFileAndLineExitsTwoAndWritesNothing() throws Exception {
    long versionBefore = warehouse.version(InputTables.POSITIONS);
    long rejectsBefore = warehouse.version(OutputTables.REJECTS);
    Path bad = dir.resolve("positions-bad.csv");
    Files.writeString(bad, "account_id,instrument_id,quantity,entry_price\nBTC-1,BTC-PERPETUAL,1,64000\n"
        + "BTC-1,BTC-27MAR26,2,64000,extra\n");
    Ran ran = riskgrid("import", "book", "--as-of", CRASH.toString(), "--accounts", book("accounts.csv"),
        "--collateral", book("collateral.csv"), "--positions", bad.toString(), "--warehouse", warehouse.location());
    assertEquals(2, ran.exit(), ran.output());
    assertTrue(ran.output().contains(bad + " line 3: has 5 fields, the header has 4"), ran.output());
    Path noColumn = dir.resolve("accounts-bad.csv");
    Files.writeString(noColumn, "account_id,margin_mode\nA,PORTFOLIO\n");
    ran = riskgrid("import", "book", "--as-of", CRASH.toString(), "--accounts", noColumn.toString(),
        "--collateral", book("collateral.csv"), "--positions", book("positions.csv"), "--warehouse", warehouse.location());
    assertEquals(2, ran.exit(), ran.output());
    assertTrue(ran.output().contains(noColumn + " line 1: missing column(s) [margin_currency]"), ran.output());
    // A malformed instruments file fails the import too, though the book's files are fine.
    Path badInstruments = dir.resolve("instruments-bad.csv");
    Files.writeString(badInstruments, Files.readString(BOOK.resolve("instruments.csv")) + "BTC-X,BTC,\"OPTION\n");
    long instrumentsBefore = warehouse.version(InputTables.INSTRUMENTS);
    ran = riskgrid("import", "book", "--as-of", CRASH.toString(), "--accounts", book("accounts.csv"),
        "--collateral", book("collateral.csv"), "--positions", book("positions.csv"), "--instruments",
        badInstruments.toString(), "--warehouse", warehouse.location());
    assertEquals(2, ran.exit(), ran.output());
    assertTrue(ran.output().contains(badInstruments + " line 5: malformed CSV"), ran.output());
    assertEquals(instrumentsBefore, warehouse.version(InputTables.INSTRUMENTS), "nothing written");
    assertEquals(versionBefore, warehouse.version(InputTables.POSITIONS), "nothing written");
    assertEquals(rejectsBefore, warehouse.version(OutputTables.REJECTS), "nothing written");
  }
}
