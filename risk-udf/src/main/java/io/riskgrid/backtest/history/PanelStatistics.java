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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code backtest_summary} rows of a run, with the calculators of {@code io.riskgrid.backtest} (DESIGN
 * §3.6): {@link BacktestSummarizer#summarize} per portfolio and {@link BacktestSummarizer#pool} for ALL.
 *
 * <p>Procyclicality is measured on IM in USD: per portfolio on its own IM_t (× S_t for coin accounts); for
 * ALL on A_t = Σ IM_t of the panel in USD, over the dates on which every portfolio was observed (so that A
 * never jumps because a portfolio is missing). Dates with an IM of 0 are left out of the ratios; with none
 * left, the figures are null. ALL's traffic light is the worst last zone of the portfolios and its red
 * windows their sum; its average IM is the sum of the portfolios' averages.
 */
public final class PanelStatistics {
  /** The {@code portfolio_id} of the pooled row. */
  public static final String ALL = "ALL";

  private PanelStatistics() {}

  /** A portfolio's summary, and its row. */
  public record PortfolioResult(BacktestSummary summary, SummaryLine line) {}

  /** Every row of a run, portfolios in id order then ALL, from all its observations. */
  public static List<SummaryLine> summarize(List<Observation> observations, BacktestSpec spec) {
    Map<String, List<Observation>> byPortfolio = new TreeMap<>();
    for (Observation o : observations) {
      byPortfolio.computeIfAbsent(o.portfolioId(), k -> new ArrayList<>()).add(o);
    }
    List<PortfolioSeries> series = new ArrayList<>();
    byPortfolio.forEach((id, list) -> series.add(PortfolioSeries.of(id, list)));
    return summarizeSeries(series, spec);
  }

  /** Every row of a run from each observed portfolio's series (at least one), portfolios in id order then ALL. */
  public static List<SummaryLine> summarizeSeries(List<PortfolioSeries> series, BacktestSpec spec) {
    List<PortfolioSeries> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparing(PortfolioSeries::portfolioId));
    List<PortfolioResult> results = new ArrayList<>();
    sorted.forEach(s -> results.add(portfolio(s, spec)));
    List<SummaryLine> lines = new ArrayList<>();
    results.forEach(r -> lines.add(r.line()));
    lines.add(all(results, panelImUsd(sorted), spec));
    return List.copyOf(lines);
  }

  /** One portfolio's statistics (it has at least one observation). */
  public static PortfolioResult portfolio(PortfolioSeries s, BacktestSpec spec) {
    int n = s.size();
    List<BreachDay> days = new ArrayList<>(n);
    Map<LocalDate, Double> margin = new TreeMap<>();
    long imBreaches = 0;
    double imSum = 0;
    for (int i = 0; i < n; i++) {
      days.add(BreachDay.of(s.epochDays()[i], s.breachMm()[i]));
      imBreaches += s.breachIm()[i] ? 1 : 0;
      imSum += s.imUsd()[i];
      if (s.imUsd()[i] > 0) {
        margin.put(s.date(i), s.imUsd()[i]);
      }
    }
    ProcyclicalityMetrics procyclicality = margin.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(margin));
    // The summarizer needs a series even when IM was never positive; its metrics are then not reported.
    BacktestSummary summary = BacktestSummarizer.summarize(s.portfolioId(), BreachSeries.of(days),
        margin.isEmpty() ? MarginSeries.of(Map.of(s.date(0), 1.0)) : MarginSeries.of(margin), spec);
    SummaryLine line = new SummaryLine(s.portfolioId(), s.date(0), s.date(n - 1), summary.observations(),
        summary.breaches(), imBreaches, summary.coverage(), summary.pofLr(), summary.pofP(), summary.indLr(),
        summary.indP(), summary.ccLr(), summary.ccP(), summary.lastZone(), summary.redWindows(), peak(procyclicality),
        oneDay(procyclicality), thirtyDays(procyclicality), null, imSum / n);
    return new PortfolioResult(summary, line);
  }

  /** The ALL row from every portfolio's result and the panel's IM in USD by date, with how many portfolios it sums. */
  public static SummaryLine all(List<PortfolioResult> portfolios, Map<LocalDate, double[]> panelImUsd, BacktestSpec spec) {
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
    panelImUsd.forEach((date, sumAndCount) -> {
      if (sumAndCount[1] == portfolios.size() && sumAndCount[0] > 0) {
        complete.put(date, sumAndCount[0]);
      }
    });
    ProcyclicalityMetrics procyclicality = complete.isEmpty() ? null : Procyclicality.measure(MarginSeries.of(complete));
    return new SummaryLine(ALL, from, to, pooled.observations(), pooled.breaches(), imBreaches, pooled.coverage(),
        pooled.pof().statistic(), pooled.pof().pValue(), pooled.independence().statistic(),
        pooled.independence().pValue(), pooled.conditionalCoverage().statistic(),
        pooled.conditionalCoverage().pValue(), worst, redWindows, peak(procyclicality), oneDay(procyclicality),
        thirtyDays(procyclicality), pooled.kupiecRejectionShare(), averageIm);
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
