package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrafficLightTest {

  private static final double BASEL_P = 0.01;

  /**
   * BCBS (1996), Table 2, 250 observations at 99% (see {@link Sources}); 4 decimals for 4 and 5
   * exceptions, 5 decimals for 9 and 10.
   */
  @ParameterizedTest
  @CsvSource({
      "4, 0.8922, 0.5e-4, GREEN",
      "5, 0.9588, 0.5e-4, YELLOW",
      "9, 0.99975, 0.5e-5, YELLOW",
      "10, 0.99995, 0.5e-5, RED"})
  void matchesBaselTable(int breaches, double published, double tolerance, TrafficLightZone zone) {
    double cdf = TrafficLight.cumulativeProbability(250, breaches, BASEL_P);

    assertEquals(published, cdf, tolerance);
    assertEquals(zone, TrafficLight.zoneOf(250, breaches, BASEL_P));
  }

  @Test
  void baselZoneBoundariesAreFiveAndTenExceptions() {
    for (int x = 0; x <= 250; x++) {
      TrafficLightZone expected =
          x <= 4 ? TrafficLightZone.GREEN : x <= 9 ? TrafficLightZone.YELLOW : TrafficLightZone.RED;
      assertEquals(expected, TrafficLight.zoneOf(250, x, BASEL_P), "x = " + x);
    }
  }

  /** MATLAB varbacktest tl example (see {@link Sources}): one window of all 1043 observations. */
  @Test
  void matchesMatlabVarbacktestExample() {
    TrafficLightResult result =
        TrafficLight.evaluate(Sources.matlabLikeSequence(), Sources.MATLAB_P, 1043);

    assertEquals(Sources.MATLAB_TL_PROBABILITY,
        TrafficLight.cumulativeProbability(1043, 57, Sources.MATLAB_P), Sources.FIVE_DECIMALS);
    assertEquals(1, result.windowCount());
    assertEquals(57, result.windowBreaches()[0]);
    assertEquals(TrafficLightZone.GREEN, result.lastZone());
    assertEquals(0, result.redWindows());
  }

  /** Against an exact binomial sum in 50-digit decimal arithmetic. */
  @ParameterizedTest
  @CsvSource({"250, 0, 0.01", "250, 4, 0.01", "250, 9, 0.01", "250, 17, 0.01", "1043, 57, 0.05",
      "100, 50, 0.3", "250, 250, 0.01"})
  void cumulativeProbabilityIsTheExactBinomialSum(int n, int x, String p) {
    double exact = exactBinomialCdf(n, x, new BigDecimal(p));

    assertEquals(exact, TrafficLight.cumulativeProbability(n, x, Double.parseDouble(p)), 1e-12);
  }

  @Test
  void windowsRollByOneObservation() {
    boolean[] breaches = new boolean[300];
    int[] breachDays = {3, 40, 41, 100, 180, 181, 182, 183, 249, 250, 260, 280, 299};
    for (int day : breachDays) {
      breaches[day] = true;
    }

    TrafficLightResult result = TrafficLight.evaluate(breaches, BASEL_P);

    assertEquals(51, result.windowCount());
    for (int window = 0; window < result.windowCount(); window++) {
      int count = 0;
      for (int day = window; day < window + 250; day++) {
        count += breaches[day] ? 1 : 0;
      }
      assertEquals(count, result.windowBreaches()[window], "window " + window);
      assertEquals(TrafficLight.zoneOf(250, count, BASEL_P), result.windowZones().get(window));
    }
    assertEquals(result.windowZones().get(50), result.lastZone());
  }

  @Test
  void countsRedWindowsAndReportsTheLastWindow() {
    // Ten breaches on days 0..9: only window 0 holds all ten; window 10 (days 10..259) none.
    boolean[] breaches = new boolean[260];
    for (int day = 0; day < 10; day++) {
      breaches[day] = true;
    }

    TrafficLightResult result = TrafficLight.evaluate(breaches, BASEL_P);

    assertEquals(11, result.windowCount());
    assertEquals(1, result.redWindows());
    assertEquals(TrafficLightZone.RED, result.windowZones().get(0));
    assertEquals(TrafficLightZone.YELLOW, result.windowZones().get(1));
    assertEquals(TrafficLightZone.GREEN, result.lastZone());
  }

  @Test
  void fewerObservationsThanOneWindowGiveNoWindowAndZoneNone() {
    boolean[] breaches = new boolean[249];
    breaches[0] = true;

    TrafficLightResult result = TrafficLight.evaluate(breaches, BASEL_P);

    assertEquals(0, result.windowCount());
    assertEquals(List.of(), result.windowZones());
    assertEquals(TrafficLightZone.NONE, result.lastZone());
    assertEquals(0, result.redWindows());
    assertEquals(TrafficLightZone.NONE, TrafficLight.evaluate(new boolean[0], BASEL_P).lastZone());
  }

  @Test
  void exactlyOneWindowOfObservations() {
    boolean[] breaches = new boolean[250];
    for (int day = 0; day < 250; day += 25) {
      breaches[day] = true;
    }

    TrafficLightResult result = TrafficLight.evaluate(breaches, BASEL_P);

    assertEquals(1, result.windowCount());
    assertEquals(TrafficLightZone.RED, result.lastZone());
    assertEquals(1, result.redWindows());
  }

  @Test
  void zoneThresholdsAreHalfOpen() {
    assertEquals(TrafficLightZone.GREEN, TrafficLight.zoneOf(Math.nextDown(0.95)));
    assertEquals(TrafficLightZone.YELLOW, TrafficLight.zoneOf(0.95));
    assertEquals(TrafficLightZone.YELLOW, TrafficLight.zoneOf(Math.nextDown(0.9999)));
    assertEquals(TrafficLightZone.RED, TrafficLight.zoneOf(0.9999));
    assertEquals(TrafficLightZone.RED, TrafficLight.zoneOf(1.0));
  }

  @Test
  void rejectsInvalidArguments() {
    assertThrows(IllegalArgumentException.class, () -> TrafficLight.evaluate(new boolean[10], 0));
    assertThrows(IllegalArgumentException.class, () -> TrafficLight.evaluate(new boolean[10], 0.01, 0));
    assertThrows(IllegalArgumentException.class, () -> TrafficLight.cumulativeProbability(250, 251, 0.01));
    assertThrows(IllegalArgumentException.class, () -> TrafficLight.zoneOf(1.5));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> TrafficLightResult.of(250, 0.01, new int[] {0}, List.of(TrafficLightZone.NONE)));
    assertTrue(none.getMessage().contains("NONE"));
  }

  private static double exactBinomialCdf(int n, int x, BigDecimal p) {
    MathContext context = new MathContext(50);
    BigDecimal q = BigDecimal.ONE.subtract(p);
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal choose = BigDecimal.ONE;
    for (int k = 0; k <= x; k++) {
      if (k > 0) {
        choose = choose.multiply(BigDecimal.valueOf(n - k + 1)).divide(BigDecimal.valueOf(k), context);
      }
      sum = sum.add(choose.multiply(p.pow(k, context)).multiply(q.pow(n - k, context)), context);
    }
    return sum.doubleValue();
  }
}
