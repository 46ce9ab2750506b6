package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BacktestSummarizerTest {

  private static final LocalDate START = LocalDate.of(2021, 1, 1);
  private static final BacktestSpec BASEL = BacktestSpec.ofConfidence(0.99, 1);

  /** The whole MATLAB varbacktest example through one summary (see {@link Sources}). */
  @Test
  void summaryReproducesMatlabVarbacktestExample() {
    boolean[] breaches = Sources.matlabLikeSequence();
    BacktestSpec spec = new BacktestSpec(Sources.MATLAB_P, 1, breaches.length, 0.05);

    BacktestSummary summary = BacktestSummarizer.summarize(
        "matlab-normal95", BreachSeries.ofConsecutive(breaches), flatMargin(breaches.length), spec);

    assertEquals(1043, summary.observations());
    assertEquals(57, summary.breaches());
    assertEquals(1 - 57.0 / 1043, summary.coverage(), 1e-15);
    assertEquals(Sources.MATLAB_TRANSITIONS, summary.transitions());
    assertEquals(Sources.MATLAB_POF_LR, summary.pofLr(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_POF_P, summary.pofP(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CCI_LR, summary.indLr(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CCI_P, summary.indP(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CC_LR, summary.ccLr(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CC_P, summary.ccP(), Sources.FIVE_DECIMALS);
    assertEquals(TrafficLightZone.GREEN, summary.lastZone());
    assertEquals(0, summary.redWindows());
    assertEquals(1.0, summary.peakToTrough());
    assertEquals(0.0, summary.max1dIncrease());
    assertEquals(0.0, summary.max30dIncrease());
  }

  @Test
  void summaryComposesTheCalculators() {
    boolean[] breaches = KupiecPofTest.bernoulli(new SplittableRandom(3L), 600, 0.03);
    BreachSeries series = BreachSeries.ofConsecutive(breaches);
    MarginSeries margin = randomWalkMargin(new SplittableRandom(4L), 600);

    BacktestSummary summary = BacktestSummarizer.summarize("p1", series, margin, BASEL);

    TransitionCounts transitions = TransitionCounter.count(breaches);
    TrafficLightResult light = TrafficLight.evaluate(breaches, BASEL.breachProbability());
    assertEquals(transitions, summary.transitions());
    assertEquals(KupiecPof.test(600, series.breachCount(), BASEL.breachProbability()), summary.pof());
    assertEquals(ChristoffersenIndependence.test(transitions), summary.independence());
    assertEquals(summary.pofLr() + summary.indLr(), summary.ccLr(), 1e-15);
    assertEquals(light.lastZone(), summary.lastZone());
    assertEquals(light.redWindows(), summary.redWindows());
    assertEquals(Procyclicality.measure(margin), summary.procyclicality());
  }

  @Test
  void policyConfidenceGivesBaselSpec() {
    assertEquals(0.01, BASEL.breachProbability(), 1e-15);
    assertEquals(250, BASEL.trafficLightWindow());
    assertEquals(0.05, BASEL.significance());
    assertThrows(IllegalArgumentException.class, () -> BacktestSpec.ofConfidence(1.0, 1));
    assertThrows(IllegalArgumentException.class, () -> BacktestSpec.of(0.01, 0));
  }

  @Test
  void shortHistoryHasNoTrafficLightWindow() {
    boolean[] breaches = new boolean[100];
    breaches[50] = true;

    BacktestSummary summary = BacktestSummarizer.summarize(
        "young", BreachSeries.ofConsecutive(breaches), flatMargin(100), BASEL);

    assertEquals(TrafficLightZone.NONE, summary.lastZone());
    assertEquals(0, summary.redWindows());
    assertEquals(0.99, summary.coverage(), 1e-15);
  }

  /** A 3-day horizon: Kupiec uses every observed day, independence every third, gaps skipped. */
  @Test
  void multiDayHorizonTestsIndependenceOnEveryHthDay() {
    List<BreachDay> days = new ArrayList<>();
    for (int day = 0; day < 300; day++) {
      if (day % 50 != 49) { // a missing day every 50
        days.add(BreachDay.of(START.plusDays(day), day % 37 == 0 || day % 37 == 1));
      }
    }
    BreachSeries series = BreachSeries.of(days);
    BacktestSpec spec = BacktestSpec.of(0.01, 3);

    BacktestSummary summary =
        BacktestSummarizer.summarize("h3", series, flatMargin(10), spec);

    assertEquals(series.size(), summary.observations());
    assertEquals(series.breachCount(), summary.breaches());
    assertEquals(TransitionCounter.count(series, 3), summary.transitions());
    assertTrue(summary.transitions().total() < series.size() / 3);
  }

  @Test
  void rejectsAPortfolioWithoutObservations() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BacktestSummarizer.summarize("empty-7", BreachSeries.of(List.of()), flatMargin(1), BASEL));
    assertTrue(error.getMessage().contains("empty-7"), error.getMessage());
  }

  @Test
  void summaryValidatesItsFields() {
    BacktestSummary valid = BacktestSummarizer.summarize(
        "ok", BreachSeries.ofConsecutive(new boolean[] {false, true}), flatMargin(2), BASEL);

    assertThrows(IllegalArgumentException.class, () -> new BacktestSummary(
        " ", 2, 1, valid.transitions(), valid.pof(), valid.independence(),
        valid.conditionalCoverage(), valid.lastZone(), 0, valid.procyclicality()));
    assertThrows(IllegalArgumentException.class, () -> new BacktestSummary(
        "ok", 2, 1, TransitionCounts.of(1, 1, 0, 0), valid.pof(), valid.independence(),
        valid.conditionalCoverage(), valid.lastZone(), 0, valid.procyclicality()));
    assertThrows(IllegalArgumentException.class, () -> new BacktestSummary(
        "ok", 2, 1, valid.transitions(), valid.pof(), valid.independence(),
        valid.pof(), valid.lastZone(), 0, valid.procyclicality()));
  }

  @Test
  void poolsCountsAndTransitionsOverPortfolios() {
    BacktestSummary first = BacktestSummarizer.summarize("a",
        BreachSeries.ofConsecutive(new boolean[] {false, true, true, false}), flatMargin(4), BASEL);
    BacktestSummary second = BacktestSummarizer.summarize("b",
        BreachSeries.ofConsecutive(new boolean[] {false, false, true}), flatMargin(3), BASEL);

    PooledBacktest pooled = BacktestSummarizer.pool(List.of(first, second), BASEL);

    assertEquals(2, pooled.portfolios());
    assertEquals(7, pooled.observations());
    assertEquals(3, pooled.breaches());
    assertEquals(1 - 3.0 / 7, pooled.coverage(), 1e-15);
    // a: Q→B, B→B, B→Q; b: Q→Q, Q→B. No pair joins the two portfolios.
    assertEquals(TransitionCounts.of(1, 2, 1, 1), pooled.transitions());
    assertEquals(KupiecPof.test(7, 3, BASEL.breachProbability()), pooled.pof());
    assertEquals(ChristoffersenIndependence.test(pooled.transitions()), pooled.independence());
    assertEquals(2, pooled.kupiecRejections());
    assertEquals(1.0, pooled.kupiecRejectionShare());
  }

  /**
   * A panel of 200 portfolios from a fixed seed: with a correct 99% margin few are rejected by
   * Kupiec at 5%; with a margin breached 10% of the time all are, and the pooled test too.
   */
  @Test
  void pooledRejectionShareSeparatesCorrectFromTooLowMargins() {
    SplittableRandom random = new SplittableRandom(2026L);
    List<BacktestSummary> correct = new ArrayList<>();
    List<BacktestSummary> tooLow = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      MarginSeries margin = randomWalkMargin(random, 500);
      correct.add(BacktestSummarizer.summarize("ok-" + i, BreachSeries.ofConsecutive(
          KupiecPofTest.bernoulli(random, 500, 0.01)), margin, BASEL));
      tooLow.add(BacktestSummarizer.summarize("low-" + i, BreachSeries.ofConsecutive(
          KupiecPofTest.bernoulli(random, 500, 0.10)), margin, BASEL));
    }

    PooledBacktest pooledCorrect = BacktestSummarizer.pool(correct, BASEL);
    PooledBacktest pooledTooLow = BacktestSummarizer.pool(tooLow, BASEL);

    assertTrue(pooledCorrect.kupiecRejectionShare() <= 0.10,
        "share " + pooledCorrect.kupiecRejectionShare());
    assertFalse(pooledCorrect.pof().rejectsAt(0.05), "pooled p " + pooledCorrect.pof().pValue());
    assertEquals(1.0, pooledTooLow.kupiecRejectionShare());
    assertTrue(pooledTooLow.pof().rejectsAt(0.05));
    assertTrue(tooLow.stream().allMatch(summary -> summary.lastZone() == TrafficLightZone.RED));
  }

  @Test
  void rejectsAnEmptyPool() {
    assertThrows(IllegalArgumentException.class, () -> BacktestSummarizer.pool(List.of(), BASEL));
  }

  private static MarginSeries flatMargin(int days) {
    List<LocalDate> dates = new ArrayList<>();
    double[] values = new double[days];
    for (int day = 0; day < days; day++) {
      dates.add(START.plusDays(day));
      values[day] = 1_000_000.0;
    }
    return MarginSeries.of(dates, values);
  }

  private static MarginSeries randomWalkMargin(SplittableRandom random, int days) {
    List<LocalDate> dates = new ArrayList<>();
    double[] values = new double[days];
    double margin = 1_000_000.0;
    for (int day = 0; day < days; day++) {
      margin *= Math.exp(0.03 * (random.nextDouble() - 0.5));
      dates.add(START.plusDays(day));
      values[day] = margin;
    }
    return MarginSeries.of(dates, values);
  }
}
