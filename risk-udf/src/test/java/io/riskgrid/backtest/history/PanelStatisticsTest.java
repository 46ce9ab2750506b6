package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.BacktestSummarizer;
import io.riskgrid.backtest.BacktestSummary;
import io.riskgrid.backtest.BreachDay;
import io.riskgrid.backtest.BreachSeries;
import io.riskgrid.backtest.KupiecPof;
import io.riskgrid.backtest.MarginSeries;
import io.riskgrid.backtest.TrafficLightZone;
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
    List<SummaryLine> lines = PanelStatistics.summarize(observations(), SPEC);
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
    List<SummaryLine> lines = PanelStatistics.summarize(observations(), SPEC);
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

  private static double a(int day) {
    return 1_000 + 10.0 * day + 2_600;
  }
}
