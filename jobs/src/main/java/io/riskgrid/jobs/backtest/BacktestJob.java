package io.riskgrid.jobs.backtest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.ToolEffect;
import io.riskgrid.backtest.history.DailyBacktest;
import io.riskgrid.backtest.history.DayResult;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.Observation;
import io.riskgrid.backtest.history.PanelStatistics;
import io.riskgrid.backtest.history.PortfolioSeries;
import io.riskgrid.backtest.history.SkippedDay;
import io.riskgrid.backtest.history.SummaryLine;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.BacktestTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid backtest}: model validation over daily history (DESIGN §3.6). The days of [from, to] are
 * parallelized as independent Spark tasks; each runs {@link DailyBacktest} (instantiate the panel on t's
 * market, margin it with the engine, revalue it at t + h) against the broadcast history, panel and policy.
 * Observations are grouped by portfolio on the executors into compact {@link PortfolioSeries} (26 bytes
 * per observation), which the driver summarizes; the daily rows are written from the executors.
 *
 * <p>Writes {@code backtest_daily} (one row per observation) and {@code backtest_summary} (one row per
 * portfolio plus ALL) for every policy of the request, each policy with its own run id and {@code runs}
 * row. A rerun replaces every row of both tables dated in [from, to] ({@code date}, resp. {@code to_date}),
 * whatever the policy or history that wrote it, so a window holds one backtest at a time.
 */
public final class BacktestJob {
  private BacktestJob() {}

  /**
   * What to backtest.
   *
   * @param history       the markets; must cover [from, to + h] for full observation
   * @param historyLabel  how the history was made, recorded in {@code backtest_summary.history}
   * @param policies      the policy, then the one to compare with (if any)
   * @param inputVersions Delta versions of the market tables read, when the history came from them
   * @param counting      the days Kupiec, the traffic light and the breach counts use (with h > 1, overlapping
   *                      h-day losses or every h-th day)
   */
  public record Request(MarketHistory history, String historyLabel, List<BacktestPortfolio> panel,
      List<MarginPolicy> policies, LocalDate from, LocalDate to, int horizonDays, Kernels.Choice kernel,
      Map<String, Long> inputVersions, WindowCounting counting, BookAccounts.Book book) {
    /** A request over the generated panel (no book). */
    public Request(MarketHistory history, String historyLabel, List<BacktestPortfolio> panel,
        List<MarginPolicy> policies, LocalDate from, LocalDate to, int horizonDays, Kernels.Choice kernel,
        Map<String, Long> inputVersions, WindowCounting counting) {
      this(history, historyLabel, panel, policies, from, to, horizonDays, kernel, inputVersions, counting, null);
    }

    /** A request that counts every observed day. */
    public Request(MarketHistory history, String historyLabel, List<BacktestPortfolio> panel,
        List<MarginPolicy> policies, LocalDate from, LocalDate to, int horizonDays, Kernels.Choice kernel,
        Map<String, Long> inputVersions) {
      this(history, historyLabel, panel, policies, from, to, horizonDays, kernel, inputVersions,
          WindowCounting.OVERLAPPING);
    }

    public Request {
      if (from.isAfter(to)) {
        throw new InvalidInputException("--from", from + " is after --to " + to);
      }
      if (policies.isEmpty()) {
        throw new InvalidInputException("--policy", "a backtest needs a policy");
      }
      policies = List.copyOf(policies);
      panel = List.copyOf(panel);
    }

    /**
     * The group of each portfolio's pooled row: for a book, its margin currency ({@code ALL:USD}, {@code ALL:BTC},
     * ...); the panel has none (its archetypes are its rows).
     */
    public Map<String, String> groups() {
      Map<String, String> groups = new TreeMap<>();
      if (book != null) {
        panel.forEach(p -> groups.put(p.id(), p.marginCurrency()));
      }
      return groups;
    }

    /** Accounts of the book that could not be converted, by pooled row id (ALL and ALL:<currency>); empty for a panel. */
    public Map<String, Long> unconvertedByRow() {
      Map<String, Long> counts = new TreeMap<>();
      if (book != null) {
        counts.put(PanelStatistics.ALL, (long) book.unconverted().size());
        Map<String, String> groups = groups();
        new java.util.TreeSet<>(groups.values()).forEach(g -> counts.put(PanelStatistics.groupRowId(g), 0L));
        book.unconverted().forEach(o -> counts.computeIfPresent(PanelStatistics.groupRowId(String.valueOf(
            o.marginCurrency()).trim().toUpperCase(Locale.ROOT)), (k, n) -> n + 1));
      }
      return counts;
    }
  }

  /**
   * One policy's backtest: its run, rows, what was not observed, and ALL's margin with the policy's
   * anti-procyclicality buffer and with its stressed floor (each null when no date has every portfolio with a
   * positive IM).
   */
  public record PolicyRun(String runId, MarginPolicy policy, List<SummaryLine> lines, long observations,
      Map<SkippedDay.Category, Long> skipped, long dailyRowsWritten, long millis, ToolEffect buffer,
      ToolEffect floor) {
    /** The pooled row. */
    public SummaryLine all() {
      return lines.get(lines.size() - 1);
    }
  }

  /** The whole run, for the printed summary and for tests. */
  public record Result(Request request, List<PolicyRun> runs, long days, long millis) {}

  public static Result run(SparkSession spark, Warehouse warehouse, Request req) {
    long start = System.currentTimeMillis();
    MarketHistory needed = req.history().between(req.from(), req.to().plusDays(req.horizonDays()));
    if (needed.isEmpty()) {
      throw new InvalidInputException("--from/--to", "the history has no market in [" + req.from() + ", "
          + req.to().plusDays(req.horizonDays()) + "]" + (req.history().isEmpty() ? ""
          : "; it covers " + req.history().first() + " to " + req.history().last()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<MarketHistory> markets = jsc.broadcast(needed);
    List<LocalDate> dates = MarketHistory.calendar(req.from(), req.to());
    List<Backtested> done = new ArrayList<>();
    for (MarginPolicy policy : req.policies()) {
      done.add(backtest(spark, jsc, markets, dates, req, policy));
    }
    long tw = System.currentTimeMillis();
    warehouse.replaceRange(done.stream().map(Backtested::daily).reduce(Dataset::union).orElseThrow(),
        BacktestTables.BACKTEST_DAILY, req.from(), req.to());
    List<Row> summary = new ArrayList<>();
    done.forEach(b -> summary.addAll(b.summaryRows()));
    warehouse.replaceRange(spark.createDataFrame(summary, BacktestTables.BACKTEST_SUMMARY.schema()),
        BacktestTables.BACKTEST_SUMMARY, req.from(), req.to());
    long writeMs = System.currentTimeMillis() - tw;
    done.forEach(b -> b.days().unpersist());
    return new Result(req, record(spark, warehouse, req, done, writeMs), dates.size(),
        System.currentTimeMillis() - start);
  }

  /** One policy, computed and summarized but not yet written. */
  private record Backtested(RunRecord record, PolicyRun run, JavaRDD<DayResult> days, Dataset<Row> daily,
      List<Row> summaryRows) {}

  /** The days of one policy as Spark tasks, grouped by portfolio on the executors and summarized here. */
  private static Backtested backtest(SparkSession spark, JavaSparkContext jsc, Broadcast<MarketHistory> markets,
      List<LocalDate> dates, Request req, MarginPolicy policy) {
    long t0 = System.currentTimeMillis();
    int h = req.horizonDays();
    RunRecord run = RunRecord.start("backtest", req.to()).policy(policy.name(), policy.hash())
        .kernel(req.kernel().kernel().name(), req.kernel().reason()).config(configHash(req))
        .inputVersions(req.inputVersions()).groupingPath("days");
    String runId = run.runId();
    Broadcast<DailyBacktest> backtest = jsc.broadcast(new DailyBacktest(req.panel(), policy, req.kernel().kernel(), h));
    // A few days a task: progress is counted as tasks end, and a task holds its days' observations at once.
    int slices = Math.max(1, Math.min(dates.size(), Math.max(jsc.defaultParallelism() * 4, dates.size() / 4)));
    StageTimer.Work daysDone = StageTimer.Work.of(spark, dates.size(), "days");
    JavaRDD<DayResult> days = jsc.parallelize(dates, slices)
        .map(t -> {
          DayResult day = backtest.value().run(markets.value(), t);
          daysDone.done().add(1);
          return day;
        })
        // Serialised: 10,000 portfolios over 4.8 years are 17M observations, about 1 KB each as objects.
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaRDD<Observation> observations = days.flatMap(r -> r.observations().iterator());
    List<PortfolioSeries> series = StageTimer.of(run).time("portfolio_days", daysDone, () ->
        observations.map(Observation::forStatistics).groupBy(Observation::portfolioId)
            .map(g -> PortfolioSeries.of(g._1(), g._2())).collect());
    Map<SkippedDay.Category, Long> skipped = skipCounts(days);
    Map<String, Long> skippedByPortfolio = new TreeMap<>(
        days.flatMap(r -> r.skipped().iterator()).map(SkippedDay::portfolioId).countByValue());
    if (series.isEmpty()) {
      days.unpersist();
      throw new InvalidInputException("--from/--to", "no portfolio was observed between " + req.from() + " and "
          + req.to() + " under " + policy.name() + "; not observed: " + skipped);
    }
    double confidence = policy.backtest().confidence();
    List<SummaryLine> lines = PanelStatistics.summarizeSeries(series, skippedByPortfolio,
        BacktestSpec.ofConfidence(confidence, h), req.counting(), req.groups());
    Map<String, Long> unconverted = req.unconvertedByRow();
    List<Row> summaryRows = new ArrayList<>();
    ToolEffect buffer = PanelStatistics.bufferEffect(series, policy.antiProcyclicality().buffer());
    ToolEffect floor = PanelStatistics.floorEffect(series, policy.antiProcyclicality().stressedFloor());
    for (SummaryLine l : lines) {
      boolean all = l.portfolioId().equals(PanelStatistics.ALL);
      summaryRows.add(BacktestRows.summary(runId, policy.name(), confidence, req.historyLabel(), h, req.counting(), l,
          all ? buffer : null, all ? floor : null, unconverted.get(l.portfolioId())));
    }
    Dataset<Row> daily = spark.createDataFrame(observations.map(o -> BacktestRows.daily(runId, o)),
        BacktestTables.BACKTEST_DAILY.schema());
    SummaryLine all = lines.get(lines.size() - 1);
    // Every observation is a daily row; with --non-overlapping the tests count only some of them.
    long observed = series.stream().mapToLong(PortfolioSeries::size).sum();
    run.timing("backtest_days", System.currentTimeMillis() - t0).count("days", dates.size())
        .count("portfolios", req.panel().size()).count("observations", observed)
        .count("counted_observations", all.observations())
        .count("breaches_mm", all.breaches()).count("breaches_im", all.imBreaches())
        .count("summary_rows_out", lines.size());
    skipped.forEach((category, n) -> run.count("skipped_" + category.name().toLowerCase(Locale.ROOT), n));
    if (req.book() != null) {
      run.count("book_account_rows", req.book().accountRows()).count("book_accounts_read", req.book().read())
          .count("book_accounts_unconverted", req.book().unconverted().size());
    }
    PolicyRun result = new PolicyRun(runId, policy, lines, observed, skipped, 0, System.currentTimeMillis() - t0,
        buffer, floor);
    return new Backtested(run, result, days, daily, summaryRows);
  }

  /** Checks observations = written rows per run, and appends each policy's runs row. */
  private static List<PolicyRun> record(SparkSession spark, Warehouse warehouse, Request req, List<Backtested> done,
      long writeMs) {
    Map<String, Long> written = writtenByRun(warehouse, req.from(), req.to());
    List<PolicyRun> finished = new ArrayList<>();
    for (Backtested b : done) {
      PolicyRun r = b.run();
      long rows = written.getOrDefault(r.runId(), 0L);
      b.record().timing("write_tables", writeMs).count("daily_rows_out", rows)
          .count("invariant_observations_equal_daily_rows", rows == r.observations() ? 1 : 0)
          .finishAndAppend(warehouse, spark);
      if (rows != r.observations()) {
        throw new IllegalStateException("invariant broken: " + r.observations() + " observations but " + rows
            + " backtest_daily rows written for run " + r.runId());
      }
      finished.add(new PolicyRun(r.runId(), r.policy(), r.lines(), r.observations(), r.skipped(), rows, r.millis(),
          r.buffer(), r.floor()));
    }
    return finished;
  }

  private static Map<SkippedDay.Category, Long> skipCounts(JavaRDD<DayResult> results) {
    Map<SkippedDay.Category, Long> counts = new EnumMap<>(SkippedDay.Category.class);
    results.flatMap(r -> r.skipped().iterator()).map(SkippedDay::category).countByValue().forEach(counts::put);
    return counts;
  }

  private static Map<String, Long> writtenByRun(Warehouse warehouse, LocalDate from, LocalDate to) {
    Map<String, Long> counts = new TreeMap<>();
    warehouse.read(BacktestTables.BACKTEST_DAILY)
        .where(col("date").geq(lit(Date.valueOf(from))).and(col("date").leq(lit(Date.valueOf(to)))))
        .groupBy("run_id").count().collectAsList()
        .forEach(r -> counts.put(r.getString(0), r.getLong(1)));
    return counts;
  }

  /** SHA-256 of everything that decides the rows besides the policy: window, horizon, history, panel, kernel. */
  static String configHash(Request req) {
    StringBuilder s = new StringBuilder().append(req.from()).append('|').append(req.to()).append("|h=")
        .append(req.horizonDays()).append('|').append(req.historyLabel()).append('|').append(req.kernel().kernel().name())
        .append('|').append(req.counting()).append(req.book() == null ? "" : "|book " + req.book().asOf()
            + " sample " + req.book().sample() + " seed " + req.book().seed());
    req.panel().forEach(p -> s.append('|').append(p));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
