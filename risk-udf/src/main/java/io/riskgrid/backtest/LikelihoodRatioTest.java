package io.riskgrid.backtest;

import org.apache.commons.math3.special.Gamma;

/**
 * The outcome of a likelihood-ratio test whose statistic is asymptotically χ² with
 * {@code degreesOfFreedom} degrees of freedom under the null hypothesis.
 *
 * @param statistic        the likelihood-ratio statistic −2 ln(L₀/L₁), dimensionless, ≥ 0
 * @param degreesOfFreedom the χ² degrees of freedom, ≥ 1
 * @param pValue           P(χ²(df) ≥ statistic), a probability in [0, 1]
 */
public record LikelihoodRatioTest(double statistic, int degreesOfFreedom, double pValue) {

  /** Validates the three fields; use {@link #ofChiSquare} to derive the p-value. */
  public LikelihoodRatioTest {
    if (!(statistic >= 0)) {
      throw new IllegalArgumentException("statistic must be >= 0 and not NaN, got " + statistic);
    }
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degreesOfFreedom must be >= 1, got " + degreesOfFreedom);
    }
    if (!(pValue >= 0 && pValue <= 1)) {
      throw new IllegalArgumentException("pValue must be in [0, 1], got " + pValue);
    }
  }

  /**
   * A test with the χ² upper-tail p-value {@code Q(df/2, statistic/2)}, the regularized upper
   * incomplete gamma function.
   *
   * @param statistic        the likelihood-ratio statistic, ≥ 0
   * @param degreesOfFreedom the χ² degrees of freedom, ≥ 1
   * @return the test
   */
  public static LikelihoodRatioTest ofChiSquare(double statistic, int degreesOfFreedom) {
    if (!(statistic >= 0)) {
      throw new IllegalArgumentException("statistic must be >= 0 and not NaN, got " + statistic);
    }
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degreesOfFreedom must be >= 1, got " + degreesOfFreedom);
    }
    double pValue = Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    return new LikelihoodRatioTest(statistic, degreesOfFreedom, pValue);
  }

  /**
   * Whether the null hypothesis is rejected at the given significance level, that is whether
   * {@code pValue < significance} (strict).
   *
   * @param significance the test size, in (0, 1), e.g. 0.05
   * @return true when rejected
   */
  public boolean rejectsAt(double significance) {
    if (!(significance > 0 && significance < 1)) {
      throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
    }
    return pValue < significance;
  }
}
