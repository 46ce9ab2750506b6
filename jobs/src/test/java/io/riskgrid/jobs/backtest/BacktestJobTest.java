package io.riskgrid.jobs.backtest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.BacktestPortfolio;
import io.riskgrid.backtest.history.DailyBacktest;
import io.riskgrid.backtest.history.DayResult;
import io.riskgrid.backtest.history.HistoryImporter;
import io.riskgrid.backtest.history.MarketHistory;
import io.riskgrid.backtest.history.Observation;
import io.riskgrid.backtest.history.PanelArchetypes;
import io.riskgrid.backtest.history.PanelStatistics;
import io.riskgrid.backtest.history.SummaryLine;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.BacktestTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The backtest job on local Spark and Delta over a year of the REAL shipped history (2022: LUNA in May, FTX in
 * November), seed-default compared with a deliberately too-low policy, checked against the in-memory engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BacktestJobTest {
  static final LocalDate FROM = LocalDate.of(2022, 1, 1);
  static final LocalDate TO = LocalDate.of(2022, 12, 31);
  static final MarginPolicy SEED = PolicyLoader.preset("seed-default");
  /** ±1% price and ±1 vol point shocks, no extremes, no add-ons: about a tenth of a day's move. */
  static final MarginPolicy TOO_LOW = tooLow();
  static final List<BacktestPortfolio> PANEL = PanelArchetypes.panel(8);
  static final MarketHistory REAL = HistoryImporter.shipped(SEED.backtest().ivOverRv());

  private static SparkSession spark;
  private static Warehouse warehouse;
  private static BacktestJob.Result result;

  static SparkSession localSpark() {
    return SparkSessions.getOrCreate("backtest-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2", "spark.sql.adaptive.enabled", "false"));
  }

  static MarginPolicy tooLow() {
    try {
      return PolicyLoader.fromJson(new ObjectMapper().readTree("""
          {"name": "too-low", "methodology": "riskgrid-v1",
           "scenarios": {"vol_mode": "additive", "horizon_days": 1,
                         "price_shocks": [-0.01, 0, 0.01], "vol_shocks": [-0.01, 0, 0.01], "extremes": []},
           "vol_scaling": {"ref_days": 30, "power": 0.30, "min_days": 1, "vol_floor": 0.01},
           "vol_dynamics": "sticky_strike",
           "margin": {"im_multiplier": 1.0, "c_opt": 0, "c_fut": 0, "som_rate": 0},
           "collateral": {"stablecoins": ["USD", "USDC", "USDT"],
                          "haircuts": {"USD": 0, "USDC": 0, "USDT": 0.02, "BTC": 0.05, "ETH": 0.07, "SOL": 0.15}},
           "standard_margin": {"future_im": 0.02, "future_mm": 0.01,
                               "short_option_im_base": 0.15, "short_option_im_floor": 0.10, "short_option_mm": 0.075},
           "backtest": {"confidence": 0.99, "iv_over_rv": 1.2},
           "anti_procyclicality": {"buffer": 0.25, "stressed_floor": 0.5,
                                   "stressed_window": ["2022-11-07", "2022-11-09"]},
           "stress": {"default_vol_shock": 0.30, "default_fund_usd": 1e8, "insurance_fund_usd": 5e7}}
          """));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void backtestAYearOfRealHistory() throws Exception {
    spark = localSpark();
    warehouse = Warehouse.at(spark, Files.createTempDirectory("riskgrid-backtest-test").toString());
    result = BacktestJob.run(spark, warehouse, new BacktestJob.Request(REAL, "real shipped closes + DVOL", PANEL,
        List.of(SEED, TOO_LOW), FROM, TO, 1, Kernels.select("scalar"), Map.of()));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> daily(String runId) {
    return warehouse.read(BacktestTables.BACKTEST_DAILY).where(col("run_id").equalTo(runId));
  }

  private static Map<String, Row> summary(String runId) {
    Map<String, Row> rows = new HashMap<>();
    warehouse.read(BacktestTables.BACKTEST_SUMMARY).where(col("run_id").equalTo(runId)).collectAsList()
        .forEach(r -> rows.put(r.getAs("portfolio_id"), r));
    return rows;
  }

  @Test
  void everyPortfolioIsObservedEveryDayAndEachObservationIsOneDailyRow() {
    BacktestJob.PolicyRun seed = result.runs().get(0);
    assertEquals(365, result.days());
    assertEquals(PANEL.size() * 365L, seed.observations(), "the 2022 history has every market of t and t+1");
    assertEquals(seed.observations(), seed.dailyRowsWritten());
    assertEquals(seed.observations(), daily(seed.runId()).count());
    assertEquals(0, daily(seed.runId()).where("breach_mm <> (loss > mm) OR breach_im <> (loss > im)").count());
    assertEquals(0, daily(seed.runId()).where("date < DATE'2022-01-01' OR date > DATE'2022-12-31' OR mm <= 0").count());
    assertEquals(Set.of("DVOL"), distinct(daily(seed.runId()).where("portfolio_id = 'P01'"), "vol_source"));
    assertEquals(Set.of("REALISED"), distinct(daily(seed.runId()).where("portfolio_id = 'P07'"), "vol_source"));
  }

  @Test
  void summaryRowsHoldEveryStatisticInRangeAndAgreeWithTheDailyRows() {
    for (BacktestJob.PolicyRun run : result.runs()) {
      Map<String, Row> rows = summary(run.runId());
      assertEquals(PANEL.size() + 1, rows.size());
      Map<String, Long> breaches = new HashMap<>();
      daily(run.runId()).where("breach_mm").groupBy("portfolio_id").count().collectAsList()
          .forEach(r -> breaches.put(r.getString(0), r.getLong(1)));
      for (Row r : rows.values()) {
        String id = r.getAs("portfolio_id");
        for (String p : List.of("coverage", "pof_p", "ind_p", "cc_p")) {
          double v = r.getAs(p);
          assertTrue(v >= 0 && v <= 1, id + " " + p + " = " + v);
        }
        for (String lr : List.of("pof_lr", "ind_lr", "cc_lr")) {
          assertTrue((double) r.getAs(lr) >= 0, id + " " + lr);
        }
        assertEquals((double) r.getAs("pof_lr") + (double) r.getAs("ind_lr"), (double) r.getAs("cc_lr"), 1e-9);
        assertTrue(Set.of("GREEN", "YELLOW", "RED").contains((String) r.getAs("last_zone")), id);
        if ((double) r.getAs("avg_im_usd") > 0) {
          assertTrue((double) r.getAs("peak_to_trough") >= 1, id);
          assertNotNull(r.getAs("max_1d_increase"));
          assertNotNull(r.getAs("max_30d_increase"));
        } else {
          // The hedged book gains in every scenario of the too-low grid: IM is 0, its ratios are undefined.
          assertNull(r.getAs("peak_to_trough"), run.policy().name() + " " + r);
        }
        assertEquals(run.policy().name(), r.getAs("policy_name"));
        assertEquals("real shipped closes + DVOL", r.getAs("history"));
        assertEquals(1L, (long) r.getAs("horizon_days"));
        if (!id.equals("ALL")) {
          assertEquals(365L, (long) r.getAs("observations"));
          assertEquals(breaches.getOrDefault(id, 0L), (long) r.getAs("breaches"), id);
          assertNull(r.getAs("pof_rejected_share"));
        }
      }
      Row all = rows.get("ALL");
      assertEquals(PANEL.size() * 365L, (long) all.getAs("observations"));
      assertEquals(breaches.values().stream().mapToLong(Long::longValue).sum(), (long) all.getAs("breaches"));
      double share = all.getAs("pof_rejected_share");
      assertTrue(share >= 0 && share <= 1);
    }
  }

  /**
   * The transition counts recounted from backtest_daily alone (pairs of consecutive dates of a portfolio), the
   * directions read off the breach rate, and ALL's windows and dates.
   */
  @Test
  void summaryRowsSayWhatTheirNumbersMeanAndTheirTransitionsRecountFromTheDailyRows() {
    for (BacktestJob.PolicyRun run : result.runs()) {
      Map<String, Row> rows = summary(run.runId());
      Map<String, long[]> recounted = new HashMap<>();
      Map<String, Row> previous = new HashMap<>();
      for (Row d : daily(run.runId()).orderBy("portfolio_id", "date").collectAsList()) {
        String id = d.getAs("portfolio_id");
        Row before = previous.put(id, d);
        long[] n = recounted.computeIfAbsent(id, k -> new long[4]);
        if (before != null && ((java.sql.Date) d.getAs("date")).toLocalDate()
            .equals(((java.sql.Date) before.getAs("date")).toLocalDate().plusDays(1))) {
          n[2 * ((boolean) before.getAs("breach_mm") ? 1 : 0) + ((boolean) d.getAs("breach_mm") ? 1 : 0)]++;
        }
      }
      long[] pooled = new long[4];
      long redSum = 0;
      for (Row r : rows.values()) {
        String id = r.getAs("portfolio_id");
        assertEquals(0.99, (double) r.getAs("confidence"), 0.0);
        assertEquals(0.01, (double) r.getAs("breach_probability"), 1e-15);
        assertEquals(0L, (long) r.getAs("skipped_days"), id + ": 2022 has every market");
        long observations = r.getAs("observations");
        double rate = (long) r.getAs("breaches") / (double) observations;
        String expected = (double) r.getAs("pof_p") >= 0.05 ? "NOT_REJECTED"
            : rate > 0.01 ? "TOO_MANY_BREACHES" : "TOO_FEW_BREACHES";
        assertEquals(expected, r.getAs("pof_direction"), id);
        if (id.equals("ALL")) {
          continue;
        }
        long[] n = recounted.get(id);
        assertEquals(List.of(n[0], n[1], n[2], n[3]),
            List.of(r.getAs("n00"), r.getAs("n01"), r.getAs("n10"), r.getAs("n11")), id);
        for (int i = 0; i < 4; i++) {
          pooled[i] += n[i];
        }
        redSum += (long) r.getAs("red_windows");
        assertEquals((long) r.getAs("red_windows"), (long) r.getAs("red_portfolio_windows"));
      }
      Row all = rows.get("ALL");
      assertEquals(List.of(pooled[0], pooled[1], pooled[2], pooled[3]),
          List.of(all.getAs("n00"), all.getAs("n01"), all.getAs("n10"), all.getAs("n11")));
      assertEquals(redSum, (long) all.getAs("red_portfolio_windows"));
      // The per-date test from backtest_daily alone: breaches / portfolios observed, summed over dates.
      double shares = 0;
      for (Row d : daily(run.runId()).groupBy("date").agg(org.apache.spark.sql.functions.count("*").as("n"),
          org.apache.spark.sql.functions.sum(col("breach_mm").cast("long")).as("b")).collectAsList()) {
        shares += (long) d.getAs("b") / (double) (long) d.getAs("n");
      }
      assertEquals(365L, (long) all.getAs("pof_by_date_dates"));
      assertEquals(shares, (double) all.getAs("pof_by_date_breach_shares"), 1e-9);
      double rate = shares / 365;
      double lr = 2 * ((365 - shares) * Math.log((1 - rate) / 0.99) + (shares == 0 ? 0 : shares * Math.log(rate / 0.01)));
      assertEquals(lr, (double) all.getAs("pof_by_date_lr"), 1e-9 * Math.max(1, lr));
      // Every portfolio is observed every day, so the rates agree and one trial per date carries 1/8 of the
      // evidence the pooled Kupiec credits to 8 independent observations.
      double pooledLr = all.getAs("pof_lr");
      assertEquals(pooledLr / PANEL.size(), (double) all.getAs("pof_by_date_lr"), 1e-9 * Math.max(1, pooledLr));
      for (Row r : rows.values()) {
        if (!r.getAs("portfolio_id").equals("ALL")) {
          assertNull(r.getAs("pof_by_date_p"));
        }
      }
      assertTrue((long) all.getAs("red_windows") <= Math.min(redSum, 365 - 249), "ALL counts windows once");
      if (all.getAs("peak_to_trough") != null) {
        assertEquals(java.sql.Date.valueOf(FROM), all.getAs("procyclicality_from"));
        assertEquals(java.sql.Date.valueOf(TO), all.getAs("procyclicality_to"));
        assertEquals(365L, (long) all.getAs("procyclicality_days"));
      }
    }
  }

  /** A breach is explained by its row alone: loss = v_t − v_t_h, and a long perpetual's V moves with its index. */
  @Test
  void everyDailyRowExplainsItsLossFromItsOwnColumns() {
    BacktestJob.PolicyRun seed = result.runs().get(0);
    Dataset<Row> rows = daily(seed.runId());
    assertEquals(0, rows.where("loss <> v_t - v_t_h OR v_t IS NULL OR v_t_h IS NULL").count(), "loss = v_t - v_t_h");
    assertEquals(0, rows.where("size(index_t) = 0 OR size(index_t) <> size(index_t_h)").count());
    Set<String> currencies = distinct(rows, "margin_currency");
    assertTrue(Set.of("USD", "BTC", "ETH", "SOL").containsAll(currencies) && currencies.contains("USD")
        && currencies.size() > 1, "USD and coin accounts: " + currencies);
    // P01 holds 1 long BTC perpetual entered at S_t and 20,000 USDC: V_t = 20,000 and L_t = S_t − S_t+1.
    List<Row> perp = rows.where("portfolio_id = 'P01'").collectAsList();
    assertEquals(365, perp.size());
    for (Row r : perp) {
      Map<String, Double> before = r.getJavaMap(r.fieldIndex("index_t"));
      Map<String, Double> after = r.getJavaMap(r.fieldIndex("index_t_h"));
      assertEquals(Set.of("BTC"), before.keySet());
      assertEquals("USD", r.getAs("margin_currency"));
      assertEquals(20_000.0, (double) r.getAs("v_t"), 0.0);
      assertEquals(20_000.0 + after.get("BTC") - before.get("BTC"), (double) r.getAs("v_t_h"), 1e-9 * before.get("BTC"));
      assertEquals(before.get("BTC") - after.get("BTC"), (double) r.getAs("loss"), 1e-9 * before.get("BTC"));
      Map<String, String> binding = r.getJavaMap(r.fieldIndex("binding_scenario"));
      assertTrue(binding.get("BTC").startsWith("p-15_"), "a long perpetual loses most at -15%: " + binding);
    }
    for (Row r : rows.where("breach_mm").collectAsList()) {
      Map<String, String> binding = r.getJavaMap(r.fieldIndex("binding_scenario"));
      assertTrue(r.getJavaMap(r.fieldIndex("index_t")).keySet().containsAll(binding.keySet()), r.toString());
    }
  }

  /**
   * ALL's buffered margin recomputed from backtest_daily alone: A_t = Σ IM_t in USD (coin accounts × index_t of
   * their coin), posted P_t = min(1.25·A_t, max(A_t, P_t−1)) from P_first = 1.25·A_first.
   */
  @Test
  void theAllRowMeasuresThePolicysBufferOnTheSameDatesFromTheDailyRows() {
    BacktestJob.PolicyRun seed = result.runs().get(0);
    Map<LocalDate, Double> panel = new java.util.TreeMap<>();
    Map<LocalDate, Double> floored = new java.util.TreeMap<>();
    for (Row r : daily(seed.runId()).collectAsList()) {
      String currency = r.getAs("margin_currency");
      Map<String, Double> index = r.getJavaMap(r.fieldIndex("index_t"));
      double rate = currency.equals("USD") ? 1.0 : index.get(currency);
      double usd = (double) r.getAs("im") * rate;
      LocalDate date = ((java.sql.Date) r.getAs("date")).toLocalDate();
      panel.merge(date, usd, Double::sum);
      floored.merge(date, Math.max(usd, 0.5 * (double) r.getAs("stressed_im") * rate), Double::sum);
    }
    assertFlooredFigures(summary(seed.runId()).get("ALL"), List.copyOf(panel.values()), List.copyOf(floored.values()));
    assertEquals(365, panel.size());
    List<Double> required = List.copyOf(panel.values());
    double[] posted = new double[required.size()];
    double largest30 = Double.NEGATIVE_INFINITY;
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    double sumPosted = 0;
    double sumRequired = 0;
    for (int i = 0; i < posted.length; i++) {
      double a = required.get(i);
      posted[i] = i == 0 ? 1.25 * a : Math.min(1.25 * a, Math.max(a, posted[i - 1]));
      largest30 = i >= 30 ? Math.max(largest30, posted[i] / posted[i - 30] - 1) : largest30;
      max = Math.max(max, posted[i]);
      min = Math.min(min, posted[i]);
      sumPosted += posted[i];
      sumRequired += a;
    }
    Row all = summary(seed.runId()).get("ALL");
    assertEquals(0.25, (double) all.getAs("apc_buffer"), 0.0);
    assertEquals(largest30, (double) all.getAs("buffered_max_30d_increase"), 1e-9);
    assertEquals(max / min, (double) all.getAs("buffered_peak_to_trough"), 1e-9);
    assertEquals(sumPosted / sumRequired - 1, (double) all.getAs("buffer_margin_cost"), 1e-9);
    assertTrue((double) all.getAs("buffered_max_30d_increase") <= (double) all.getAs("max_30d_increase"));
    assertNull(summary(seed.runId()).get("P01").getAs("apc_buffer"));
  }

  /** ALL's stressed-floor figures against Σ max(IM, 0.5 × stressed IM) in USD per date, from the daily rows. */
  private static void assertFlooredFigures(Row all, List<Double> required, List<Double> floored) {
    double largest30 = Double.NEGATIVE_INFINITY;
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    double sumFloored = 0;
    double sumRequired = 0;
    for (int i = 0; i < floored.size(); i++) {
      largest30 = i >= 30 ? Math.max(largest30, floored.get(i) / floored.get(i - 30) - 1) : largest30;
      max = Math.max(max, floored.get(i));
      min = Math.min(min, floored.get(i));
      sumFloored += floored.get(i);
      sumRequired += required.get(i);
    }
    assertEquals(0.5, (double) all.getAs("apc_stressed_floor"), 0.0);
    assertEquals(largest30, (double) all.getAs("floored_max_30d_increase"), 1e-9);
    assertEquals(max / min, (double) all.getAs("floored_peak_to_trough"), 1e-9);
    assertEquals(sumFloored / sumRequired - 1, (double) all.getAs("floor_margin_cost"), 1e-9);
  }

  @Test
  void aTooLowPolicyIsRejectedByKupiecWhileSeedDefaultIsNotWorse() {
    Map<String, Row> seed = summary(result.runs().get(0).runId());
    Map<String, Row> low = summary(result.runs().get(1).runId());
    Row lowAll = low.get("ALL");
    double lowRate = (long) lowAll.getAs("breaches") / (double) (long) lowAll.getAs("observations");
    assertTrue((double) lowAll.getAs("pof_p") < 0.05, "pooled Kupiec p " + lowAll.getAs("pof_p"));
    assertTrue(lowRate > 0.05, "too-low breaches on " + lowRate + " of portfolio-days, against p = 0.01");
    assertTrue((double) lowAll.getAs("pof_rejected_share") >= 0.75, "share rejected " + lowAll.getAs("pof_rejected_share"));
    assertEquals("RED", lowAll.getAs("last_zone"));
    for (String id : seed.keySet()) {
      assertTrue((double) seed.get(id).getAs("coverage") >= (double) low.get(id).getAs("coverage"), id);
      assertTrue((double) seed.get(id).getAs("avg_im_usd") > (double) low.get(id).getAs("avg_im_usd"), id);
    }
    Row seedAll = seed.get("ALL");
    assertTrue((long) seedAll.getAs("breaches") / (double) (long) seedAll.getAs("observations") <= 0.02,
        "seed-default pooled breach rate");
  }

  /** The Spark job's rows are exactly the in-memory engine's over the same days. */
  @Test
  void sparkRowsAreTheInMemoryBacktestsRows() {
    BacktestJob.PolicyRun seed = result.runs().get(0);
    List<DayResult> days = new DailyBacktest(PANEL, SEED, ScalarKernel.INSTANCE, 1).run(REAL, FROM, TO);
    List<Observation> expected = DailyBacktest.observations(days);
    Map<String, Row> rows = new HashMap<>();
    daily(seed.runId()).collectAsList().forEach(r -> rows.put(r.getAs("portfolio_id") + "@" + r.getAs("date"), r));
    assertEquals(expected.size(), rows.size());
    for (Observation o : expected) {
      Row r = rows.get(o.portfolioId() + "@" + java.sql.Date.valueOf(o.date()));
      assertNotNull(r, o.portfolioId() + " " + o.date());
      assertEquals(o.loss(), (double) r.getAs("loss"), 0.0);
      assertEquals(o.mm(), (double) r.getAs("mm"), 0.0);
      assertEquals(o.im(), (double) r.getAs("im"), 0.0);
    }
    List<SummaryLine> lines = PanelStatistics.summarize(days, BacktestSpec.ofConfidence(0.99, 1));
    assertEquals(lines, seed.lines());
  }

  @Test
  void eachPolicyHasARunsRowWithItsCounts() {
    for (BacktestJob.PolicyRun run : result.runs()) {
      Row r = warehouse.read(OutputTables.RUNS).where(col("run_id").equalTo(run.runId())).first();
      assertEquals("backtest", r.getAs("command"));
      assertEquals(run.policy().name(), r.getAs("policy_name"));
      Map<String, Long> counts = r.getJavaMap(r.fieldIndex("counts"));
      assertEquals(run.observations(), counts.get("observations"));
      assertEquals(run.observations(), counts.get("daily_rows_out"));
      assertEquals(1L, counts.get("invariant_observations_equal_daily_rows"));
      assertEquals(365L, counts.get("days"));
      assertEquals("scalar", r.getAs("kernel"));
    }
  }

  /**
   * h = 2 with --non-overlapping over May and June 2022 (61 days, 3 portfolios), in a warehouse of its own: the
   * daily rows keep every day, the summary counts days 0, 2, ..., 60 of each portfolio (31), and its Kupiec is
   * recomputed here from those backtest_daily rows alone.
   */
  @Test
  void nonOverlappingCountingUsesEveryHthDailyRowAndSaysSo() throws Exception {
    Warehouse own = Warehouse.at(spark, Files.createTempDirectory("riskgrid-backtest-h2").toString());
    LocalDate from = LocalDate.of(2022, 5, 1);
    LocalDate to = LocalDate.of(2022, 6, 30);
    BacktestJob.Result h2 = BacktestJob.run(spark, own, new BacktestJob.Request(REAL, "real shipped closes + DVOL",
        PANEL.subList(0, 3), List.of(TOO_LOW), from, to, 2, Kernels.select("scalar"), Map.of(),
        WindowCounting.NON_OVERLAPPING));
    BacktestJob.PolicyRun run = h2.runs().get(0);
    assertEquals(3 * 61L, run.observations());
    assertEquals(3 * 61L, run.dailyRowsWritten());
    Map<String, Row> rows = new HashMap<>();
    own.read(BacktestTables.BACKTEST_SUMMARY).collectAsList().forEach(r -> rows.put(r.getAs("portfolio_id"), r));
    for (String id : List.of("P01", "P02", "P03")) {
      Row r = rows.get(id);
      assertEquals("NON_OVERLAPPING", r.getAs("counting"));
      assertEquals(2L, (long) r.getAs("horizon_days"));
      assertEquals(31L, (long) r.getAs("observations"));
      long breaches = own.read(BacktestTables.BACKTEST_DAILY).where(col("portfolio_id").equalTo(id))
          .where("breach_mm AND datediff(date, DATE'2022-05-01') % 2 = 0").count();
      assertEquals(breaches, (long) r.getAs("breaches"), id);
      double rate = breaches / 31.0;
      double lr = 2 * ((31 - breaches) * Math.log((1 - rate) / 0.99) + (breaches == 0 ? 0 : breaches * Math.log(rate / 0.01)));
      assertEquals(lr, (double) r.getAs("pof_lr"), 1e-9 * Math.max(1, lr), id);
    }
    assertEquals(93L, (long) rows.get("ALL").getAs("observations"));
    assertEquals(31L, (long) rows.get("ALL").getAs("pof_by_date_dates"));
    assertTrue(BacktestReport.countingNote(2, WindowCounting.NON_OVERLAPPING).contains("every 2nd observed day only"));
    assertTrue(BacktestReport.countingNote(3, WindowCounting.OVERLAPPING).contains("overlap by 2 days"));
  }

  /** Last, since it replaces November's rows. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aRerunOfTheWindowReplacesItsRowsAndNeverDuplicatesThem() {
    LocalDate from = LocalDate.of(2022, 11, 1);
    LocalDate to = LocalDate.of(2022, 11, 30);
    BacktestJob.Result rerun = BacktestJob.run(spark, warehouse, new BacktestJob.Request(REAL, "real shipped closes + DVOL",
        PANEL.subList(0, 3), List.of(SEED), from, to, 1, Kernels.select("scalar"), Map.of()));
    Dataset<Row> november = warehouse.read(BacktestTables.BACKTEST_DAILY)
        .where("date >= DATE'2022-11-01' AND date <= DATE'2022-11-30'");
    assertEquals(3 * 30L, november.count());
    assertEquals(Set.of(rerun.runs().get(0).runId()), distinct(november, "run_id"));
    assertEquals(PANEL.size() * 2L * 335, warehouse.read(BacktestTables.BACKTEST_DAILY)
        .where("date < DATE'2022-11-01' OR date > DATE'2022-11-30'").count(), "other days keep both policies' rows");
    assertEquals(4, warehouse.read(BacktestTables.BACKTEST_SUMMARY)
        .where(col("run_id").equalTo(rerun.runs().get(0).runId())).count());
  }

  private static Set<String> distinct(Dataset<Row> rows, String column) {
    return Set.copyOf(rows.select(column).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }
}
