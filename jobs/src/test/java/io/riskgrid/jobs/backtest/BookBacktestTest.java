package io.riskgrid.jobs.backtest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.BookConverter;
import io.riskgrid.backtest.history.DailyMarket;
import io.riskgrid.backtest.history.InstantiatedPortfolio;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.PanelInstantiator;
import io.riskgrid.backtest.history.PanelLeg;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.BacktestTables;
import io.riskgrid.schemas.InputTables;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * {@code backtest --book} on local Spark and Delta: a generated exchange of a few hundred accounts, a seeded sample of
 * 20 backtested over ten days of the real shipped history, checked against the history's own calendar and, for one
 * account on two dates, against the engine's equity of the re-instantiated account at t and at t + 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BookBacktestTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final LocalDate FROM = LocalDate.of(2024, 3, 1);
  private static final LocalDate TO = LocalDate.of(2024, 3, 10);
  private static final MarginPolicy SEED = BacktestJobTest.SEED;
  private static final MarketHistory REAL = BacktestJobTest.REAL;
  private static final int SAMPLE = 20;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static java.nio.file.Path dir;
  private static BookAccounts.Book book;
  private static BacktestJob.Result result;

  @BeforeAll
  static void generateAndBacktestASample() throws Exception {
    spark = BacktestJobTest.localSpark();
    dir = Files.createTempDirectory("riskgrid-book-backtest-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, 300, 11, SEED, SimdKernel.INSTANCE);
    book = BookAccounts.read(warehouse, AS_OF, SAMPLE, 7, SEED, ScalarKernel.INSTANCE);
    result = BacktestJob.run(spark, warehouse, new BacktestJob.Request(REAL, "real shipped closes + DVOL",
        book.portfolios(), List.of(SEED), FROM, TO, 1, Kernels.select("scalar"), Map.of(), WindowCounting.OVERLAPPING,
        book));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Map<String, Row> summary() {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : warehouse.read(BacktestTables.BACKTEST_SUMMARY)
        .where(col("run_id").equalTo(result.runs().get(0).runId())).collectAsList()) {
      rows.put(r.getAs("portfolio_id"), r);
    }
    return rows;
  }

  /** Days t of [FROM, TO] whose history has the markets of t and t + 1. */
  private static long daysWithBothMarkets() {
    long n = 0;
    for (LocalDate t : MarketHistory.calendar(FROM, TO)) {
      n += REAL.on(t) != null && REAL.on(t.plusDays(1)) != null ? 1 : 0;
    }
    return n;
  }

  /** The sample is the 20 accounts with the smallest keys, computed here from the accounts table alone. */
  @Test
  @Order(1)
  void theSampleIsTheSeedsTwentyAccountsAndEveryOneIsConverted() {
    assertEquals(SAMPLE, book.read());
    List<String> ids = new ArrayList<>();
    for (Row r : warehouse.read(InputTables.ACCOUNTS, AS_OF).select("account_id").collectAsList()) {
      ids.add(r.getString(0));
    }
    assertEquals(book.accountRows(), ids.size());
    ids.sort((a, b) -> {
      int c = Long.compareUnsigned(BookAccounts.sampleKey(7, a), BookAccounts.sampleKey(7, b));
      return c != 0 ? c : a.compareTo(b);
    });
    List<String> expected = new ArrayList<>(ids.subList(0, SAMPLE));
    expected.sort(String::compareTo);
    List<String> got = new ArrayList<>();
    book.portfolios().forEach(p -> got.add(p.id()));
    book.unconverted().forEach(o -> got.add(o.accountId()));
    got.sort(String::compareTo);
    assertEquals(expected, got);
    assertEquals(List.of(), book.unconverted(), "a generated book converts entirely");
    BookAccounts.Book again = BookAccounts.read(warehouse, AS_OF, 8, 7, SEED, ScalarKernel.INSTANCE);
    List<String> smaller = again.portfolios().stream().map(BacktestPortfolio::id).toList();
    assertTrue(got.containsAll(smaller), "a smaller sample of the same seed is part of the larger");
    BookAccounts.Book other = BookAccounts.read(warehouse, AS_OF, 8, 8, SEED, ScalarKernel.INSTANCE);
    assertNotEquals(smaller, other.portfolios().stream().map(BacktestPortfolio::id).toList(), "another seed, another draw");
  }

  @Test
  @Order(2)
  void oneSummaryRowPerAccountPlusPooledRowsPerCurrencyAndObservationsOnEveryDayWithBothMarkets() {
    Map<String, Row> rows = summary();
    Map<String, String> currencyOf = new TreeMap<>();
    book.portfolios().forEach(p -> currencyOf.put(p.id(), p.marginCurrency()));
    long days = daysWithBothMarkets();
    assertTrue(days >= 9, "the window has history: " + days);
    Map<String, Long> byCurrency = new TreeMap<>();
    for (String id : currencyOf.keySet()) {
      Row r = rows.get(id);
      assertEquals(days, r.<Long>getAs("observations"), id);
      assertEquals(0L, r.<Long>getAs("skipped_days"), id);
      assertNull(r.getAs("unconverted_accounts"), id);
      byCurrency.merge(currencyOf.get(id), days, Long::sum);
    }
    assertTrue(byCurrency.size() >= 2, "USD and coin accounts in the sample: " + byCurrency);
    byCurrency.forEach((c, n) -> {
      Row pooled = rows.get("ALL:" + c);
      assertEquals(n, pooled.<Long>getAs("observations"), c);
      assertEquals(0L, pooled.<Long>getAs("unconverted_accounts"), c);
    });
    assertEquals(SAMPLE * days, rows.get("ALL").<Long>getAs("observations"));
    assertEquals(0L, rows.get("ALL").<Long>getAs("unconverted_accounts"));
    assertEquals(SAMPLE + byCurrency.size() + 1, rows.size());
    long daily = warehouse.read(BacktestTables.BACKTEST_DAILY).where(col("run_id").equalTo(result.runs().get(0).runId()))
        .count();
    assertEquals(SAMPLE * days, daily);
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    BacktestReport.print(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8), result);
    String printed = text.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (String c : byCurrency.keySet()) {
      assertTrue(printed.contains("pooled " + c + " accounts"), printed);
    }
    assertTrue(printed.contains("seeded sample of 20 (seed 7)"), printed);
    assertTrue(printed.contains("Kupiec rejects") && printed.contains(" of " + SAMPLE + " portfolios"), printed);
  }

  /**
   * One account without a leg that expires inside the horizon, on two dates: its backtest_daily loss is −(equity at
   * t + 1 − equity at t) of the account re-instantiated on t, each equity computed by the engine's margin calculator
   * on that day's market (futures entered at t's forward, so their unrealised P&amp;L at t + 1 is the move).
   */
  @Test
  @Order(3)
  void anAccountsDailyLossIsTheEnginesEquityChangeOfItsLegs() {
    BacktestPortfolio p = book.portfolios().stream()
        .filter(x -> x.legs().size() >= 2 && x.legs().stream().allMatch(l -> l.kind() == InstrumentKind.PERPETUAL
            || l.tenorDays() > 1.5))
        .findFirst().orElseThrow();
    String runId = result.runs().get(0).runId();
    int checked = 0;
    for (LocalDate t : List.of(FROM.plusDays(2), TO.minusDays(1))) {
      DailyMarket day = REAL.on(t);
      DailyMarket next = REAL.on(t.plusDays(1));
      InstantiatedPortfolio ip = PanelInstantiator.instantiate(p, day);
      AccountMargin before = margin(ip, day);
      AccountMargin after = margin(ip, next);
      Row row = warehouse.read(BacktestTables.BACKTEST_DAILY).where(col("run_id").equalTo(runId)
          .and(col("portfolio_id").equalTo(p.id())).and(col("date").equalTo(SparkValues.date(t)))).first();
      double expected = -(after.equity() - before.equity());
      double scale = 1 + Math.abs(before.equity()) + Math.abs(after.equity());
      assertEquals(expected, row.<Double>getAs("loss"), 1e-9 * scale, p.id() + " " + t);
      assertEquals(before.mm(), row.<Double>getAs("mm"), 1e-9 * (1 + before.mm()), p.id() + " " + t);
      assertTrue(expected != 0, "a non-trivial loss");
      for (PanelLeg leg : p.legs()) {
        assertEquals(PanelLeg.TenorAnchor.VALUATION_INSTANT, leg.anchor());
      }
      checked++;
    }
    assertEquals(2, checked);
  }

  private static AccountMargin margin(InstantiatedPortfolio ip, DailyMarket market) {
    AccountMargin m = new MarginCalculator(InstrumentBook.build(market.snapshot(), ip.instruments(), SEED,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE).margin(ip.account());
    assertTrue(m.isValid(), m.reason());
    return m;
  }

  /** An account the engine rejects is listed with its reason, never dropped; a date without accounts is an error. */
  @Test
  @Order(4)
  void unconvertibleAccountsAreListedAndBadInputIsNamed() {
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create(SparkValues.date(AS_OF), "ZZ-BAD", null,
        "PORTFOLIO", "USD")), InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS);
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create(SparkValues.date(AS_OF), "ZZ-BAD", "NO-SUCH-1", 2.0,
        Double.NaN)), InputTables.POSITIONS.schema()), InputTables.POSITIONS);
    BookAccounts.Book all = BookAccounts.read(warehouse, AS_OF, null, 7, SEED, ScalarKernel.INSTANCE);
    assertEquals(all.accountRows(), all.read());
    assertEquals(all.read(), all.portfolios().size() + all.unconverted().size());
    assertEquals(1, all.unconverted().size(), all.unconverted().toString());
    BookConverter.Outcome bad = all.unconverted().get(0);
    assertEquals("ZZ-BAD", bad.accountId());
    assertEquals("REJECTED", bad.status());
    assertTrue(bad.reason().contains("NO-SUCH-1"), bad.reason());
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    BacktestReport.printBook(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8), all);
    String printed = text.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.contains("not converted: ZZ-BAD (USD) REJECTED: " + bad.reason()), printed);
    assertTrue(printed.contains(all.portfolios().size() + " converted, 1 could not be converted"), printed);
    InvalidInputException none = assertThrows(InvalidInputException.class,
        () -> BookAccounts.read(warehouse, AS_OF.plusDays(1), 5, 7, SEED, ScalarKernel.INSTANCE));
    assertTrue(none.getMessage().contains("--as-of") && none.getMessage().contains(AS_OF.plusDays(1).toString()),
        none.getMessage());
    InvalidInputException zero = assertThrows(InvalidInputException.class,
        () -> BookAccounts.read(warehouse, AS_OF, 0, 7, SEED, ScalarKernel.INSTANCE));
    assertTrue(zero.getMessage().contains("--sample"), zero.getMessage());
  }

  @Test
  @Order(5)
  void theCommandNamesTheOptionThatIsWrong() {
    assertOption("--as-of", "--book", "--from", "2024-03-01", "--to", "2024-03-02");
    assertOption("--sample", "--book", "--as-of", "2026-01-05", "--sample", "0", "--from", "2024-03-01", "--to", "2024-03-02");
    assertOption("--sample", "--sample", "5", "--from", "2024-03-01", "--to", "2024-03-02");
    assertOption("--as-of", "--as-of", "2026-01-05", "--from", "2024-03-01", "--to", "2024-03-02");
    assertOption("--panel", "--book", "--as-of", "2026-01-05", "--panel", "3", "--from", "2024-03-01", "--to", "2024-03-02");
  }

  /** The command line end to end on the same warehouse, and an error naming its option. */
  @Test
  @Order(6)
  void theCommandBacktestsASampleOfTheBook() {
    String out = BacktestCommandTest.riskgrid(0, "backtest", "--book", "--as-of", AS_OF.toString(), "--sample", "4", "--seed", "7", "--from",
        "2024-03-01", "--to", "2024-03-02", "--kernel", "scalar", "--warehouse", dir.toString());
    assertTrue(out.contains("book of 2026-01-05") && out.contains("seeded sample of 4 (seed 7): 4 read"), out);
    assertTrue(out.matches("(?s).*\\nALL +pooled book +8 .*"), out);
    String bad = BacktestCommandTest.riskgrid(1, "backtest", "--book", "--from", "2024-03-01", "--to", "2024-03-02", "--warehouse",
        dir.toString());
    assertTrue(bad.contains("--as-of: --book needs the date"), bad);
  }

  private static void assertOption(String option, String... args) {
    BacktestCommand command = new BacktestCommand();
    new CommandLine(command).parseArgs(args);
    InvalidInputException e = assertThrows(InvalidInputException.class, command::checkBookOptions);
    assertTrue(e.getMessage().contains(option), e.getMessage());
  }
}
