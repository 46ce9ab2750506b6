package io.riskgrid.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NormalDistributionTest {

  /**
   * Cody's approximations are good to about 1e-17 relative in exact arithmetic; in doubles the
   * evaluation (a rational function, one exp, three multiplications) adds a few ulps. 1e-14 is
   * the contract of DESIGN §3.2, some 20 times the worst we observe.
   */
  private static final double TAIL_TOLERANCE = 1e-14;

  @Test
  void referenceExpansionsAgreeWhereTheyOverlap() {
    // The reference's series and continued fraction are independent; at y = 5..6 both are valid.
    for (String y : new String[] {"5", "5.25", "5.5", "6"}) {
      BigDecimal by = new BigDecimal(y);
      int depth = ReferenceNormal.FRACTION_DEPTH;
      BigDecimal series =
          BigDecimal.ONE.subtract(ReferenceNormal.erfSeries(by), ReferenceNormal.MC);
      BigDecimal fraction = ReferenceNormal.erfcContinuedFraction(by, depth);
      BigDecimal deeper = ReferenceNormal.erfcContinuedFraction(by, 2 * depth);
      assertTrue(relative(series, fraction) < 1e-45, "series vs fraction at y=" + y);
      assertTrue(relative(fraction, deeper) < 1e-45, "fraction depth at y=" + y);
    }
    // Machin's pi agrees with the double pi, and erfc(1) with A&S Table 7.1 (0.157299207050285).
    assertEquals(Math.PI, ReferenceNormal.PI.doubleValue(), 0.0);
    assertEquals(0.157299207050285, ReferenceNormal.erfc(BigDecimal.ONE).doubleValue(), 5e-16);
  }

  @Test
  void cdfMatchesHighPrecisionReferenceFromMinus38ToPlus8() {
    double worst = 0;
    for (double x = -38.0; x <= 8.0; x += 0.0625 + 1.0 / 1024) { // off the 1/16 grid on purpose
      worst = Math.max(worst, checkCdf(x));
    }
    SplittableRandom random = new SplittableRandom(20240607L);
    for (int i = 0; i < 600; i++) {
      worst = Math.max(worst, checkCdf(-38.0 + 46.0 * random.nextDouble()));
    }
    System.out.printf("NormalDistribution.cdf: worst relative error %.3g on [-38, 8]%n", worst);
  }

  @Test
  void cdfIsAccurateAtTheRegionBoundaries() {
    // Cody's switch points |x| = 0.46875 sqrt 2 and 4 sqrt 2, and a few ulps either side.
    for (double boundary : new double[] {0.46875 * Math.sqrt(2), 4 * Math.sqrt(2)}) {
      for (double sign : new double[] {-1, 1}) {
        double x = sign * boundary;
        for (int ulps = -3; ulps <= 3; ulps++) {
          checkCdf(x + ulps * Math.ulp(x));
        }
      }
    }
    checkCdf(0.0);
    checkCdf(Double.MIN_VALUE);
    checkCdf(-1e-300);
  }

  @Test
  void pdfMatchesHighPrecisionReference() {
    for (double x = -38.0; x <= 38.0; x += 0.37) {
      double expected = ReferenceNormal.pdf(x).doubleValue();
      assertTrue(relativeError(NormalDistribution.pdf(x), expected) <= TAIL_TOLERANCE,
          "pdf(" + x + ")=" + NormalDistribution.pdf(x) + " expected " + expected);
    }
    assertEquals(0.3989422804014327, NormalDistribution.pdf(0.0), 1e-17);
  }

  @Test
  void cdfMatchesCommonsMath3InTheBody() {
    // commons-math3 computes 0.5 erfc(-x/sqrt 2) through the regularized gamma function, with
    // a convergence threshold of 1e-15 and the rounding of x/sqrt 2; 1e-13 covers both on [-8, 8].
    var commons = new org.apache.commons.math3.distribution.NormalDistribution(0, 1);
    for (double x = -8.0; x <= 8.0; x += 0.01) {
      double expected = commons.cumulativeProbability(x);
      assertTrue(relativeError(NormalDistribution.cdf(x), expected) < 1e-13,
          "cdf(" + x + ")=" + NormalDistribution.cdf(x) + " commons-math3 " + expected);
    }
  }

  @Test
  void tailDoesNotUnderflowBeforeTheTrueValue() {
    // Phi(-37.5) ~ 4.6e-308 is still a normal double; Phi(-38.4) ~ 1e-323 is subnormal but > 0.
    assertTrue(NormalDistribution.cdf(-37.5) >= Double.MIN_NORMAL);
    assertTrue(NormalDistribution.cdf(-38.4) > 0);
    for (double x = -38.5; x <= -37.5; x += 0.01) {
      double expected = ReferenceNormal.cdf(x).doubleValue();
      double actual = NormalDistribution.cdf(x);
      // Subnormal results carry fewer bits: allow one unit of the smallest subnormal besides.
      assertTrue(Math.abs(actual - expected) <= TAIL_TOLERANCE * expected + Double.MIN_VALUE,
          "cdf(" + x + ")=" + actual + " expected " + expected);
    }
  }

  @Test
  void limitsAndSpecialValues() {
    assertEquals(0.5, NormalDistribution.cdf(0.0), 0.0);
    assertEquals(1.0, NormalDistribution.cdf(9.0), 0.0);
    assertEquals(1.0, NormalDistribution.cdf(1e300), 0.0);
    assertEquals(1.0, NormalDistribution.cdf(Double.POSITIVE_INFINITY), 0.0);
    assertEquals(0.0, NormalDistribution.cdf(-1e300), 0.0);
    assertEquals(0.0, NormalDistribution.cdf(Double.NEGATIVE_INFINITY), 0.0);
    assertTrue(Double.isNaN(NormalDistribution.cdf(Double.NaN)));
    assertEquals(0.0, NormalDistribution.pdf(Double.NEGATIVE_INFINITY), 0.0);
    assertEquals(0.0, NormalDistribution.pdf(1e300), 0.0);
    assertTrue(Double.isNaN(NormalDistribution.pdf(Double.NaN)));
  }

  @Test
  void cdfIsSymmetricAndMonotone() {
    double previous = 0;
    for (double x = -12; x <= 12; x += 0.001) {
      double c = NormalDistribution.cdf(x);
      assertTrue(c >= previous, "monotone at " + x);
      assertEquals(1.0, c + NormalDistribution.cdf(-x), 2e-16, "symmetry at " + x);
      previous = c;
    }
  }

  /** Asserts the relative error at x is within tolerance (for normal results) and returns it. */
  private static double checkCdf(double x) {
    BigDecimal exact = ReferenceNormal.cdf(x);
    double expected = exact.doubleValue();
    double actual = NormalDistribution.cdf(x);
    double error = Math.abs(new BigDecimal(actual).subtract(exact).doubleValue()) / expected;
    if (expected >= Double.MIN_NORMAL) {
      assertTrue(error <= TAIL_TOLERANCE,
          "cdf(" + x + ")=" + actual + " expected " + expected + " relative error " + error);
      return error;
    }
    assertTrue(Math.abs(actual - expected) <= Double.MIN_VALUE, "subnormal cdf(" + x + ")");
    return 0;
  }

  private static double relative(BigDecimal a, BigDecimal b) {
    return a.subtract(b).abs().divide(b.abs(), MathContext.DECIMAL64).doubleValue();
  }

  private static double relativeError(double actual, double expected) {
    return Math.abs(actual - expected) / Math.abs(expected);
  }
}
