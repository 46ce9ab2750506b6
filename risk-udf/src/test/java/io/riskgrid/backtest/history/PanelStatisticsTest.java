package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.BacktestSummarizer;
import io.riskgrid.backtest.BacktestSummary;
import io.riskgrid.backtest.BreachDay;
import io.riskgrid.backtest.BreachSeries;
import io.riskgrid.backtest.KupiecPof;
import io.riskgrid.backtest.MarginSeries;
import io.riskgrid.backtest.RejectionDirection;
import io.riskgrid.backtest.TrafficLightZone;
import io.riskgrid.backtest.TransitionCounts;
import io.riskgrid.backtest.WindowCounting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** backtest_summary rows from observations: the library's statistics, pooled, and procyclicality in USD. */
class PanelStatisticsTest {
  private static final BacktestSpec SPEC = BacktestSpec.ofConfidence(0.99, 1);
  private static final LocalDate START = LocalDate.of(2022, 1, 1);

  /** Portfolio A: USD, 300 days, breaches every 50th day; B: a BTC account at S = 20,000, 280 days, none. */
  private static List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (int d = 0; d < 300; d++) {
      boolean breach = d % 50 == 7;
      double im = 1_000 + 10 * d;
      out.add(Observation.of("A", START.plusDays(d), "USD", im / 1.3, im, breach ? im : 0, VolSource.DVOL, 1));
      if (d >= 20) {
        out.add(Observation.of("B", START.plusDays(d), "BTC", 0.1, 0.13, -0.01, VolSource.REALISED, 20_000));
      }
    }
    return out;
  }

  @Test
  void aPortfoliosRowIsTheLibrarysSummaryOfItsObservations() {
    List<SummaryLine> lines = PanelStatistics.summarize(observations(), Map.of(), SPEC);
    assertEquals(List.of("A", "B", "ALL"), lines.stream().map(SummaryLine::portfolioId).toList());
    SummaryLine a = lines.get(0);
    List<BreachDay> days = new ArrayList<>();
    Map<LocalDate, Double> im = new TreeMap<>();
    for (int d = 0; d < 300; d++) {
      days.add(BreachDay.of(START.plusDays(d), d % 50 == 7));
      im.put(START.plusDays(d), 1_000 + 10.0 * d);
    }
    BacktestSummary expected = BacktestSummarizer.summarize("A", BreachSeries.of(days), MarginSeries.of(im), SPEC);
    assertEquals(300, a.observations());
    assertEquals(6, a.breaches());
    assertEquals(0, a.imBreaches(), "a loss equal to IM breaches MM but not IM: breaches are strict");
    assertEquals(expected.pofLr(), a.pofLr(), 0.0);
    assertEquals(expected.indP(), a.indP(), 0.0);
    assertEquals(expected.ccP(), a.ccP(), 0.0);
    assertEquals(expected.lastZone(), a.lastZone());
    assertEquals(1 - 6 / 300.0, a.coverage(), 1e-15);
    assertEquals((1_000 + 10 * 299) / 1_000.0, a.peakToTrough(), 1e-12);
    assertEquals(START, a.fromDate());
    assertEquals(START.plusDays(299), a.toDate());
    assertNull(a.pofRejectedShare());
  }

  @Test
  void theAllRowPoolsCountsAndMeasuresThePanelMarginInUsdOnCompleteDays() {
    List<SummaryLine> lines = PanelStatistics.summarize(observations(), Map.of(), SPEC);
    SummaryLine b = lines.get(1);
    SummaryLine all = lines.get(2);
    assertEquals(0, b.breaches());
    assertEquals(0.13 * 20_000, b.averageImUsd(), 1e-9);
    assertEquals(1.0, b.peakToTrough(), 1e-15);
    assertEquals(580, all.observations());
    assertEquals(6, all.breaches());
    assertEquals(KupiecPof.test(580, 6, 0.01).statistic(), all.pofLr(), 1e-12);
    // A: 6 breaches in 300 (p-value ~0.13) is not rejected; B: 0 in 280 is (too conservative).
    assertEquals(0.5, all.pofRejectedShare(), 0.0);
    assertEquals(START, all.fromDate());
    assertEquals(START.plusDays(299), all.toDate());
    // A_t = IM_A + 0.13 × 20,000 over days 20..299 only, the days with both portfolios.
    double first = 1_000 + 10 * 20 + 2_600;
    double last = 1_000 + 10 * 299 + 2_600;
    assertEquals(last / first, all.peakToTrough(), 1e-12);
    assertEquals(a(21) / a(20) - 1, all.max1dIncrease(), 1e-12);
    assertEquals(a(50) / a(20) - 1, all.max30dIncrease(), 1e-12);
    assertEquals(lines.get(0).averageImUsd() + b.averageImUsd(), all.averageImUsd(), 1e-9);
    assertEquals(TrafficLightZone.YELLOW, lines.get(0).lastZone(), "5 breaches in the last 250 days");
    assertEquals(TrafficLightZone.GREEN, b.lastZone());
    assertEquals(TrafficLightZone.YELLOW, all.lastZone(), "ALL shows the worst portfolio's last zone");
  }

  /** The 95% quantile of χ²(1), 1.959964² (published tables): a 5% test rejects above it. */
  private static final double CHI2_1_95 = 3.841458820694124;

  /** 2[(T−x) ln((1−x/T)/(1−p)) + x ln((x/T)/p)], written out here, apart from KupiecPof. */
  private static double kupiecByHand(int t, int x, double p) {
    double rate = (double) x / t;
    return 2 * ((t - x) * Math.log((1 - rate) / (1 - p)) + (x == 0 ? 0 : x * Math.log(rate / p)));
  }

  private static Observation day(String id, int d, boolean breach) {
    return Observation.of(id, START.plusDays(d), "USD", 50, 100, breach ? 60 : 0, VolSource.DVOL, 1);
  }

  /**
   * C: 5 breaches in a row (days 100..104) in 300 days: Kupiec does not reject (5/300 is close to 1%) but
   * independence does, clustered, and conditional coverage too, on the too-many side. D: a breach every 30th
   * day, 10 in 300: too many. B of {@link #observations()}: none in 280, too few for Kupiec but not for
   * conditional coverage.
   */
  @Test
  void everyTestSaysWhichWayItRejectsAndEveryRowCountsItsTransitions() {
    List<Observation> obs = new ArrayList<>(observations());
    for (int d = 0; d < 300; d++) {
      obs.add(day("C", d, d >= 100 && d <= 104));
      obs.add(day("D", d, d % 30 == 29));
    }
    Map<String, SummaryLine> rows = new TreeMap<>();
    PanelStatistics.summarize(obs, Map.of(), SPEC).forEach(l -> rows.put(l.portfolioId(), l));
    SummaryLine a = rows.get("A");
    // A: breaches on days 7, 57, ..., 257, each between quiet days: 299 pairs. D ends on a breach (day 299).
    assertEquals(TransitionCounts.of(287, 6, 6, 0), a.transitions());
    assertEquals(RejectionDirection.NOT_REJECTED, a.pofDirection());
    assertEquals(0.01, a.breachProbability(), 1e-15);
    SummaryLine b = rows.get("B");
    assertEquals(TransitionCounts.of(279, 0, 0, 0), b.transitions());
    assertEquals(kupiecByHand(280, 0, 0.01), b.pofLr(), 1e-12);
    assertTrue(b.pofLr() > CHI2_1_95);
    assertEquals(RejectionDirection.TOO_FEW_BREACHES, b.pofDirection());
    // χ²(2) has the closed-form tail e^(−x/2): LR_cc = LR_POF = 5.63 gives 0.060, not a rejection at 5%.
    assertEquals(Math.exp(-b.ccLr() / 2), b.ccP(), 1e-12);
    assertEquals(RejectionDirection.NOT_REJECTED, b.ccDirection());
    assertEquals(RejectionDirection.NOT_REJECTED, b.indDirection(), "no breach, no evidence of clustering");
    SummaryLine c = rows.get("C");
    assertEquals(TransitionCounts.of(293, 1, 1, 4), c.transitions());
    assertEquals(kupiecByHand(300, 5, 0.01), c.pofLr(), 1e-12);
    assertTrue(c.pofLr() < CHI2_1_95);
    assertEquals(RejectionDirection.NOT_REJECTED, c.pofDirection());
    assertEquals(RejectionDirection.CLUSTERED, c.indDirection());
    assertEquals(RejectionDirection.TOO_MANY_BREACHES, c.ccDirection(), "5/300 > 1%: coverage names the direction");
    SummaryLine d = rows.get("D");
    assertEquals(TransitionCounts.of(280, 10, 9, 0), d.transitions());
    assertEquals(kupiecByHand(300, 10, 0.01), d.pofLr(), 1e-12);
    assertTrue(d.pofLr() > CHI2_1_95);
    assertEquals(RejectionDirection.TOO_MANY_BREACHES, d.pofDirection());
    SummaryLine all = rows.get("ALL");
    assertEquals(TransitionCounts.of(287 + 279 + 293 + 280, 6 + 1 + 10, 6 + 1 + 9, 4), all.transitions());
    assertEquals(kupiecByHand(1180, 21, 0.01), all.pofLr(), 1e-12);
    assertEquals(RejectionDirection.TOO_MANY_BREACHES, all.pofDirection());
    assertEquals(RejectionDirection.CLUSTERED, all.indDirection());
  }

  /**
   * E: 260 days, breaches on days 0..9: one red window (days 0..249, 10 breaches; 9 in the next). F: 263 days,
   * breaches on days 0..10: red windows ending on days 249 and 250. ALL counts the windows {249, 250}, not the three
   * portfolio-windows, and its procyclicality covers the days both were observed, 0..259. G was never observed.
   */
  @Test
  void theAllRowCountsWindowsNotPortfolioWindowsAndNamesItsDatesAndSkippedDays() {
    List<Observation> obs = new ArrayList<>();
    for (int d = 0; d < 263; d++) {
      if (d < 260) {
        obs.add(day("E", d, d < 10));
      }
      obs.add(day("F", d, d < 11));
    }
    List<SummaryLine> lines = PanelStatistics.summarize(obs, Map.of("E", 5L, "G", 7L), SPEC);
    SummaryLine e = lines.get(0);
    SummaryLine f = lines.get(1);
    SummaryLine all = lines.get(2);
    assertEquals(1, e.redWindows());
    assertEquals(TrafficLightZone.GREEN, e.lastZone(), "the last window, days 10..259, has no breach");
    assertEquals(2, f.redWindows());
    assertEquals(2, f.redPortfolioWindows());
    assertEquals(2, all.redWindows(), "windows ending on days 249 and 250");
    assertEquals(3, all.redPortfolioWindows());
    assertEquals(5, e.skippedDays());
    assertEquals(0, f.skippedDays());
    assertEquals(12, all.skippedDays(), "ALL counts G, which was never observed");
    assertEquals(START, e.procyclicalityFrom());
    assertEquals(START.plusDays(259), e.procyclicalityTo());
    assertEquals(260, e.procyclicalityDays());
    assertEquals(START.plusDays(262), f.procyclicalityTo());
    assertEquals(START, all.procyclicalityFrom());
    assertEquals(START.plusDays(259), all.procyclicalityTo());
    assertEquals(260, all.procyclicalityDays());
  }

  /**
   * ALL's per-date test on {@link #observations()}: days 0..19 have A alone, days 20..299 A and B. A breaches on
   * day 7 (share 1) and on days 57, 107, 157, 207, 257 (share 1/2 each): x = 3.5 over D = 300 dates.
   */
  @Test
  void theAllRowHasAPooledTestThatDoesNotAssumeIndependentPortfolios() {
    List<SummaryLine> lines = PanelStatistics.summarize(observations(), Map.of(), SPEC);
    assertNull(lines.get(0).dateShare(), "a portfolio row has no pooled test");
    DateShareLine byDate = lines.get(2).dateShare();
    assertEquals(300, byDate.dates());
    assertEquals(3.5, byDate.breachShares(), 1e-15);
    double rate = 3.5 / 300;
    double lr = 2 * (296.5 * Math.log((1 - rate) / 0.99) + 3.5 * Math.log(rate / 0.01));
    assertEquals(lr, byDate.lr(), 1e-12);
    assertTrue(byDate.lr() < CHI2_1_95);
    assertEquals(RejectionDirection.NOT_REJECTED, byDate.direction());
  }

  /**
   * h = 3 over 30 days: one crash breaches the three overlapping windows of days 0, 1 and 2, and day 16 breaches
   * too. Overlapping counting sees 4 breaches in 30; non-overlapping counts days 0, 3, ..., 27 only: 1 in 10.
   * With 5-observation windows (red from 2 breaches at p = 1%: P(X ≤ 1) = 0.99902, P(X ≤ 2) = 0.99999), the
   * overlapping light is red in the windows starting on days 0 and 1; the non-overlapping one never.
   */
  @Test
  void nonOverlappingCountingKeepsEveryHthDayForKupiecAndTheTrafficLight() {
    BacktestSpec spec = new BacktestSpec(0.01, 3, 5, 0.05);
    List<Observation> obs = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      obs.add(Observation.of("H", START.plusDays(d), "USD", 50, 100 + d, d <= 2 || d == 16 ? 60 : 0,
          VolSource.DVOL, 1));
    }
    List<PortfolioSeries> series = List.of(PortfolioSeries.of("H", obs));
    SummaryLine overlapping = PanelStatistics.summarizeSeries(series, Map.of(), spec, WindowCounting.OVERLAPPING)
        .get(0);
    List<SummaryLine> lines = PanelStatistics.summarizeSeries(series, Map.of(), spec, WindowCounting.NON_OVERLAPPING);
    SummaryLine disjoint = lines.get(0);
    assertEquals(30, overlapping.observations());
    assertEquals(4, overlapping.breaches());
    assertEquals(kupiecByHand(30, 4, 0.01), overlapping.pofLr(), 1e-12);
    assertEquals(10, disjoint.observations());
    assertEquals(1, disjoint.breaches());
    assertEquals(kupiecByHand(10, 1, 0.01), disjoint.pofLr(), 1e-12);
    assertEquals(2, overlapping.redWindows());
    assertEquals(0, disjoint.redWindows());
    // Christoffersen pairs days 3 apart either way: (0,3), (3,6), ..., (24,27).
    assertEquals(TransitionCounts.of(8, 0, 1, 0), overlapping.transitions());
    assertEquals(overlapping.transitions(), disjoint.transitions());
    // Margin figures use every observed day.
    assertEquals(129.0 / 100, disjoint.peakToTrough(), 1e-15);
    assertEquals(overlapping.averageImUsd(), disjoint.averageImUsd(), 0.0);
    assertEquals(30, disjoint.procyclicalityDays());
    assertEquals(10, lines.get(1).dateShare().dates(), "ALL's per-date test counts the same days");
    assertEquals(1.0, lines.get(1).dateShare().breachShares(), 0.0);
  }

  /**
   * A synthetic calm-then-crash history through the engine: BTC at 60,000 with vol 0.25 for 60 days, then 54,000
   * with vol 1.5. A short strangle's IM jumps with the vol; the buffered panel margin (b = 0.25), recomputed here
   * by a loop of its own over the IM of every day, rises by less over 30 days.
   */
  @Test
  void theBufferLowersThePanelsLargestThirtyDayIncreaseOnACalmThenCrashHistory() {
    List<DailyMarket> markets = new ArrayList<>();
    for (int d = 0; d < 100; d++) {
      markets.add(d < 60 ? Days.flat(Days.T.plusDays(d), "BTC", 60_000, 0.25)
          : Days.flat(Days.T.plusDays(d), "BTC", 54_000, 1.5));
    }
    DailyBacktest bt = new DailyBacktest(List.of(PanelArchetypes.portfolio("S", PanelArchetypes.Archetype.SHORT_STRANGLE,
        "BTC", 1)), io.riskgrid.policy.PolicyLoader.preset("seed-default"), io.riskgrid.kernel.ScalarKernel.INSTANCE, 1);
    List<DayResult> days = bt.run(MarketHistory.of(markets), Days.T, Days.T.plusDays(98));
    List<Observation> observed = DailyBacktest.observations(days);
    assertEquals(99, observed.size());
    SummaryLine all = PanelStatistics.summarize(days, SPEC).get(1);
    ToolEffect buffered = PanelStatistics.bufferEffect(List.of(PortfolioSeries.of("S", observed)), 0.25);
    double[] posted = new double[observed.size()];
    double largest = Double.NEGATIVE_INFINITY;
    double sumPosted = 0;
    double sumRequired = 0;
    for (int i = 0; i < posted.length; i++) {
      double r = observed.get(i).imUsd();
      posted[i] = i == 0 ? 1.25 * r : Math.min(1.25 * r, Math.max(r, posted[i - 1]));
      largest = i >= 30 ? Math.max(largest, posted[i] / posted[i - 30] - 1) : largest;
      sumPosted += posted[i];
      sumRequired += r;
    }
    // The short strangle's IM rises by 24% (4,495 to 5,582 USD): a full 25% buffer absorbs all of it.
    assertEquals(5582.023080380399 / 4495.129832485138 - 1, all.max30dIncrease(), 1e-9);
    assertEquals(0.0, buffered.max30dIncrease(), 1e-12, "1.25 x 4,495 = 5,619 already covers 5,582");
    assertEquals(largest, buffered.max30dIncrease(), 1e-12);
    assertTrue(buffered.max30dIncrease() < all.max30dIncrease() - 0.1,
        buffered.max30dIncrease() + " with the buffer, " + all.max30dIncrease() + " without");
    assertEquals(sumPosted / sumRequired - 1, buffered.marginCost(), 1e-12);
    assertEquals(0.25, buffered.parameter(), 0.0);
  }

  /**
   * The stressed floor with f = 0.5: IM 100 for 60 days then 200 for 60, IM under the stressed window 300 throughout.
   * The floored margin is max(IM, 150): 150 then 200, so the largest 30-day increase is 200/150 − 1 = 33% instead of
   * 100%, peak-to-trough 4/3 instead of 2, at (60·150 + 60·200)/(60·100 + 60·200) − 1 = 16.7% more margin.
   */
  @Test
  void theStressedFloorLowersTheLargestThirtyDayIncreaseOfACalmThenCrashHistory() {
    List<Observation> obs = new ArrayList<>();
    for (int d = 0; d < 120; d++) {
      double im = d < 60 ? 100 : 200;
      obs.add(new Observation("F", START.plusDays(d), "USD", im / 1.3, im, 0, false, false, VolSource.DVOL, 1, 0.0,
          0.0, Map.of(), Map.of(), Map.of(), 300.0));
    }
    List<PortfolioSeries> series = List.of(PortfolioSeries.of("F", obs));
    SummaryLine all = PanelStatistics.summarizeSeries(series, Map.of(), SPEC, WindowCounting.OVERLAPPING).get(1);
    ToolEffect floored = PanelStatistics.floorEffect(series, 0.5);
    assertEquals(1.0, all.max30dIncrease(), 1e-15);
    assertEquals(200.0 / 150 - 1, floored.max30dIncrease(), 1e-15);
    assertEquals(2.0, all.peakToTrough(), 1e-15);
    assertEquals(200.0 / 150, floored.peakToTrough(), 1e-15);
    assertEquals(21_000.0 / 18_000 - 1, floored.marginCost(), 1e-15);
    assertEquals(0.5, floored.parameter(), 0.0);
    assertNull(PanelStatistics.floorEffect(List.of(PortfolioSeries.of("A", observations().subList(0, 5))), 0.5),
        "without a stressed IM there is no floor to measure, not a floor of 0");
  }

  /** The in-memory route from days counts each portfolio's skips. */
  @Test
  void skippedDaysAreCountedPerPortfolioFromTheDays() {
    LocalDate t = START;
    DayResult one = new DayResult(t, List.of(day("A", 0, false)),
        List.of(new SkippedDay("B", t, SkippedDay.Category.NO_MARKET, "none")));
    DayResult two = new DayResult(t.plusDays(1), List.of(),
        List.of(new SkippedDay("A", t.plusDays(1), SkippedDay.Category.DATA_ERROR, "x"),
            new SkippedDay("B", t.plusDays(1), SkippedDay.Category.NO_MARKET, "none")));
    assertEquals(Map.of("A", 1L, "B", 2L), PanelStatistics.skippedByPortfolio(List.of(one, two)));
    List<SummaryLine> lines = PanelStatistics.summarize(List.of(one, two), SPEC);
    assertEquals(1, lines.get(0).skippedDays());
    assertEquals(3, lines.get(1).skippedDays());
  }

  private static double a(int day) {
    return 1_000 + 10.0 * day + 2_600;
  }
}
