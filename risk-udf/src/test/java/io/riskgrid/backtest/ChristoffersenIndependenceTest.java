package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChristoffersenIndependenceTest {

  /** MATLAB varbacktest cci example (see {@link Sources}). */
  @Test
  void matchesMatlabVarbacktestExample() {
    LikelihoodRatioTest independence = ChristoffersenIndependence.test(Sources.MATLAB_TRANSITIONS);

    assertEquals(Sources.MATLAB_CCI_LR, independence.statistic(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CCI_P, independence.pValue(), Sources.FIVE_DECIMALS);
  }

  /** MATLAB varbacktest cc example: LR_cc = LR_POF + LR_CCI with 2 degrees of freedom. */
  @Test
  void conditionalCoverageMatchesMatlabVarbacktestExample() {
    LikelihoodRatioTest cc = ConditionalCoverage.test(
        Sources.MATLAB_OBSERVATIONS, Sources.MATLAB_FAILURES, Sources.MATLAB_P,
        Sources.MATLAB_TRANSITIONS);

    assertEquals(Sources.MATLAB_CC_LR, cc.statistic(), Sources.FIVE_DECIMALS);
    assertEquals(Sources.MATLAB_CC_P, cc.pValue(), Sources.FIVE_DECIMALS);
    assertEquals(2, cc.degreesOfFreedom());
  }

  @Test
  void conditionalCoverageIsTheSumOfItsParts() {
    LikelihoodRatioTest pof = KupiecPof.test(500, 9, 0.01);
    LikelihoodRatioTest independence = ChristoffersenIndependence.test(TransitionCounts.of(484, 6, 6, 3));

    LikelihoodRatioTest cc = ConditionalCoverage.test(pof, independence);

    assertEquals(pof.statistic() + independence.statistic(), cc.statistic(), 1e-15);
    assertEquals(Math.exp(-cc.statistic() / 2), cc.pValue(), 1e-14);
  }

  @ParameterizedTest
  @CsvSource({
      "932, 53, 53, 4", "484, 6, 6, 3", "100, 1, 1, 0", "10, 5, 5, 10", "3, 0, 1, 0",
      "0, 2, 2, 7", "997, 1, 0, 1"})
  void statisticEqualsDefiningFormula(long n00, long n01, long n10, long n11) {
    TransitionCounts counts = TransitionCounts.of(n00, n01, n10, n11);

    double actual = ChristoffersenIndependence.statistic(counts);

    double expected = directStatistic(n00, n01, n10, n11);
    assertEquals(expected, actual, 1e-9 * Math.max(1, expected));
  }

  @Test
  void noBreachesGiveZero() {
    LikelihoodRatioTest test = ChristoffersenIndependence.test(TransitionCounts.of(249, 0, 0, 0));

    assertEquals(0.0, test.statistic());
    assertEquals(1.0, test.pValue());
  }

  @Test
  void allBreachesGiveZero() {
    LikelihoodRatioTest test = ChristoffersenIndependence.test(
        TransitionCounter.count(new boolean[] {true, true, true, true}));

    assertEquals(0.0, test.statistic());
    assertEquals(1.0, test.pValue());
  }

  @Test
  void aBreachOnlyOnTheFirstDayGivesZero() {
    // The only transition from a breach goes quiet and nothing ends in a breach.
    assertEquals(0.0, ChristoffersenIndependence.statistic(
        TransitionCounter.count(new boolean[] {true, false, false, false})));
  }

  @Test
  void noTransitionsGiveZero() {
    assertEquals(0.0, ChristoffersenIndependence.statistic(TransitionCounts.ZERO));
  }

  /** Breaches in blocks of five are clustered: independence is rejected though coverage is 2%. */
  @Test
  void rejectsClusteredBreaches() {
    boolean[] breaches = new boolean[1000];
    for (int start = 100; start < 1000; start += 250) {
      for (int day = start; day < start + 5; day++) {
        breaches[day] = true;
      }
    }

    LikelihoodRatioTest independence =
        ChristoffersenIndependence.test(BreachSeries.ofConsecutive(breaches), 1);

    assertTrue(independence.rejectsAt(0.05), "p " + independence.pValue());
  }

  @Test
  void acceptsSeededIndependentBreaches() {
    boolean[] breaches = KupiecPofTest.bernoulli(new SplittableRandom(11L), 1000, 0.05);

    LikelihoodRatioTest independence =
        ChristoffersenIndependence.test(BreachSeries.ofConsecutive(breaches), 1);

    assertFalse(independence.rejectsAt(0.05), "p " + independence.pValue());
  }

  /**
   * −2 ln[(1−π)^(n00+n10) π^(n01+n11)] + 2 ln[(1−π0)^n00 π0^n01 (1−π1)^n10 π1^n11], 0·ln 0 = 0,
   * written out literally.
   */
  private static double directStatistic(long n00, long n01, long n10, long n11) {
    double pi = (double) (n01 + n11) / (n00 + n01 + n10 + n11);
    double pi0 = n00 + n01 == 0 ? 0 : (double) n01 / (n00 + n01);
    double pi1 = n10 + n11 == 0 ? 0 : (double) n11 / (n10 + n11);
    double restricted = xLogY(n00 + n10, 1 - pi) + xLogY(n01 + n11, pi);
    double unrestricted =
        xLogY(n00, 1 - pi0) + xLogY(n01, pi0) + xLogY(n10, 1 - pi1) + xLogY(n11, pi1);
    return -2 * restricted + 2 * unrestricted;
  }

  private static double xLogY(double x, double y) {
    return x == 0 ? 0 : x * Math.log(y);
  }
}
