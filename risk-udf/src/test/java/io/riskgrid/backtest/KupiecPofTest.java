package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KupiecPofTest {

  /** MATLAB varbacktest pof example (see {@link Sources}). */
  @Test
  void matchesMatlabVarbacktestExample() {
    LikelihoodRatioTest pof =
        KupiecPof.test(Sources.MATLAB_OBSERVATIONS, Sources.MATLAB_FAILURES, Sources.MATLAB_P);

    assertEquals(Sources.MATLAB_POF_LR, pof.statistic(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_POF_P, pof.pValue(), Sources.FIVE_DECIMALS);
    assertEquals(1, pof.degreesOfFreedom());
    assertFalse(pof.rejectsAt(0.05));
  }

  /** The statistic against the defining difference of log-likelihoods, written out literally. */
  @ParameterizedTest
  @CsvSource({
      "1043, 57, 0.05", "250, 4, 0.01", "250, 10, 0.01", "1000, 1, 0.01", "1000, 999, 0.01",
      "7, 3, 0.3", "500, 50, 0.01", "100000, 1000, 0.01"})
  void statisticEqualsDefiningFormula(long observations, long breaches, double p) {
    double expected = directStatistic(observations, breaches, p);

    double actual = KupiecPof.statistic(observations, breaches, p);

    assertEquals(expected, actual, 1e-9 * Math.max(1, expected));
  }

  /** For one degree of freedom P(χ² ≥ s) = erfc(√(s/2)), independent of the gamma route. */
  @ParameterizedTest
  @CsvSource({"1043, 57, 0.05", "250, 4, 0.01", "250, 7, 0.01", "60, 1, 0.01"})
  void pValueIsChiSquareOneTail(long observations, long breaches, double p) {
    LikelihoodRatioTest pof = KupiecPof.test(observations, breaches, p);

    assertEquals(Erf.erfc(Math.sqrt(pof.statistic() / 2)), pof.pValue(), 1e-12);
  }

  @Test
  void zeroBreachesReduceToMinusTwoTLogOneMinusP() {
    LikelihoodRatioTest pof = KupiecPof.test(250, 0, 0.01);

    assertEquals(-2 * 250 * Math.log(0.99), pof.statistic(), 1e-12);
    assertTrue(pof.pValue() > 0 && pof.pValue() < 1);
  }

  @Test
  void allBreachesReduceToMinusTwoTLogP() {
    LikelihoodRatioTest pof = KupiecPof.test(20, 20, 0.01);

    assertEquals(-2 * 20 * Math.log(0.01), pof.statistic(), 1e-12);
    assertTrue(pof.rejectsAt(0.05));
  }

  @Test
  void exactlyExpectedFrequencyHasZeroStatisticAndPValueOne() {
    LikelihoodRatioTest pof = KupiecPof.test(400, 4, 0.01);

    assertEquals(0.0, pof.statistic(), 1e-13);
    assertEquals(1.0, pof.pValue(), 1e-6);
  }

  @Test
  void rejectsNoObservations() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(0, 0, 0.01));
    assertTrue(error.getMessage().contains("T = 0"), error.getMessage());
  }

  @Test
  void rejectsInvalidCountsAndProbabilities() {
    assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(10, 11, 0.01));
    assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(10, -1, 0.01));
    assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(10, 1, 0.0));
    assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(10, 1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> KupiecPof.test(10, 1, Double.NaN));
  }

  /** A margin set far too low: every tenth day breaches a 99% margin. */
  @Test
  void rejectsTenPercentBreachesAtOnePercent() {
    boolean[] breaches = new boolean[500];
    for (int day = 0; day < breaches.length; day += 10) {
      breaches[day] = true;
    }
    BreachSeries series = BreachSeries.ofConsecutive(breaches);

    LikelihoodRatioTest pof = KupiecPof.test(series.size(), series.breachCount(), 0.01);

    assertEquals(50, series.breachCount());
    assertTrue(pof.rejectsAt(0.05));
    assertTrue(pof.pValue() < 1e-20, "p-value " + pof.pValue());
  }

  /** A correct 99% margin: breaches are Bernoulli(0.01) from a fixed seed. */
  @Test
  void acceptsCorrectOnePercentBernoulliSequence() {
    boolean[] breaches = bernoulli(new SplittableRandom(20240101L), 1000, 0.01);
    BreachSeries series = BreachSeries.ofConsecutive(breaches);

    LikelihoodRatioTest pof = KupiecPof.test(series.size(), series.breachCount(), 0.01);

    assertFalse(pof.rejectsAt(0.05), "breaches " + series.breachCount() + ", p " + pof.pValue());
  }

  /**
   * Over many seeded samples a correct model is rejected at about the test size, a too-low one
   * nearly always. 5% size, so a 10% ceiling leaves room for the discreteness of small counts.
   */
  @Test
  void rejectionRatesSeparateCorrectFromTooLowMargins() {
    SplittableRandom random = new SplittableRandom(7L);
    int samples = 400;
    int correctRejections = 0;
    int tooLowRejections = 0;
    for (int i = 0; i < samples; i++) {
      boolean[] correct = bernoulli(random, 750, 0.01);
      boolean[] tooLow = bernoulli(random, 750, 0.10);
      correctRejections += rejects(correct) ? 1 : 0;
      tooLowRejections += rejects(tooLow) ? 1 : 0;
    }

    assertTrue(correctRejections <= 0.10 * samples, "correct rejected " + correctRejections);
    assertEquals(samples, tooLowRejections);
  }

  private static boolean rejects(boolean[] breaches) {
    BreachSeries series = BreachSeries.ofConsecutive(breaches);
    return KupiecPof.test(series.size(), series.breachCount(), 0.01).rejectsAt(0.05);
  }

  static boolean[] bernoulli(SplittableRandom random, int days, double probability) {
    boolean[] breaches = new boolean[days];
    for (int day = 0; day < days; day++) {
      breaches[day] = random.nextDouble() < probability;
    }
    return breaches;
  }

  /** −2 ln[(1−p)^(T−x) p^x] + 2 ln[(1−x/T)^(T−x) (x/T)^x], with 0·ln 0 = 0. */
  private static double directStatistic(long t, long x, double p) {
    double rate = (double) x / t;
    double restricted = xLogY(t - x, 1 - p) + xLogY(x, p);
    double unrestricted = xLogY(t - x, 1 - rate) + xLogY(x, rate);
    return -2 * restricted + 2 * unrestricted;
  }

  private static double xLogY(double x, double y) {
    return x == 0 ? 0 : x * Math.log(y);
  }
}
