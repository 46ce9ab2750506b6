package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.riskgrid.InvalidInputException;
import io.riskgrid.backtest.BacktestSpec;
import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.instrument.Settlement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A book backtest's pooled rows per margin currency: each is ALL over its group's portfolios only. */
class PooledGroupsTest {
  private static final BacktestSpec SPEC = BacktestSpec.ofConfidence(0.99, 1);
  private static final LocalDate START = LocalDate.of(2022, 1, 1);

  /** A and C: USD, breaching every 40th (A) and 25th (C) day; B: a BTC account at S = 20,000 from day 20, none. */
  private static List<Observation> observations(String... ids) {
    List<String> keep = List.of(ids);
    List<Observation> out = new ArrayList<>();
    for (int d = 0; d < 300; d++) {
      double im = 1_000 + 10 * d;
      if (keep.contains("A")) {
        out.add(Observation.of("A", START.plusDays(d), "USD", im / 1.3, im, d % 40 == 3 ? im : 0, VolSource.DVOL, 1));
      }
      if (keep.contains("C")) {
        out.add(Observation.of("C", START.plusDays(d), "USD", 50, 65 + d, d % 25 == 1 ? 55 : 0, VolSource.DVOL, 1));
      }
      if (keep.contains("B") && d >= 20) {
        out.add(Observation.of("B", START.plusDays(d), "BTC", 0.1, 0.13, -0.01, VolSource.REALISED, 20_000));
      }
    }
    return out;
  }

  private static List<PortfolioSeries> series(List<Observation> obs) {
    Map<String, List<Observation>> by = new java.util.TreeMap<>();
    obs.forEach(o -> by.computeIfAbsent(o.portfolioId(), k -> new ArrayList<>()).add(o));
    List<PortfolioSeries> out = new ArrayList<>();
    by.forEach((id, list) -> out.add(PortfolioSeries.of(id, list)));
    return out;
  }

  @Test
  void eachGroupRowIsTheAllRowOfItsPortfoliosAlone() {
    Map<String, String> groups = Map.of("A", "USD", "B", "BTC", "C", "USD", "D", "USD");
    Map<String, Long> skipped = Map.of("A", 2L, "B", 3L, "D", 11L);
    List<SummaryLine> lines = PanelStatistics.summarizeSeries(series(observations("A", "B", "C")), skipped, SPEC,
        WindowCounting.OVERLAPPING, groups);
    assertEquals(List.of("A", "B", "C", "ALL:BTC", "ALL:USD", "ALL"), lines.stream().map(SummaryLine::portfolioId).toList());
    SummaryLine usd = lines.get(4);
    SummaryLine aloneUsd = PanelStatistics.summarizeSeries(series(observations("A", "C")), Map.of("A", 2L, "D", 11L), SPEC,
        WindowCounting.OVERLAPPING).get(2);
    assertEquals(withId(aloneUsd, "ALL:USD"), usd);
    // By hand: A breaches on days 3, 43, ..., 283 (8), C on 1, 26, ..., 276 (12); 600 observations; D skipped 11.
    assertEquals(20, usd.breaches());
    assertEquals(600, usd.observations());
    assertEquals(13, usd.skippedDays());
    SummaryLine btc = lines.get(3);
    assertEquals(0, btc.breaches());
    assertEquals(280, btc.observations());
    assertEquals(3, btc.skippedDays());
    SummaryLine all = lines.get(5);
    assertEquals(880, all.observations());
    assertEquals(16, all.skippedDays());
    assertEquals(lines, PanelStatistics.summarizeSeries(series(observations("A", "B", "C")), skipped, SPEC,
        WindowCounting.OVERLAPPING, groups), "deterministic");
    assertEquals(4, PanelStatistics.summarizeSeries(series(observations("A", "B", "C")), skipped, SPEC,
        WindowCounting.OVERLAPPING).size(), "no groups, no group rows");
  }

  /** A loss that equals MM but for rounding is no breach; one above it by more than 1e-9 relative is. */
  @Test
  void aLossEqualToTheMarginButForItsLastBitsIsNoBreach() {
    double mm = 1.4495195341573124;
    assertEquals(false, Observation.of("X", START, "USD", mm, 2 * mm, mm + 2.2e-13, VolSource.DVOL, 1).breachMm());
    assertEquals(false, Observation.of("X", START, "USD", mm, 2 * mm, mm, VolSource.DVOL, 1).breachMm());
    assertEquals(true, Observation.of("X", START, "USD", mm, 2 * mm, mm * (1 + 2e-9), VolSource.DVOL, 1).breachMm());
    assertEquals(true, Observation.of("X", START, "USD", 0, 0, 1e-300, VolSource.DVOL, 1).breachMm(),
        "any loss over a margin of 0 is a breach");
    assertEquals(true, Observation.revalued("X", START, "USD", 0.5, 0.6, null, 5, 4, VolSource.DVOL, 1, Map.of(),
        Map.of(), Map.of()).breachIm());
  }

  @Test
  void aPortfolioCannotTakeTheIdOfAPooledRow() {
    for (String id : List.of("ALL", "ALL:USD")) {
      assertThrows(InvalidInputException.class, () -> new BacktestPortfolio(id, "", "USD",
          List.of(PanelLeg.perpetual("BTC", Settlement.LINEAR, 1)), List.of()));
    }
  }

  private static SummaryLine withId(SummaryLine l, String id) {
    return new SummaryLine(id, l.fromDate(), l.toDate(), l.observations(), l.breaches(), l.imBreaches(), l.coverage(),
        l.pofLr(), l.pofP(), l.indLr(), l.indP(), l.ccLr(), l.ccP(), l.lastZone(), l.redWindows(), l.peakToTrough(),
        l.max1dIncrease(), l.max30dIncrease(), l.pofRejectedShare(), l.averageImUsd(), l.breachProbability(),
        l.transitions(), l.pofDirection(), l.indDirection(), l.ccDirection(), l.skippedDays(), l.redPortfolioWindows(),
        l.procyclicalityFrom(), l.procyclicalityTo(), l.procyclicalityDays(), l.dateShare());
  }
}
