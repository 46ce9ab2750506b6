package io.riskgrid.jobs.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.backtest.history.DailyMarket;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.SyntheticMarketGenerator;
import io.riskgrid.backtest.history.VolSource;
import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.schemas.BacktestTables;
import io.riskgrid.schemas.InputTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code riskgrid backtest} end to end on a synthetic month: the market tables it writes (one as_of_date per
 * day) read back to the same history, and a backtest from those tables gives the same statistics.
 */
class BacktestCommandTest {
  private static final LocalDate FROM = LocalDate.of(2023, 1, 1);
  private static final LocalDate TO = LocalDate.of(2023, 1, 31);
  private static SparkSession spark;
  private static Path dir;
  private static Warehouse warehouse;
  private static String syntheticOutput;

  @BeforeAll
  static void runTheCommandOnASyntheticMonth() throws Exception {
    spark = BacktestJobTest.localSpark();
    dir = Files.createTempDirectory("riskgrid-backtest-command");
    warehouse = Warehouse.at(spark, dir.toString());
    syntheticOutput = riskgrid(0, "backtest", "--source", "synthetic", "--seed", "7", "--from", FROM.toString(), "--to",
        TO.toString(), "--panel", "4", "--compare", "deribit-like", "--write-market", "--warehouse", dir.toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Runs the command line, checks its exit code and returns what it printed. */
  static String riskgrid(int expectedExit, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new Riskgrid());
      cli.setErr(new PrintWriter(err));
      exit = cli.execute(args);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8) + err;
    assertEquals(expectedExit, exit, printed);
    return printed;
  }

  @Test
  void theSummaryIsPrintedWithBothPoliciesSideBySide() {
    assertTrue(syntheticOutput.contains("history: synthetic seed 7"), syntheticOutput);
    assertTrue(syntheticOutput.contains("policy seed-default: expected breach rate 1.00%"), syntheticOutput);
    assertTrue(syntheticOutput.contains("policy deribit-like"), syntheticOutput);
    assertTrue(syntheticOutput.contains("coverage against margin: seed-default vs deribit-like"), syntheticOutput);
    assertTrue(syntheticOutput.contains("Kupiec rejects"), syntheticOutput);
    assertTrue(syntheticOutput.matches("(?s).*\\nALL +pooled panel +124 .*"), syntheticOutput);
    assertTrue(syntheticOutput.contains("4 portfolios over 0.1 years"), syntheticOutput);
  }

  @Test
  void theMarketTablesHoldOneAsOfDatePerDayValuedAtTheNextMidnight() {
    List<Row> days = warehouse.read(InputTables.MARKET_UNDERLYINGS).groupBy("as_of_date", "as_of_ts").count()
        .orderBy("as_of_date").collectAsList();
    assertEquals(TO.toEpochDay() - FROM.toEpochDay() + 2, days.size(), "[from, to + h]");
    for (Row r : days) {
      LocalDate d = ((java.sql.Date) r.get(0)).toLocalDate();
      assertEquals(DailyMarket.closeInstant(d), ((Timestamp) r.get(1)).toInstant());
      assertEquals(3L, r.getLong(2));
    }
    assertTrue(warehouse.read(InputTables.MARKET_FORWARDS).count() >= 5 * 3 * days.size());
    assertTrue(warehouse.read(InputTables.MARKET_VOL_SLICES).count() >= 5 * 3 * days.size());
  }

  @Test
  void theTablesReadBackToTheSameHistoryAndBacktestToTheSameStatistics() {
    MarketHistory generated = SyntheticMarketGenerator.generate(FROM, TO.plusDays(1), 7);
    MarketHistory read = HistoryTables.read(warehouse, FROM, TO.plusDays(1));
    assertEquals(generated.dates(), read.dates());
    for (DailyMarket g : generated.markets()) {
      DailyMarket r = read.on(g.date());
      assertEquals(g.asOf(), r.asOf());
      for (UnderlyingMarket gu : g.snapshot().underlyings().values()) {
        UnderlyingMarket ru = r.underlying(gu.underlying());
        assertEquals(gu.index(), ru.index(), 0.0);
        assertEquals(gu.basis(), ru.basis(), 0.0);
        assertEquals(gu.listedForwards(), ru.listedForwards());
        assertEquals(gu.slices(), ru.slices());
        assertEquals(VolSource.SURFACE, r.volSource(gu.underlying()));
      }
    }
    Map<String, Row> synthetic = seedDefaultSummary();
    riskgrid(0, "backtest", "--source", "warehouse", "--from", FROM.toString(), "--to", TO.toString(), "--panel", "4",
        "--warehouse", dir.toString());
    Map<String, Row> fromTables = seedDefaultSummary();
    assertEquals(synthetic.keySet(), fromTables.keySet());
    for (String id : synthetic.keySet()) {
      Row a = synthetic.get(id);
      Row b = fromTables.get(id);
      assertNotEquals((String) a.getAs("run_id"), (String) b.getAs("run_id"));
      assertEquals("warehouse market_* tables", b.getAs("history"));
      for (String column : List.of("observations", "breaches", "im_breaches", "coverage", "pof_lr", "ind_lr", "cc_p",
          "last_zone", "peak_to_trough", "max_30d_increase", "avg_im_usd")) {
        assertEquals((Object) a.getAs(column), b.getAs(column), id + " " + column);
      }
    }
  }

  @Test
  void badOptionsAreErrorsNamingTheOptionAndHelpListsThemAll() {
    String reversed = riskgrid(1, "backtest", "--from", "2023-02-01", "--to", "2023-01-01", "--warehouse", dir.toString());
    assertTrue(reversed.contains("--from") && reversed.contains("is after --to"), reversed);
    String beforeHistory = riskgrid(1, "backtest", "--from", "2010-01-01", "--to", "2010-02-01", "--warehouse",
        dir.toString());
    assertTrue(beforeHistory.contains("the history has no market in [2010-01-01, 2010-02-02]"), beforeHistory);
    String twice = riskgrid(1, "backtest", "--source", "warehouse", "--write-market", "--from", FROM.toString(), "--to",
        TO.toString(), "--warehouse", dir.toString());
    assertTrue(twice.contains("--write-market: the history already comes from the market_* tables"), twice);
    String help = riskgrid(0, "backtest", "--help");
    for (String option : List.of("--from", "--to", "--horizon-days", "--panel", "--policy", "--compare", "--source",
        "--seed", "--write-market", "--non-overlapping", "--warehouse", "--book", "--as-of", "--sample")) {
      assertTrue(help.contains(option), option + " in " + help);
    }
  }

  /** The seed-default summary rows by portfolio id: one run's, since a rerun of the window replaces them. */
  private static Map<String, Row> seedDefaultSummary() {
    Map<String, Row> rows = new TreeMap<>();
    List<Row> all = warehouse.read(BacktestTables.BACKTEST_SUMMARY).where("policy_name = 'seed-default'").collectAsList();
    all.forEach(r -> rows.put(r.getAs("portfolio_id"), r));
    assertEquals(1, all.stream().map(r -> (String) r.getAs("run_id")).distinct().count());
    return rows;
  }
}
