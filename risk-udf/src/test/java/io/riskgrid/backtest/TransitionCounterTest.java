package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TransitionCounterTest {

  private static final boolean Q = false;
  private static final boolean B = true;

  @Test
  void countsConsecutiveDays() {
    // Q→B, B→B, B→Q, Q→Q, Q→B
    TransitionCounts counts = TransitionCounter.count(new boolean[] {Q, B, B, Q, Q, B});

    assertEquals(TransitionCounts.of(1, 2, 1, 1), counts);
    assertEquals(5, counts.total());
  }

  @Test
  void reproducesMatlabExampleCountsFromItsSequence() {
    TransitionCounts counts = TransitionCounter.count(Sources.matlabLikeSequence());

    assertEquals(Sources.MATLAB_TRANSITIONS, counts);
  }

  @Test
  void emptyAndSingleDaySeriesHaveNoTransitions() {
    assertEquals(TransitionCounts.ZERO, TransitionCounter.count(new boolean[0]));
    assertEquals(TransitionCounts.ZERO, TransitionCounter.count(new boolean[] {B}));
    assertEquals(TransitionCounts.ZERO, TransitionCounter.count(List.of(), 3));
  }

  @Test
  void neverPairsAcrossAGap() {
    // Day 2 is missing: the breach on day 1 and the breach on day 3 are not a B→B pair.
    List<BreachDay> days = List.of(
        BreachDay.of(0, Q), BreachDay.of(1, B), BreachDay.of(3, B), BreachDay.of(4, Q));

    TransitionCounts counts = TransitionCounter.count(days, 1);

    assertEquals(TransitionCounts.of(0, 1, 1, 0), counts);
  }

  @Test
  void countsCalendarDatesAcrossMonthAndYearEnds() {
    LocalDate start = LocalDate.of(2023, 12, 30);
    List<BreachDay> days = List.of(
        BreachDay.of(start, Q),                  // 30 Dec
        BreachDay.of(start.plusDays(1), B),      // 31 Dec
        BreachDay.of(start.plusDays(2), B),      // 1 Jan
        BreachDay.of(start.plusDays(4), Q),      // 3 Jan, after a missing 2 Jan
        BreachDay.of(start.plusDays(5), Q));     // 4 Jan

    TransitionCounts counts = TransitionCounter.count(days, 1);

    assertEquals(TransitionCounts.of(1, 1, 0, 1), counts);
  }

  @Test
  void stepTwoUsesEveryOtherDayFromTheFirstObservedDay() {
    // Breaches on odd days only: the even-day chain 0, 2, 4, 6, 8 never breaches.
    boolean[] breaches = new boolean[10];
    for (int day = 1; day < 10; day += 2) {
      breaches[day] = true;
    }
    BreachSeries series = BreachSeries.ofConsecutive(breaches);

    assertEquals(TransitionCounts.of(4, 0, 0, 0), TransitionCounter.count(series, 2));
    assertEquals(TransitionCounts.of(0, 5, 4, 0), TransitionCounter.count(series, 1));
  }

  @Test
  void stepAnchorsAtTheFirstObservedDayEvenWhenItIsOdd() {
    // Days 1..10: the chain is 1, 3, 5, 7, 9, which all breach.
    List<BreachDay> days = new ArrayList<>();
    for (int day = 1; day <= 10; day++) {
      days.add(BreachDay.of(day, day % 2 == 1));
    }

    assertEquals(TransitionCounts.of(0, 0, 0, 4), TransitionCounter.count(days, 2));
  }

  @Test
  void stepThreeSkipsPairsWhoseDayIsMissing() {
    // Chain 0, 3, 6, 9, 12 with day 6 missing: pairs (0,3) and (9,12) only.
    List<BreachDay> days = new ArrayList<>();
    for (int day = 0; day <= 13; day++) {
      if (day != 6) {
        days.add(BreachDay.of(day, day == 3 || day == 12));
      }
    }

    assertEquals(TransitionCounts.of(0, 2, 0, 0), TransitionCounter.count(days, 3));
  }

  @Test
  void stepLargerThanTheSeriesCountsNothing() {
    assertEquals(TransitionCounts.ZERO, TransitionCounter.count(
        BreachSeries.ofConsecutive(new boolean[] {Q, B, Q}), 5));
  }

  @Test
  void rejectsUnsortedOrDuplicateDaysAndBadStep() {
    IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
        () -> TransitionCounter.count(List.of(BreachDay.of(2, Q), BreachDay.of(1, Q)), 1));
    assertTrue(unsorted.getMessage().contains("observedDays[1]"), unsorted.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TransitionCounter.count(List.of(BreachDay.of(1, Q), BreachDay.of(1, B)), 1));
    assertThrows(IllegalArgumentException.class,
        () -> TransitionCounter.count(new ArrayList<BreachDay>(), 0));
  }

  @Test
  void countsAddUpOverPortfolios() {
    TransitionCounts sum = TransitionCounts.of(1, 2, 3, 4).plus(TransitionCounts.of(10, 20, 30, 40));

    assertEquals(TransitionCounts.of(11, 22, 33, 44), sum);
    assertEquals(66, sum.toBreach());
    assertEquals(44, sum.toQuiet());
    assertThrows(IllegalArgumentException.class, () -> TransitionCounts.of(0, -1, 0, 0));
  }
}
