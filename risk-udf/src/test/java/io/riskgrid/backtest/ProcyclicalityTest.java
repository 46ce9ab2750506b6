package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcyclicalityTest {

  private static final LocalDate D0 = LocalDate.of(2022, 5, 1);

  @Test
  void consecutiveDays() {
    MarginSeries margin = series(new int[] {0, 1, 2, 3}, new double[] {100, 110, 99, 120});

    ProcyclicalityMetrics metrics = Procyclicality.measure(margin);

    assertEquals(120.0 / 99.0, metrics.peakToTrough(), 1e-15);
    assertEquals(120.0 / 99.0 - 1, metrics.maxOneDayIncrease(), 1e-15);
    assertEquals(3, metrics.oneDayPairs());
    assertTrue(Double.isNaN(metrics.maxThirtyDayIncrease()));
    assertEquals(0, metrics.thirtyDayPairs());
  }

  @Test
  void aMissingDayIsNeverBridged() {
    // Day 2 is missing: the jump from 101 (day 1) to 200 (day 3) is not a 1-day increase.
    MarginSeries margin = series(new int[] {0, 1, 3}, new double[] {100, 101, 200});

    ProcyclicalityMetrics metrics = Procyclicality.measure(margin);

    assertEquals(0.01, metrics.maxOneDayIncrease(), 1e-15);
    assertEquals(1, metrics.oneDayPairs());
    assertEquals(2.0, metrics.peakToTrough(), 1e-15);
  }

  @Test
  void withoutConsecutiveDatesTheOneDayIncreaseIsNaN() {
    MarginSeries margin = series(new int[] {0, 2, 4}, new double[] {100, 150, 90});

    ProcyclicalityMetrics metrics = Procyclicality.measure(margin);

    assertTrue(Double.isNaN(metrics.maxOneDayIncrease()));
    assertEquals(0, metrics.oneDayPairs());
  }

  @Test
  void aFallingMarginHasANegativeLargestIncrease() {
    MarginSeries margin = series(new int[] {0, 1, 2}, new double[] {100, 90, 81});

    assertEquals(-0.1, Procyclicality.measure(margin).maxOneDayIncrease(), 1e-15);
  }

  @Test
  void thirtyDayIncreaseUsesExactlyThirtyCalendarDays() {
    // Days 0..39 with days 12 and 33 missing. Pairs (t − 30, t) exist for t = 30..39 except
    // t = 33, which is missing; day 12 would pair only with day 42, beyond the series: 9 pairs.
    List<Integer> days = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int day = 0; day < 40; day++) {
      if (day != 12 && day != 33) {
        days.add(day);
        values.add(100.0 + day + (day == 5 ? -20 : 0) + (day == 35 ? 30 : 0));
      }
    }
    MarginSeries margin = series(
        days.stream().mapToInt(Integer::intValue).toArray(),
        values.stream().mapToDouble(Double::doubleValue).toArray());

    ProcyclicalityMetrics metrics = Procyclicality.measure(margin);

    // Day 35 (165) over day 5 (85) is the largest 30-day ratio.
    assertEquals(165.0 / 85.0 - 1, metrics.maxThirtyDayIncrease(), 1e-15);
    assertEquals(9, metrics.thirtyDayPairs());
    assertEquals(metrics.maxThirtyDayIncrease(), Procyclicality.largestIncrease(margin, 30));
  }

  @Test
  void thirtyDayIncreaseAgreesWithABruteForceScan() {
    Map<LocalDate, Double> byDate = new HashMap<>();
    for (int day = 0; day < 120; day++) {
      if (day % 7 != 3) {
        byDate.put(D0.plusDays(day), 50 + 30 * Math.sin(day / 9.0) + day * 0.2);
      }
    }
    MarginSeries margin = MarginSeries.of(byDate);

    double expected = Double.NEGATIVE_INFINITY;
    for (Map.Entry<LocalDate, Double> later : byDate.entrySet()) {
      Double earlier = byDate.get(later.getKey().minusDays(30));
      if (earlier != null) {
        expected = Math.max(expected, later.getValue() / earlier - 1);
      }
    }

    assertEquals(expected, Procyclicality.measure(margin).maxThirtyDayIncrease(), 1e-15);
  }

  @Test
  void aSingleDateHasPeakToTroughOneAndNoIncreases() {
    ProcyclicalityMetrics metrics = Procyclicality.measure(series(new int[] {0}, new double[] {5}));

    assertEquals(1.0, metrics.peakToTrough());
    assertTrue(Double.isNaN(metrics.maxOneDayIncrease()));
    assertTrue(Double.isNaN(metrics.maxThirtyDayIncrease()));
  }

  @Test
  void mapInputIsSortedByDate() {
    Map<LocalDate, Double> byDate = new HashMap<>();
    byDate.put(D0.plusDays(2), 130.0);
    byDate.put(D0, 100.0);
    byDate.put(D0.plusDays(1), 120.0);

    MarginSeries margin = MarginSeries.of(byDate);

    assertEquals(D0, margin.date(0));
    assertEquals(0.2, Procyclicality.measure(margin).maxOneDayIncrease(), 1e-15);
  }

  @Test
  void rejectsNonPositiveOrNonFiniteMargins() {
    for (double bad : new double[] {0.0, -1.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> series(new int[] {0, 1}, new double[] {100, bad}));
      assertTrue(error.getMessage().contains(D0.plusDays(1).toString()), error.getMessage());
    }
  }

  @Test
  void rejectsEmptyUnsortedDuplicateOrMismatchedSeries() {
    assertThrows(IllegalArgumentException.class, () -> MarginSeries.of(List.of(), new double[0]));
    assertThrows(IllegalArgumentException.class,
        () -> series(new int[] {1, 0}, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> series(new int[] {0, 0}, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> MarginSeries.of(List.of(D0), new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Procyclicality.largestIncrease(series(new int[] {0}, new double[] {1}), 0));
  }

  private static MarginSeries series(int[] dayOffsets, double[] values) {
    List<LocalDate> dates = new ArrayList<>();
    for (int offset : dayOffsets) {
      dates.add(D0.plusDays(offset));
    }
    return MarginSeries.of(dates, values);
  }
}
