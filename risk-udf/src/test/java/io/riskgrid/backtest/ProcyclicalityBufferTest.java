package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The anti-procyclicality buffer of DESIGN §7.7 on hand-made margin series. */
class ProcyclicalityBufferTest {
  private static final LocalDate START = LocalDate.of(2022, 1, 1);

  private static MarginSeries series(double... values) {
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      dates.add(START.plusDays(i));
    }
    return MarginSeries.of(dates, values);
  }

  /**
   * Calm then crash then calm: R = 100 for 60 days, 200 for 60, 100 for 60. Without the buffer the largest 30-day
   * increase is 100%. With b = 0.25 the posted margin is 125 in the calm (R·1.25), 200 in the crash (the buffer is
   * used up, P = R) and 125 again after it (rebuilt): the largest 30-day increase is 200/125 − 1 = 60%, the
   * peak-to-trough 1.6 instead of 2, and the average margin (60·125 + 60·200 + 60·125)/(60·100 + 60·200 + 60·100)
   * − 1 = 12.5% higher.
   */
  @Test
  void theBufferLowersTheLargestThirtyDayIncreaseOfACalmThenCrashHistory() {
    double[] r = new double[180];
    for (int i = 0; i < r.length; i++) {
      r[i] = i >= 60 && i < 120 ? 200 : 100;
    }
    MarginSeries required = series(r);
    MarginSeries posted = ProcyclicalityBuffer.posted(required, 0.25);
    assertEquals(125, posted.value(0), 0.0);
    assertEquals(125, posted.value(59), 0.0);
    assertEquals(200, posted.value(60), 0.0);
    assertEquals(200, posted.value(119), 0.0);
    assertEquals(125, posted.value(120), 0.0);
    ProcyclicalityMetrics without = Procyclicality.measure(required);
    ProcyclicalityMetrics with = Procyclicality.measure(posted);
    assertEquals(1.0, without.maxThirtyDayIncrease(), 1e-15);
    assertEquals(0.6, with.maxThirtyDayIncrease(), 1e-15);
    assertEquals(2.0, without.peakToTrough(), 1e-15);
    assertEquals(1.6, with.peakToTrough(), 1e-15);
    assertEquals(0.6, with.maxOneDayIncrease(), 1e-15);
    assertEquals(27_000.0 / 24_000 - 1, ProcyclicalityBuffer.marginCost(required, posted), 1e-15);
  }

  /**
   * A rise is paid from the buffer first: R = 100, 110, 120, 130, 140, then falling to 120, 100. P = 125, 125, 125,
   * 130, 140, 140 (inside [120, 150]), 125 (capped at 100·1.25).
   */
  @Test
  void aRiseIsPaidFromTheBufferFirstAndAFallRebuildsIt() {
    MarginSeries posted = ProcyclicalityBuffer.posted(series(100, 110, 120, 130, 140, 120, 100), 0.25);
    double[] expected = {125, 125, 125, 130, 140, 140, 125};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], posted.value(i), 0.0, "day " + i);
    }
    MarginSeries none = ProcyclicalityBuffer.posted(series(100, 130, 90), 0.0);
    assertEquals(List.of(100.0, 130.0, 90.0), List.of(none.value(0), none.value(1), none.value(2)));
  }

  @Test
  void aNegativeBufferOrDifferentDatesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ProcyclicalityBuffer.posted(series(100), -0.1));
    assertThrows(IllegalArgumentException.class,
        () -> ProcyclicalityBuffer.marginCost(series(100, 100), series(100)));
  }
}
