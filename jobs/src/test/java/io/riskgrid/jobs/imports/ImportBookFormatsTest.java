package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.market.chain.ShippedChains;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code import book} in its other formats: the example book as JSON Lines and as Parquet gives the
 * same rejects as the CSV (Parquet counting rows, not lines); the bad-row classes the example lacks (NaN
 * quantity, an unknown margin mode, collateral rows, an instrument conflict); and a Deribit snapshot,
 * whose sizes become contracts by DESIGN §3.2's multipliers and whose accounts are margined.
 */
class ImportBookFormatsTest {
  private static final LocalDate CRASH = ShippedChains.CRASH;
  private static final Path BOOK = ExampleBook.DIR;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;

  @BeforeAll
  static void market() throws Exception {
    spark = ExampleBook.spark("import-book-formats-test");
    dir = Files.createTempDirectory("riskgrid-import-book-formats");
    warehouse = Warehouse.at(spark, dir.resolve("warehouse").toString());
    ImportMarketJob.run(spark, warehouse, ShippedChains.market(CRASH));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static String book(String file) {
    return ExampleBook.file(file);
  }

  /** The example's CSV file as JSON Lines, one object per data line, every value a string; same line numbers. */
  private static Path asJsonLines(String file) throws Exception {
    List<String> lines = Files.readAllLines(BOOK.resolve(file));
    String[] header = lines.get(0).split(",", -1);
    // A blank first line (skipped, as blank lines are) keeps the CSV's line numbers.
    List<String> out = new ArrayList<>(List.of(""));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      ObjectNode o = JSON.createObjectNode();
      for (int k = 0; k < header.length; k++) {
        o.put(header[k].toUpperCase(), f[k]);
      }
      out.add(JSON.writeValueAsString(o));
    }
    Path p = dir.resolve(file.replace(".csv", ".jsonl"));
    Files.write(p, out);
    return p;
  }

  /** The example's CSV file as one Parquet file of string columns, in file order (row n = CSV line n + 1). */
  private static String asParquet(String file) {
    String out = dir.resolve(file.replace(".csv", ".parquet")).toString();
    spark.read().option("header", "true").csv(book(file)).coalesce(1).write().parquet(out);
    try (var files = Files.list(Path.of(out))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow().toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, String> inputRejects(LocalDate day) {
    Map<String, List<String>> byAccount = new TreeMap<>();
    for (Row r : warehouse.read(OutputTables.REJECTS, day).filter(col("source_table").startsWith("import book:"))
        .collectAsList()) {
      byAccount.computeIfAbsent(String.valueOf(r.<String>getAs("key")), k -> new ArrayList<>()).add(r.getAs("reason"));
    }
    Map<String, String> joined = new TreeMap<>();
    byAccount.forEach((k, v) -> joined.put(k, String.join(" || ", v.stream().sorted().toList())));
    return joined;
  }

  @Test
  void jsonLinesAndParquetGiveTheCsvRejectsAtTheSamePlaces() throws Exception {
    LocalDate csvDay = LocalDate.of(2026, 3, 1);
    ImportBookJob.run(spark, warehouse, csvDay, new ImportBookJob.Files(BookFormat.CSV, book("accounts.csv"),
        book("collateral.csv"), book("positions.csv"), book("instruments.csv")));
    Map<String, String> csv = inputRejects(csvDay);
    assertEquals(6, csv.size(), csv.toString());

    LocalDate jsonDay = LocalDate.of(2026, 3, 2);
    ImportBookJob.run(spark, warehouse, jsonDay, new ImportBookJob.Files(BookFormat.JSONL, asJsonLines("accounts.csv").toString(),
        asJsonLines("collateral.csv").toString(), asJsonLines("positions.csv").toString(), null));
    Map<String, String> json = inputRejects(jsonDay);
    Map<String, String> expected = new TreeMap<>();
    csv.forEach((k, v) -> expected.put(k, v.replace(".csv", ".jsonl")));
    assertEquals(expected, json);

    LocalDate parquetDay = LocalDate.of(2026, 3, 3);
    String accounts = asParquet("accounts.csv");
    String positions = asParquet("positions.csv");
    ImportBookJob.run(spark, warehouse, parquetDay, new ImportBookJob.Files(BookFormat.PARQUET, accounts,
        asParquet("collateral.csv"), positions, null));
    Map<String, String> parquet = inputRejects(parquetDay);
    assertEquals(csv.keySet(), parquet.keySet());
    assertTrue(parquet.get("BAD-QTY").endsWith(" row 15: quantity 'abc' is not a number"), parquet.get("BAD-QTY"));
    assertTrue(parquet.get("BAD-DUP").endsWith(" row 18: duplicate row: account 'BAD-DUP' already holds BTC_USDC-PERPETUAL"
        + " on row 17"), parquet.get("BAD-DUP"));
    assertTrue(parquet.get("BAD-CCY").endsWith(" row 11: margin_currency 'XRP' is unknown: expected USD or the coin of a"
        + " known underlying [BTC, ETH]"), parquet.get("BAD-CCY"));
    for (LocalDate day : List.of(csvDay, jsonDay, parquetDay)) {
      assertEquals(21, warehouse.read(InputTables.POSITIONS, day).count(), day.toString());
      assertEquals(13, warehouse.read(InputTables.ACCOUNTS, day).count(), day.toString());
    }
  }

  @Test
  void nanQuantitiesUnknownModesCollateralRowsAndConflictingInstrumentsAreRejects() throws Exception {
    LocalDate day = LocalDate.of(2026, 3, 4);
    Path accounts = dir.resolve("more-accounts.jsonl");
    Files.write(accounts, List.of(
        "{\"account_id\": \"NAN\", \"margin_mode\": \"PORTFOLIO\", \"margin_currency\": \"BTC\"}",
        "{\"account_id\": \"CROSS\", \"margin_mode\": \"CROSS\", \"margin_currency\": \"BTC\"}",
        "",
        "{\"account_id\": \"COLL\", \"margin_mode\": \"PORTFOLIO\", \"margin_currency\": \"USD\"}",
        "{\"account_id\": \"COLL\", \"margin_mode\": \"PORTFOLIO\", \"margin_currency\": \"USD\"}",
        "{\"account_id\": \"CONFLICT\", \"margin_mode\": \"PORTFOLIO\", \"margin_currency\": \"BTC\"}"));
    Path collateral = dir.resolve("more-collateral.jsonl");
    Files.write(collateral, List.of(
        "{\"account_id\": \"COLL\", \"asset\": \"USDC\", \"quantity\": 100}",
        "{\"account_id\": \"COLL\", \"asset\": \"usdc\", \"quantity\": 5}",
        "{\"account_id\": \"COLL\", \"asset\": \"USDT\", \"quantity\": \"Infinity\"}",
        "{\"account_id\": \"GHOST\", \"asset\": \"USDT\", \"quantity\": 1}"));
    Path positions = dir.resolve("more-positions.jsonl");
    Files.write(positions, List.of(
        "{\"account_id\": \"NAN\", \"instrument_id\": \"BTC-PERPETUAL\", \"quantity\": \"NaN\", \"entry_price\": 64000}",
        "{\"account_id\": \"CROSS\", \"instrument_id\": \"BTC-PERPETUAL\", \"quantity\": 10}",
        "{\"account_id\": \"CONFLICT\", \"instrument_id\": \"BTC-PERPETUAL\", \"quantity\": 10, \"entry_price\": 64000}"));
    Path instruments = dir.resolve("more-instruments.jsonl");
    Files.write(instruments, List.of(
        "{\"instrument_id\": \"BTC-PERPETUAL\", \"underlying\": \"BTC\", \"kind\": \"PERPETUAL\", \"settlement\": \"INVERSE\","
            + " \"multiplier\": 100}",
        "{\"instrument_id\": \"BTC-WEIRD\", \"underlying\": \"BTC\", \"kind\": \"SWAP\", \"settlement\": \"INVERSE\","
            + " \"multiplier\": 1}"));
    ImportBookJob.Result r = ImportBookJob.run(spark, warehouse, day, new ImportBookJob.Files(BookFormat.JSONL,
        accounts.toString(), collateral.toString(), positions.toString(), instruments.toString()));
    Map<String, String> rejects = inputRejects(day);
    assertEquals("more-positions.jsonl line 1: quantity must be finite, got NaN", rejects.get("NAN"));
    assertEquals("more-accounts.jsonl line 2: margin_mode 'CROSS' must be PORTFOLIO or STANDARD || more-positions.jsonl"
        + " line 2: entry_price is required, finite and > 0 for a PERPETUAL, got nothing", rejects.get("CROSS"));
    assertEquals("more-accounts.jsonl line 5: duplicate account_id 'COLL': its first row is line 4 || more-collateral.jsonl"
        + " line 2: duplicate row: account 'COLL' already has a balance of usdc on line 1 || more-collateral.jsonl line 3:"
        + " quantity must be finite, got Infinity", rejects.get("COLL"));
    assertEquals("more-collateral.jsonl line 4: account 'GHOST' has collateral but no row in more-accounts.jsonl",
        rejects.get("GHOST"));
    assertTrue(rejects.get("null").contains("more-instruments.jsonl line 1: instrument BTC-PERPETUAL is already in"
        + " instruments as"), rejects.get("null"));
    assertTrue(rejects.get("null").contains("more-instruments.jsonl line 2: instrument BTC-WEIRD.kind: unknown kind 'SWAP'"),
        rejects.get("null"));
    assertEquals(List.of(10.0), warehouse.read(InputTables.INSTRUMENTS).filter(col("instrument_id").equalTo("BTC-PERPETUAL"))
        .select("multiplier").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList(), "the existing definition stays");
    assertNull(rejects.get("CONFLICT"), "the position is on the existing definition, which is fine");
    assertEquals(2, r.counts().get("instruments").rejected());
    assertEquals(5, warehouse.read(InputTables.ACCOUNTS, day).count(), "one row per account, GHOST's added");
  }

  /**
   * The shipped Deribit snapshot: sizes in USD for inverse futures and perpetuals become contracts of N
   * USD (10 for BTC, 1 for ETH), coin sizes stay; USDC accounts are USD accounts; names become
   * instruments; a kind that disagrees with its name and an impossible date are rejects; and the
   * margin run margins the good accounts and rejects the bad one.
   */
  @Test
  void aDeribitSnapshotImportsAndMargins() throws Exception {
    // The example, and one account on a name whose terms the instruments table contradicts (m 0.1, not 1).
    MarketTables.mergeInstruments(spark, warehouse, List.of(Instrument.future("ETH_USDC-27MAR26", "ETH",
        io.riskgrid.instrument.Settlement.LINEAR, java.time.Instant.parse("2026-03-27T08:00:00Z"), 0.1)));
    Path snapshot = dir.resolve("deribit-snapshot.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(BOOK.resolve("deribit-snapshot.jsonl")));
    lines.add("{\"account_id\": \"DRB-CONFLICT\", \"portfolio_margining_enabled\": true, \"summary\": {\"currency\":"
        + " \"USDC\", \"balance\": 10000}, \"positions\": [{\"instrument_name\": \"ETH_USDC-27MAR26\", \"kind\":"
        + " \"future\", \"size\": 2, \"average_price\": 1900}]}");
    Files.write(snapshot, lines);
    ImportBookJob.Result r = ImportBookJob.run(spark, warehouse, CRASH, new ImportBookJob.Files(BookFormat.DERIBIT, null,
        null, snapshot.toString(), null));
    Map<String, Double> quantities = new TreeMap<>();
    for (Row p : warehouse.read(InputTables.POSITIONS, CRASH).collectAsList()) {
      quantities.put(p.getAs("account_id") + " " + p.getAs("instrument_id"), p.getAs("quantity"));
    }
    assertEquals(-20_000.0, quantities.get("DRB-BTC-1 BTC-PERPETUAL"), "200,000 USD of 10-USD contracts, short");
    assertEquals(-3.0, quantities.get("DRB-BTC-1 BTC-27MAR26-60000-P"));
    assertEquals(30_000.0, quantities.get("DRB-ETH-1 ETH-27MAR26"), "1-USD contracts");
    assertEquals(-2.0, quantities.get("DRB-USDC-1 BTC_USDC-PERPETUAL"), "linear sizes are in the coin");
    Row usdc = warehouse.read(InputTables.ACCOUNTS, CRASH).filter(col("account_id").equalTo("DRB-USDC-1")).first();
    assertEquals("USD", usdc.getAs("margin_currency"));
    Row eth = warehouse.read(InputTables.ACCOUNTS, CRASH).filter(col("account_id").equalTo("DRB-ETH-1")).first();
    assertEquals("STANDARD", eth.getAs("margin_mode"));
    Row linearPut = warehouse.read(InputTables.INSTRUMENTS).filter(col("instrument_id").equalTo("ETH_USDC-27MAR26-1800-P"))
        .first();
    assertEquals("LINEAR", linearPut.getAs("settlement"));
    assertEquals(1800.0, linearPut.<Double>getAs("strike"));
    Map<String, String> rejects = inputRejects(CRASH);
    assertEquals(Map.of("DRB-BAD-1", "deribit-snapshot.jsonl line 4: instrument name 'BTC-32MAR26': '32MAR26' is not"
        + " a calendar date; expected COIN-PERPETUAL, COIN-DDMMMYY, COIN-DDMMMYY-STRIKE-C|P, with COIN_USDC for the linear"
        + " variants (e.g. BTC-27MAR26-60000-C, BTC_USDC-PERPETUAL) || deribit-snapshot.jsonl line 4: kind 'future'"
        + " disagrees with the name BTC-27MAR26-60000-C, a OPTION",
        "DRB-CONFLICT", "deribit-snapshot.jsonl line 5: instrument ETH_USDC-27MAR26 has other terms in the instruments"
            + " table than its name gives, so its size cannot be read as contracts",
        "null", rejects.get("null")), rejects);
    assertTrue(rejects.get("null").startsWith("deribit-snapshot.jsonl line 5: instrument ETH_USDC-27MAR26 is already in"
        + " instruments as"), rejects.get("null"));
    assertEquals(2, r.accountsRejected());

    MarginJob.run(spark, warehouse, CRASH, PolicyLoader.preset("seed-default"), Kernels.select("scalar"), false);
    Map<String, Row> margins = new TreeMap<>();
    warehouse.read(OutputTables.MARGINS, CRASH).collectAsList().forEach(m -> margins.put(m.getAs("account_id"), m));
    assertEquals(List.of("DRB-BAD-1", "DRB-BTC-1", "DRB-CONFLICT", "DRB-ETH-1", "DRB-USDC-1"),
        new ArrayList<>(margins.keySet()));
    assertEquals("REJECTED", margins.get("DRB-BAD-1").getAs("status"));
    assertEquals("REJECTED", margins.get("DRB-CONFLICT").getAs("status"));
    for (String good : List.of("DRB-BTC-1", "DRB-ETH-1", "DRB-USDC-1")) {
      Row m = margins.get(good);
      assertTrue(m.<Double>getAs("im") > 0, good + " " + m.getAs("status") + " " + m.getAs("reason"));
    }
  }
}
