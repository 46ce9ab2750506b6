package io.riskgrid.backtest.history;

import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.BacktestSummarizer;
import io.riskgrid.backtest.BacktestSummary;
import io.riskgrid.backtest.BreachDay;
import io.riskgrid.backtest.BreachSeries;
import io.riskgrid.backtest.MarginSeries;
import io.riskgrid.backtest.PooledBacktest;
import io.riskgrid.backtest.Procyclicality;
import io.riskgrid.backtest.ProcyclicalityMetrics;
import io.riskgrid.backtest.TrafficLightZone;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code backtest_summary} rows of a run, from its observations, with the calculators of
 * {@code io.riskgrid.backtest} (DESIGN §3.6). Split in two so that a Spark job can compute each portfolio's
 * statistics where its observations are ({@link #portfolio}) and pool the small results on the driver
 * ({@link #all}); {@link #summarize} does both in memory.
 *
 * <p>Procyclicality is measured on IM in USD: per portfolio on its own IM_t × (S_t for coin accounts); for
 * ALL on A_t = Σ IM_t of the panel in USD, over the dates on which every portfolio was observed (so that A
 * never jumps because a portfolio is missing). Dates with a margin of 0 are left out of the ratios.
 */
public final class PanelStatistics {
  /** The {@code portfolio_id} of the pooled row. */
  public static final String ALL = "ALL";

  private PanelStatistics() {}

  /** A portfolio's summary, and its row. */
  public record PortfolioResult(BacktestSummary summary, SummaryLine line) implements Serializable {}

  /** Σ IM_t in USD over the portfolios observed on a date, and how many they were. */
  public record PanelMargin(double imUsd, int portfolios) implements Serializable {
    public PanelMargin plus(PanelMargin other) {
      return new PanelMargin(imUsd + other.imUsd, portfolios + other.portfolios);
    }
  }

  /** Every row of a run, portfolios in id order then ALL, from all its observations. */
  public static List<SummaryLine> summarize(List<Observation> observations, BacktestSpec spec) {
    Map<String, List<Observation>> byPortfolio = new TreeMap<>();
    Map<LocalDate, PanelMargin> panel = new TreeMap<>();
    for (Observation o : observations) {
      byPortfolio.computeIfAbsent(o.portfolioId(), k -> new ArrayList<>()).add(o);
      panel.merge(o.date(), new PanelMargin(o.imUsd(), 1), PanelMargin::plus);
    }
    List<PortfolioResult> results = new ArrayList<>();
    byPortfolio.forEach((id, list) -> results.add(portfolio(id, list, spec)));
    List<SummaryLine> lines = new ArrayList<>();
    results.forEach(r -> lines.add(r.line()));
    lines.add(all(results, panel, spec));
    return lines;
  }

  /** One portfolio's statistics from its observations, in any order (at least one). */
  public static PortfolioResult portfolio(String portfolioId, Iterable<Observation> observations, BacktestSpec spec) {
    List<Observation> sorted = new ArrayList<>();
    observations.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Observation::date));
    List<BreachDay> days = new ArrayList<>(sorted.size());
    Map<LocalDate, Double> margin = new TreeMap<>();
    long imBreaches = 0;
    double imSum = 0;
    for (Observation o : sorted) {
      days.add(BreachDay.of(o.date(), o.breachMm()));
      imBreaches += o.breachIm() ? 1 : 0;
      imSum += o.imUsd();
      if (o.imUsd() > 0) {
        margin.put(o.date(), o.imUsd());
      }
    }
    ProcyclicalityMetrics procyclicality = margin.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(margin));
    // The summarizer needs a series even when IM was never positive; its metrics are then not reported.
    BacktestSummary s = BacktestSummarizer.summarize(portfolioId, BreachSeries.of(days),
        margin.isEmpty() ? MarginSeries.of(Map.of(sorted.get(0).date(), 1.0)) : MarginSeries.of(margin), spec);
    SummaryLine line = new SummaryLine(portfolioId, sorted.get(0).date(), sorted.get(sorted.size() - 1).date(),
        s.observations(), s.breaches(), imBreaches, s.coverage(), s.pofLr(), s.pofP(), s.indLr(), s.indP(), s.ccLr(),
        s.ccP(), s.lastZone(), s.redWindows(), peak(procyclicality), oneDay(procyclicality), thirtyDays(procyclicality),
        null, imSum / sorted.size());
    return new PortfolioResult(s, line);
  }

  /** The ALL row from every portfolio's result and the panel's IM in USD by date. */
  public static SummaryLine all(List<PortfolioResult> portfolios, Map<LocalDate, PanelMargin> panelMargin,
      BacktestSpec spec) {
    List<BacktestSummary> summaries = new ArrayList<>();
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
      averageIm += l.averageImUsd();
      worst = worse(worst, l.lastZone());
      from = from == null || l.fromDate().isBefore(from) ? l.fromDate() : from;
      to = to == null || l.toDate().isAfter(to) ? l.toDate() : to;
    }
    PooledBacktest pooled = BacktestSummarizer.pool(summaries, spec);
    Map<LocalDate, Double> complete = new TreeMap<>();
    panelMargin.forEach((date, m) -> {
      if (m.portfolios() == portfolios.size() && m.imUsd() > 0) {
        complete.put(date, m.imUsd());
      }
    });
    ProcyclicalityMetrics procyclicality = complete.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(complete));
    return new SummaryLine(ALL, from, to, pooled.observations(), pooled.breaches(), imBreaches, pooled.coverage(),
        pooled.pof().statistic(), pooled.pof().pValue(), pooled.independence().statistic(),
        pooled.independence().pValue(), pooled.conditionalCoverage().statistic(),
        pooled.conditionalCoverage().pValue(), worst, redWindows, peak(procyclicality), oneDay(procyclicality),
        thirtyDays(procyclicality), pooled.kupiecRejectionShare(), averageIm);
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
