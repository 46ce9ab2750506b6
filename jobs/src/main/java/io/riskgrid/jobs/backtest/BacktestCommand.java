package io.riskgrid.jobs.backtest;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.DailyBacktest;
import io.riskgrid.backtest.history.HistoryImporter;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.PanelArchetypes;
import io.riskgrid.backtest.history.SyntheticMarketGenerator;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code riskgrid backtest}: does margin cover next-day losses at the target confidence, year after year? */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = {"Backtest a margin policy over daily history (DESIGN 3.6): margin a panel of portfolios every day t,"
        + " revalue it at t+h, count breaches, and write backtest_daily and backtest_summary.",
        "Example: riskgrid backtest --from 2021-04-01 --to 2025-12-31 --panel 12 --compare deribit-like",
        "The book of a date: riskgrid backtest --book --as-of 2026-01-05 --sample 10000 --from 2021-04-01"
            + " --to 2025-12-31"})
public final class BacktestCommand implements Callable<Integer> {
  /** Where the daily markets come from. */
  enum Source { real, synthetic, warehouse }

  @Mixin
  SparkOptions spark;

  @Option(names = "--from", required = true, description = "First day t, e.g. 2021-04-01.")
  LocalDate from;

  @Option(names = "--to", required = true, description = "Last day t (its loss needs the market of t+h).")
  LocalDate to;

  @Option(names = "--horizon-days", description = "Loss horizon h in days (default: the policy's scenario horizon).")
  Integer horizonDays;

  @Option(names = "--panel", description = "Portfolios in the generated archetype panel (default: 12; not with --book).")
  Integer panel;

  @Option(names = "--book", description = "Backtest the accounts of --as-of from the warehouse instead of the panel,"
      + " each converted to tenor/moneyness/coin-quantity legs on that date's market (DESIGN 3.6).")
  boolean book;

  @Option(names = "--as-of", description = "With --book: the date whose accounts are backtested.")
  LocalDate asOf;

  @Option(names = "--sample", description = "With --book: a seeded sample of this many accounts (see --seed);"
      + " default every account of the date.")
  Integer sample;

  @Option(names = "--policy", defaultValue = "seed-default", description = "Preset name or policy JSON file (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--compare", description = "A second policy to backtest on the same days, printed side by side.")
  String compare;

  @Option(names = "--source", defaultValue = "real",
      description = "real (shipped closes + DVOL, or --closes/--vol-index), synthetic (seeded model) or warehouse"
          + " (the market_* tables) (default: ${DEFAULT-VALUE}).")
  Source source;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic history and of --book's --sample"
      + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--closes", description = "CSV date,underlying,close[,atm_iv] of real closes, instead of the shipped ones.")
  Path closes;

  @Option(names = "--vol-index", description = "CSV date,underlying,value of a vol index in percent, e.g. DVOL.")
  Path volIndex;

  @Option(names = "--write-market", description = "Also write the history's market_* tables for [from, to+h].")
  boolean writeMarket;

  @Option(names = "--non-overlapping", description = "With h > 1, Kupiec, the traffic light and the breach counts use"
      + " every h-th day only, so that no two counted h-day losses overlap (default: every observed day).")
  boolean nonOverlapping;

  @Option(names = "--kernel", defaultValue = "scalar",
      description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}: a day's book is a few dozen instruments).")
  String kernel;

  @Override
  public Integer call() throws IOException {
    MarginPolicy main = PolicyLoader.load(policy);
    List<MarginPolicy> policies = new ArrayList<>(List.of(main));
    if (compare != null) {
      policies.add(PolicyLoader.load(compare));
    }
    int h = horizonDays != null ? horizonDays : DailyBacktest.policyHorizonDays(main);
    checkBookOptions();
    if (writeMarket && source == Source.warehouse) {
      throw new InvalidInputException("--write-market", "the history already comes from the market_* tables;"
          + " use it with --source real or synthetic");
    }
    Kernels.Choice choice = Kernels.select(kernel);
    SparkSession session = spark.session("riskgrid backtest");
    Warehouse warehouse = spark.warehouse(session);
    long t0 = System.currentTimeMillis();
    MarketHistory history;
    String label;
    Map<String, Long> versions = Map.of();
    switch (source) {
      case synthetic -> {
        history = SyntheticMarketGenerator.generate(from, to.plusDays(h), seed);
        label = "synthetic seed " + seed;
      }
      case warehouse -> {
        history = HistoryTables.read(warehouse, from, to.plusDays(h));
        label = "warehouse market_* tables";
        versions = warehouse.versions(List.of(InputTables.MARKET_UNDERLYINGS, InputTables.MARKET_FORWARDS,
            InputTables.MARKET_VOL_SLICES));
      }
      default -> {
        history = real(main.backtest().ivOverRv());
        label = closes == null ? "real shipped closes + DVOL" : "real " + closes.getFileName()
            + (volIndex == null ? "" : " + " + volIndex.getFileName());
      }
    }
    System.out.printf("history: %s, %,d days with a market (%.1f s)%n", label, history.size(),
        (System.currentTimeMillis() - t0) / 1000.0);
    if (writeMarket) {
      long tw = System.currentTimeMillis();
      long days = HistoryTables.write(session, warehouse, history, from, to.plusDays(h));
      System.out.printf("wrote market_underlyings, market_forwards and market_vol_slices for %,d days (%.1f s)%n", days,
          (System.currentTimeMillis() - tw) / 1000.0);
    }
    BookAccounts.Book accounts = null;
    List<BacktestPortfolio> portfolios;
    if (book) {
      long tb = System.currentTimeMillis();
      accounts = BookAccounts.read(warehouse, asOf, sample, seed, main, choice.kernel());
      portfolios = accounts.portfolios();
      System.out.printf("book of %s: %,d accounts read, %,d converted, %,d not converted (%.1f s)%n", asOf,
          accounts.read(), portfolios.size(), accounts.unconverted().size(), (System.currentTimeMillis() - tb) / 1000.0);
    } else {
      portfolios = PanelArchetypes.panel(panel == null ? DEFAULT_PANEL : panel);
    }
    System.out.printf("backtesting %,d days x %,d portfolios, h = %d, under %s with the %s kernel ...%n",
        to.toEpochDay() - from.toEpochDay() + 1, portfolios.size(), h,
        String.join(" and ", policies.stream().map(MarginPolicy::name).toList()), choice.kernel().name());
    BacktestJob.Result result = BacktestJob.run(session, warehouse, new BacktestJob.Request(history, label,
        portfolios, policies, from, to, h, choice, versions,
        nonOverlapping ? WindowCounting.NON_OVERLAPPING : WindowCounting.OVERLAPPING, accounts));
    BacktestReport.print(System.out, result);
    return 0;
  }

  /** Panel portfolios when neither --panel nor --book is given. */
  static final int DEFAULT_PANEL = 12;

  /** --book, --as-of and --sample go together; --panel goes without them. Checked before Spark starts. */
  void checkBookOptions() {
    if (book) {
      if (asOf == null) {
        throw new InvalidInputException("--as-of", "--book needs the date whose accounts to backtest, e.g. --as-of 2026-01-05");
      }
      if (panel != null) {
        throw new InvalidInputException("--panel", "backtests the generated panel; with --book the accounts of --as-of"
            + " are the portfolios");
      }
      if (sample != null && sample < 1) {
        throw new InvalidInputException("--sample", "must be >= 1 account, got " + sample);
      }
    } else {
      if (asOf != null) {
        throw new InvalidInputException("--as-of", "goes with --book (the date of the accounts to backtest)");
      }
      if (sample != null) {
        throw new InvalidInputException("--sample", "goes with --book (a sample of the accounts of --as-of)");
      }
      if (panel != null && panel < 1) {
        throw new InvalidInputException("--panel", "needs at least 1 portfolio, got " + panel);
      }
    }
  }

  private MarketHistory real(double ivOverRv) throws IOException {
    if (closes == null) {
      if (volIndex != null) {
        throw new InvalidInputException("--vol-index", "goes with --closes; without --closes the shipped DVOL is used");
      }
      return HistoryImporter.shipped(ivOverRv);
    }
    HistoryImporter.Closes c;
    try (InputStream in = Files.newInputStream(closes)) {
      c = HistoryImporter.readCloses(in, closes.toString());
    }
    DailyHistory index = null;
    if (volIndex != null) {
      try (InputStream in = Files.newInputStream(volIndex)) {
        index = DailyHistory.read(in, volIndex.toString());
      }
    }
    return HistoryImporter.fromCloses(c.closes(), c.atmIv(), index, ivOverRv);
  }
}
