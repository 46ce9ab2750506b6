package io.riskgrid.backtest.history;

import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.BacktestSummarizer;
import io.riskgrid.backtest.BacktestSummary;
import io.riskgrid.backtest.BreachDay;
import io.riskgrid.backtest.BreachSeries;
import io.riskgrid.backtest.DateShareCoverage;
import io.riskgrid.backtest.LikelihoodRatioTest;
import io.riskgrid.backtest.MarginSeries;
import io.riskgrid.backtest.PooledBacktest;
import io.riskgrid.backtest.Procyclicality;
import io.riskgrid.backtest.ProcyclicalityBuffer;
import io.riskgrid.backtest.ProcyclicalityMetrics;
import io.riskgrid.backtest.RejectionDirection;
import io.riskgrid.backtest.TrafficLight;
import io.riskgrid.backtest.TrafficLightResult;
import io.riskgrid.backtest.TrafficLightZone;
import io.riskgrid.backtest.TransitionCounts;
import io.riskgrid.backtest.WindowCounting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code backtest_summary} rows of a run, with the calculators of {@code io.riskgrid.backtest} (DESIGN
 * §3.6): {@link BacktestSummarizer#summarize} per portfolio and {@link BacktestSummarizer#pool} for ALL.
 *
 * <p>Procyclicality is measured on IM in USD: per portfolio on its own IM_t (× S_t for coin accounts); for
 * ALL on A_t = Σ IM_t of the panel in USD, over the dates on which every portfolio was observed (so that A
 * never jumps because a portfolio is missing); each row names the first and last date of its series and how many
 * dates it has. Dates with an IM of 0 are left out of the ratios; with none left, the figures are null. ALL's
 * traffic light is the worst last zone of the portfolios; its red windows count distinct windows, by their last
 * date, in which some portfolio is red ({@code redPortfolioWindows} keeps the sum over portfolios); its average IM
 * is the sum of the portfolios' averages. Every p-value carries its {@link RejectionDirection} at the spec's
 * significance.
 */
public final class PanelStatistics {
  /** The {@code portfolio_id} of the pooled row. */
  public static final String ALL = "ALL";

  private PanelStatistics() {}

  /**
   * A portfolio's summary, its row, and the last dates (epoch days) of its red traffic-light windows.
   */
  public record PortfolioResult(BacktestSummary summary, SummaryLine line, Set<Long> redWindowEnds) {}

  /** Every row of a run, portfolios in id order then ALL, from its days (observations and skips). */
  public static List<SummaryLine> summarize(List<DayResult> days, BacktestSpec spec) {
    return summarize(days, spec, WindowCounting.OVERLAPPING);
  }

  /** Every row of a run from its days, counting breaches over the days {@code counting} keeps. */
  public static List<SummaryLine> summarize(List<DayResult> days, BacktestSpec spec, WindowCounting counting) {
    List<PortfolioSeries> series = new ArrayList<>();
    byPortfolio(DailyBacktest.observations(days)).forEach((id, list) -> series.add(PortfolioSeries.of(id, list)));
    return summarizeSeries(series, skippedByPortfolio(days), spec, counting);
  }

  private static Map<String, List<Observation>> byPortfolio(List<Observation> observations) {
    Map<String, List<Observation>> byPortfolio = new TreeMap<>();
    for (Observation o : observations) {
      byPortfolio.computeIfAbsent(o.portfolioId(), k -> new ArrayList<>()).add(o);
    }
    return byPortfolio;
  }

  /**
   * Every row of a run, portfolios in id order then ALL, from all its observations and the number of skipped
   * (portfolio, t) of each portfolio (a portfolio absent from the map skipped none).
   */
  public static List<SummaryLine> summarize(List<Observation> observations, Map<String, Long> skippedByPortfolio,
      BacktestSpec spec) {
    List<PortfolioSeries> series = new ArrayList<>();
    byPortfolio(observations).forEach((id, list) -> series.add(PortfolioSeries.of(id, list)));
    return summarizeSeries(series, skippedByPortfolio, spec, WindowCounting.OVERLAPPING);
  }

  /**
   * Every row of a run from each observed portfolio's series (at least one), portfolios in id order then ALL.
   *
   * @param skippedByPortfolio skipped (portfolio, t) per portfolio id, observed or not; ALL sums them all
   * @param counting           the days the breach statistics count (see {@link WindowCounting})
   */
  public static List<SummaryLine> summarizeSeries(List<PortfolioSeries> series, Map<String, Long> skippedByPortfolio,
      BacktestSpec spec, WindowCounting counting) {
    return summarizeSeries(series, skippedByPortfolio, spec, counting, Map.of());
  }

  /**
   * As above, with a pooled row per group between the portfolios and ALL: {@code ALL:<group>} pools the portfolios
   * whose id {@code groupOf} maps to that group (a book backtest groups accounts by margin currency), exactly as ALL
   * pools them all, in group order. Without groups there are none.
   *
   * @param groupOf the group of every portfolio id, observed or not (those it lacks belong to no group)
   */
  public static List<SummaryLine> summarizeSeries(List<PortfolioSeries> series, Map<String, Long> skippedByPortfolio,
      BacktestSpec spec, WindowCounting counting, Map<String, String> groupOf) {
    List<PortfolioSeries> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparing(PortfolioSeries::portfolioId));
    List<PortfolioResult> results = new ArrayList<>();
    List<PortfolioSeries> counted = new ArrayList<>();
    for (PortfolioSeries s : sorted) {
      results.add(portfolio(s, skippedByPortfolio.getOrDefault(s.portfolioId(), 0L), spec, counting));
      counted.add(s.counted(counting, spec.transitionStep()));
    }
    List<SummaryLine> lines = new ArrayList<>();
    results.forEach(r -> lines.add(r.line()));
    for (String group : new TreeSet<>(groupOf.values())) {
      List<PortfolioResult> inGroup = new ArrayList<>();
      List<PortfolioSeries> seriesInGroup = new ArrayList<>();
      List<PortfolioSeries> countedInGroup = new ArrayList<>();
      for (int i = 0; i < sorted.size(); i++) {
        if (group.equals(groupOf.get(sorted.get(i).portfolioId()))) {
          inGroup.add(results.get(i));
          seriesInGroup.add(sorted.get(i));
          countedInGroup.add(counted.get(i));
        }
      }
      long skipped = 0;
      for (Map.Entry<String, Long> e : skippedByPortfolio.entrySet()) {
        skipped += group.equals(groupOf.get(e.getKey())) ? e.getValue() : 0;
      }
      if (!inGroup.isEmpty()) {
        lines.add(pooled(groupRowId(group), inGroup, panelImUsd(seriesInGroup), breachesByDate(countedInGroup), skipped,
            spec));
      }
    }
    long skippedInAll = skippedByPortfolio.values().stream().mapToLong(Long::longValue).sum();
    lines.add(all(results, panelImUsd(sorted), breachesByDate(counted), skippedInAll, spec));
    return List.copyOf(lines);
  }

  /** The {@code portfolio_id} of a group's pooled row: {@code ALL:<group>}, e.g. {@code ALL:USD}. */
  public static String groupRowId(String group) {
    return ALL + ":" + group;
  }

  /** Whether a {@code portfolio_id} is a pooled row: ALL or a group's {@code ALL:<group>}. */
  public static boolean isPooled(String portfolioId) {
    return portfolioId.equals(ALL) || portfolioId.startsWith(ALL + ":");
  }

  /** Skipped (portfolio, t) per portfolio id over several days. */
  public static Map<String, Long> skippedByPortfolio(List<DayResult> days) {
    Map<String, Long> counts = new TreeMap<>();
    days.forEach(d -> d.skipped().forEach(s -> counts.merge(s.portfolioId(), 1L, Long::sum)));
    return counts;
  }

  /**
   * One portfolio's statistics (it has at least one observation), with its skipped days in the window. The breach
   * statistics use the days that {@code counting} counts; procyclicality and average IM use every observed day.
   */
  public static PortfolioResult portfolio(PortfolioSeries s, long skippedDays, BacktestSpec spec,
      WindowCounting counting) {
    PortfolioSeries counted = s.counted(counting, spec.transitionStep());
    List<BreachDay> days = new ArrayList<>(counted.size());
    long imBreaches = 0;
    for (int i = 0; i < counted.size(); i++) {
      days.add(BreachDay.of(counted.epochDays()[i], counted.breachMm()[i]));
      imBreaches += counted.breachIm()[i] ? 1 : 0;
    }
    int n = s.size();
    TreeMap<LocalDate, Double> margin = new TreeMap<>();
    double imSum = 0;
    for (int i = 0; i < n; i++) {
      imSum += s.imUsd()[i];
      if (s.imUsd()[i] > 0) {
        margin.put(s.date(i), s.imUsd()[i]);
      }
    }
    ProcyclicalityMetrics procyclicality = margin.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(margin));
    // The summarizer needs a series even when IM was never positive; its metrics are then not reported.
    BacktestSummary summary = BacktestSummarizer.summarize(s.portfolioId(), BreachSeries.of(days),
        margin.isEmpty() ? MarginSeries.of(Map.of(s.date(0), 1.0)) : MarginSeries.of(margin), spec);
    Directions d = Directions.of(summary.pof(), summary.independence(), summary.conditionalCoverage(),
        summary.breaches(), summary.observations(), summary.transitions(), spec);
    SummaryLine line = new SummaryLine(s.portfolioId(), s.date(0), s.date(n - 1), summary.observations(),
        summary.breaches(), imBreaches, summary.coverage(), summary.pofLr(), summary.pofP(), summary.indLr(),
        summary.indP(), summary.ccLr(), summary.ccP(), summary.lastZone(), summary.redWindows(), peak(procyclicality),
        oneDay(procyclicality), thirtyDays(procyclicality), null, imSum / n, spec.breachProbability(),
        summary.transitions(), d.pof(), d.independence(), d.conditionalCoverage(), skippedDays, summary.redWindows(),
        firstDate(margin), lastDate(margin), margin.size(), null);
    return new PortfolioResult(summary, line, redWindowEnds(counted, spec));
  }

  /** The last date (epoch day) of every red window of the portfolio's traffic light. */
  private static Set<Long> redWindowEnds(PortfolioSeries s, BacktestSpec spec) {
    TrafficLightResult light = TrafficLight.evaluate(s.breachMm(), spec.breachProbability(), spec.trafficLightWindow());
    Set<Long> ends = new TreeSet<>();
    for (int i = 0; i < light.windowCount(); i++) {
      if (light.windowZones().get(i) == TrafficLightZone.RED) {
        ends.add(s.epochDays()[i + light.windowLength() - 1]);
      }
    }
    return ends;
  }

  /**
   * The ALL row from every portfolio's result, the panel's IM in USD by date with how many portfolios it sums, the
   * observed portfolios and breaches by date ({@link #breachesByDate}), and the skipped (portfolio, t) of the whole
   * panel.
   */
  public static SummaryLine all(List<PortfolioResult> portfolios, Map<LocalDate, double[]> panelImUsd,
      Map<LocalDate, long[]> breachesByDate, long skippedDays, BacktestSpec spec) {
    return pooled(ALL, portfolios, panelImUsd, breachesByDate, skippedDays, spec);
  }

  /** A pooled row named {@code id} over {@code portfolios}, as {@link #all} computes ALL. */
  static SummaryLine pooled(String id, List<PortfolioResult> portfolios, Map<LocalDate, double[]> panelImUsd,
      Map<LocalDate, long[]> breachesByDate, long skippedDays, BacktestSpec spec) {
    List<BacktestSummary> summaries = new ArrayList<>();
    Set<Long> redWindowEnds = new TreeSet<>();
    long imBreaches = 0;
    long redWindows = 0;
    double averageIm = 0;
    TrafficLightZone worst = TrafficLightZone.NONE;
    LocalDate from = null;
    LocalDate to = null;
    for (PortfolioResult r : portfolios) {
      summaries.add(r.summary());
      SummaryLine l = r.line();
      imBreaches += l.imBreaches();
      redWindows += l.redWindows();
      redWindowEnds.addAll(r.redWindowEnds());
      averageIm += l.averageImUsd();
      worst = worse(worst, l.lastZone());
      from = from == null || l.fromDate().isBefore(from) ? l.fromDate() : from;
      to = to == null || l.toDate().isAfter(to) ? l.toDate() : to;
    }
    PooledBacktest pooled = BacktestSummarizer.pool(summaries, spec);
    TreeMap<LocalDate, Double> complete = complete(panelImUsd, portfolios.size());
    ProcyclicalityMetrics procyclicality = complete.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(complete));
    Directions d = Directions.of(pooled.pof(), pooled.independence(), pooled.conditionalCoverage(), pooled.breaches(),
        pooled.observations(), pooled.transitions(), spec);
    return new SummaryLine(id, from, to, pooled.observations(), pooled.breaches(), imBreaches, pooled.coverage(),
        pooled.pof().statistic(), pooled.pof().pValue(), pooled.independence().statistic(),
        pooled.independence().pValue(), pooled.conditionalCoverage().statistic(),
        pooled.conditionalCoverage().pValue(), worst, redWindowEnds.size(), peak(procyclicality),
        oneDay(procyclicality), thirtyDays(procyclicality), pooled.kupiecRejectionShare(), averageIm,
        spec.breachProbability(), pooled.transitions(), d.pof(), d.independence(), d.conditionalCoverage(),
        skippedDays, redWindows, firstDate(complete), lastDate(complete), complete.size(),
        dateShare(breachesByDate, spec));
  }

  /** Kupiec on the per-date breach share, which does not assume independent portfolios. */
  private static DateShareLine dateShare(Map<LocalDate, long[]> breachesByDate, BacktestSpec spec) {
    long[] observed = new long[breachesByDate.size()];
    long[] breaches = new long[breachesByDate.size()];
    int i = 0;
    for (long[] observedAndBreaches : breachesByDate.values()) {
      observed[i] = observedAndBreaches[0];
      breaches[i++] = observedAndBreaches[1];
    }
    DateShareCoverage.Result r = DateShareCoverage.test(observed, breaches, spec.breachProbability());
    return new DateShareLine(r.dates(), r.breachShares(), r.test().statistic(), r.test().pValue(),
        RejectionDirection.ofCoverage(r.test(), spec.significance(), r.breachRate(), spec.breachProbability()));
  }

  /** The portfolios observed and those that breached MM, by date. */
  static Map<LocalDate, long[]> breachesByDate(List<PortfolioSeries> series) {
    Map<LocalDate, long[]> panel = new TreeMap<>();
    for (PortfolioSeries s : series) {
      for (int i = 0; i < s.size(); i++) {
        long[] observedAndBreaches = panel.computeIfAbsent(s.date(i), d -> new long[2]);
        observedAndBreaches[0]++;
        observedAndBreaches[1] += s.breachMm()[i] ? 1 : 0;
      }
    }
    return panel;
  }

  /** Which way each of a row's three tests rejects at the spec's significance. */
  private record Directions(RejectionDirection pof, RejectionDirection independence,
      RejectionDirection conditionalCoverage) {
    static Directions of(LikelihoodRatioTest pof, LikelihoodRatioTest independence, LikelihoodRatioTest cc,
        long breaches, long observations, TransitionCounts transitions, BacktestSpec spec) {
      double rate = (double) breaches / observations;
      double p = spec.breachProbability();
      return new Directions(RejectionDirection.ofCoverage(pof, spec.significance(), rate, p),
          RejectionDirection.ofIndependence(independence, spec.significance(), transitions),
          RejectionDirection.ofConditionalCoverage(cc, spec.significance(), rate, p, transitions));
    }
  }

  private static LocalDate firstDate(TreeMap<LocalDate, Double> series) {
    return series.isEmpty() ? null : series.firstKey();
  }

  private static LocalDate lastDate(TreeMap<LocalDate, Double> series) {
    return series.isEmpty() ? null : series.lastKey();
  }

  /** A_t = Σ IM_t in USD on the dates every one of {@code portfolios} was observed with A_t &gt; 0. */
  private static TreeMap<LocalDate, Double> complete(Map<LocalDate, double[]> panelImUsd, int portfolios) {
    TreeMap<LocalDate, Double> complete = new TreeMap<>();
    panelImUsd.forEach((date, sumAndCount) -> {
      if (sumAndCount[1] == portfolios && sumAndCount[0] > 0) {
        complete.put(date, sumAndCount[0]);
      }
    });
    return complete;
  }

  /**
   * The anti-procyclicality buffer on ALL's margin series (§7.7): A_t = Σ IM_t in USD over the dates every portfolio
   * was observed, as posted with buffer b ({@link ProcyclicalityBuffer}), with its procyclicality and its cost;
   * null when no such date has a positive A_t.
   *
   * @param series every observed portfolio's series
   * @param buffer b ≥ 0, the policy's {@code anti_procyclicality.buffer}
   */
  public static ToolEffect bufferEffect(List<PortfolioSeries> series, double buffer) {
    TreeMap<LocalDate, Double> complete = complete(panelImUsd(series), series.size());
    if (complete.isEmpty()) {
      return null;
    }
    MarginSeries required = MarginSeries.of(complete);
    return effect(buffer, required, ProcyclicalityBuffer.posted(required, buffer));
  }

  /**
   * The stressed floor on ALL's margin series (§7.7): on the same dates as A_t, Σ max(IM_t, f × IM_t under the
   * stressed window) in USD, with its procyclicality and its cost; null when A_t has no date or a stressed IM is
   * unknown (an observation built without one).
   *
   * @param series every observed portfolio's series
   * @param floor  f ≥ 0, the policy's {@code anti_procyclicality.stressed_floor}
   */
  public static ToolEffect floorEffect(List<PortfolioSeries> series, double floor) {
    TreeMap<LocalDate, Double> complete = complete(panelImUsd(series), series.size());
    Map<LocalDate, Double> floored = new TreeMap<>();
    for (PortfolioSeries s : series) {
      for (int i = 0; i < s.size(); i++) {
        if (complete.containsKey(s.date(i))) {
          if (Double.isNaN(s.stressedImUsd()[i])) {
            return null;
          }
          floored.merge(s.date(i), Math.max(s.imUsd()[i], floor * s.stressedImUsd()[i]), Double::sum);
        }
      }
    }
    return complete.isEmpty() ? null : effect(floor, MarginSeries.of(complete), MarginSeries.of(floored));
  }

  private static ToolEffect effect(double parameter, MarginSeries required, MarginSeries withTool) {
    ProcyclicalityMetrics m = Procyclicality.measure(withTool);
    return new ToolEffect(parameter, m.peakToTrough(), oneDay(m), thirtyDays(m),
        ProcyclicalityBuffer.marginCost(required, withTool));
  }

  /** Σ IM_t in USD by date and the number of portfolios observed that date. */
  static Map<LocalDate, double[]> panelImUsd(List<PortfolioSeries> series) {
    Map<LocalDate, double[]> panel = new TreeMap<>();
    for (PortfolioSeries s : series) {
      for (int i = 0; i < s.size(); i++) {
        double[] sumAndCount = panel.computeIfAbsent(s.date(i), d -> new double[2]);
        sumAndCount[0] += s.imUsd()[i];
        sumAndCount[1] += 1;
      }
    }
    return panel;
  }

  /** RED over YELLOW over GREEN over NONE. */
  static TrafficLightZone worse(TrafficLightZone a, TrafficLightZone b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(TrafficLightZone z) {
    return switch (z) {
      case NONE -> 0;
      case GREEN -> 1;
      case YELLOW -> 2;
      case RED -> 3;
    };
  }

  private static Double peak(ProcyclicalityMetrics p) {
    return p == null ? null : p.peakToTrough();
  }

  private static Double oneDay(ProcyclicalityMetrics p) {
    return p == null || Double.isNaN(p.maxOneDayIncrease()) ? null : p.maxOneDayIncrease();
  }

  private static Double thirtyDays(ProcyclicalityMetrics p) {
    return p == null || Double.isNaN(p.maxThirtyDayIncrease()) ? null : p.maxThirtyDayIncrease();
  }
}
