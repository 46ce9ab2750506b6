package io.riskgrid.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LikelihoodRatioTestTest {

  @Test
  void chiSquareTwoTailIsExponential() {
    // For 2 degrees of freedom the χ² survival function is exp(−s/2).
    for (double statistic : new double[] {0, 0.1, 0.72013, 3, 5.991464547107979, 40}) {
      LikelihoodRatioTest test = LikelihoodRatioTest.ofChiSquare(statistic, 2);
      assertEquals(Math.exp(-statistic / 2), test.pValue(), 1e-14, "s = " + statistic);
    }
  }

  @Test
  void fivePercentCriticalValueOfOneDegreeOfFreedom() {
    // 3.841458820694124 is the 95% quantile of χ²(1): (Φ⁻¹(0.975))² = 1.959963984540054².
    double critical = 1.959963984540054 * 1.959963984540054;

    assertEquals(0.05, LikelihoodRatioTest.ofChiSquare(critical, 1).pValue(), 1e-12);
    assertTrue(LikelihoodRatioTest.ofChiSquare(critical * 1.001, 1).rejectsAt(0.05));
    assertFalse(LikelihoodRatioTest.ofChiSquare(critical * 0.999, 1).rejectsAt(0.05));
  }

  @Test
  void zeroStatisticHasPValueOne() {
    assertEquals(1.0, LikelihoodRatioTest.ofChiSquare(0, 1).pValue());
  }

  @Test
  void rejectsInvalidFields() {
    assertThrows(IllegalArgumentException.class, () -> LikelihoodRatioTest.ofChiSquare(-1e-9, 1));
    assertThrows(IllegalArgumentException.class, () -> LikelihoodRatioTest.ofChiSquare(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> LikelihoodRatioTest.ofChiSquare(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new LikelihoodRatioTest(1, 1, 1.5));
    assertThrows(
        IllegalArgumentException.class, () -> LikelihoodRatioTest.ofChiSquare(1, 1).rejectsAt(0));
  }
}
