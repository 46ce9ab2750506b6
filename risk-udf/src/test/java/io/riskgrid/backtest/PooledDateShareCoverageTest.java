package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The pooled coverage test on per-date breach shares, which does not assume independent portfolios. */
class PooledDateShareCoverageTest {

  /** 2[(D−x) ln((1−x/D)/(1−p)) + x ln((x/D)/p)], written out with plain logs. */
  private static double byHand(double dates, double shares, double p) {
    double rate = shares / dates;
    return 2 * ((dates - shares) * Math.log((1 - rate) / (1 - p)) + (shares == 0 ? 0 : shares * Math.log(rate / p)));
  }

  /**
   * Four dates of two portfolios, one of which breaches on the first date: x = 0.5 breach shares over D = 4 dates
   * at p = 0.1, LR = 2[3.5 ln(0.875/0.9) + 0.5 ln(1.25)] = 0.025948 (by hand: 3.5 × −0.028171 + 0.5 × 0.223144).
   */
  @Test
  void aHandWorkedPanel() {
    DateShareCoverage.Result r = DateShareCoverage.test(new long[] {2, 2, 2, 2}, new long[] {1, 0, 0, 0}, 0.1);
    assertEquals(4, r.dates());
    assertEquals(0.5, r.breachShares(), 0.0);
    assertEquals(0.125, r.breachRate(), 0.0);
    assertEquals(byHand(4, 0.5, 0.1), r.test().statistic(), 1e-13);
    assertEquals(0.025948, r.test().statistic(), 5e-6);
    assertEquals(1, r.test().degreesOfFreedom());
  }

  /** Perfectly correlated portfolios (all breach together) make each date one Bernoulli trial: Kupiec on one. */
  @Test
  void perfectlyCorrelatedPortfoliosGiveKupiecOnOnePortfolio() {
    int dates = 500;
    long[] observed = new long[dates];
    long[] breaches = new long[dates];
    Arrays.fill(observed, 12);
    int breachDates = 0;
    for (int d = 0; d < dates; d++) {
      if (d % 40 == 3) {
        breaches[d] = 12;
        breachDates++;
      }
    }
    DateShareCoverage.Result r = DateShareCoverage.test(observed, breaches, 0.01);
    LikelihoodRatioTest one = KupiecPof.test(dates, breachDates, 0.01);
    assertEquals(13, breachDates);
    assertEquals(one.statistic(), r.test().statistic(), 1e-12);
    assertEquals(one.pValue(), r.test().pValue(), 1e-12);
    // The pooled Kupiec over 12 × 500 "independent" observations sees twelve times the evidence.
    assertTrue(KupiecPof.test(12L * dates, 12L * breachDates, 0.01).statistic() > 11 * r.test().statistic());
  }

  @Test
  void noBreachAndEveryBreachFollowTheEdgeCasesOfKupiec() {
    DateShareCoverage.Result none = DateShareCoverage.test(new long[] {3, 1, 2}, new long[] {0, 0, 0}, 0.01);
    assertEquals(-2 * 3 * Math.log(0.99), none.test().statistic(), 1e-13);
    DateShareCoverage.Result all = DateShareCoverage.test(new long[] {3, 1}, new long[] {3, 1}, 0.01);
    assertEquals(-2 * 2 * Math.log(0.01), all.test().statistic(), 1e-12);
  }

  @Test
  void badCountsAreRejectedNamingTheDate() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DateShareCoverage.test(new long[] {2, 2}, new long[] {0, 3}, 0.01));
    assertEquals("date 1: 3 breaches among 2 observed portfolios; need n >= 1 and 0 <= breaches <= n", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DateShareCoverage.test(new long[] {}, new long[] {}, 0.01));
    assertThrows(IllegalArgumentException.class, () -> DateShareCoverage.test(new long[] {1}, new long[] {0, 0}, 0.01));
  }
}
