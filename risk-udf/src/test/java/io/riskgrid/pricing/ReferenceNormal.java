package io.riskgrid.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An independent high-precision standard normal CDF for tests, in BigDecimal at 80 significant
 * digits, evaluated at the exact binary value of a double argument.
 *
 * <p>erfc(y) comes from two textbook expansions (Abramowitz and Stegun, Handbook of Mathematical
 * Functions, 7.1.6 and 7.1.14), which overlap so that each checks the other:
 * <ul>
 *   <li>y < 5: erf(y) = 2/sqrt(pi) exp(-y^2) sum_n 2^n y^(2n+1) / (1*3*...*(2n+1)) (all terms
 *       positive, so no cancellation inside the sum), and erfc = 1 - erf, losing at most 12 of
 *       the 80 digits;
 *   <li>y >= 5: the continued fraction erfc(y) = exp(-y^2)/sqrt(pi) * 1/(y + (1/2)/(y + 1/(y +
 *       (3/2)/(y + ...)))), evaluated bottom-up from a fixed depth.
 * </ul>
 * pi comes from Machin's formula, exp from its Taylor series after halving the argument.
 */
public final class ReferenceNormal {

  static final MathContext MC = new MathContext(80, RoundingMode.HALF_EVEN);
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal HALF = new BigDecimal("0.5");
  static final BigDecimal PI = machinPi();
  private static final BigDecimal SQRT_PI = PI.sqrt(MC);
  private static final BigDecimal SQRT2 = TWO.sqrt(MC);
  private static final BigDecimal SERIES_LIMIT = BigDecimal.valueOf(5);
  static final int FRACTION_DEPTH = 400;
  private static final BigDecimal LN2 = logNearOne(TWO);

  private ReferenceNormal() {}

  /** Phi(x) at the exact value of x, to about 60 significant digits. */
  public static BigDecimal cdf(double x) {
    return cdf(new BigDecimal(x));
  }

  /** Phi(x), to about 60 significant digits. */
  public static BigDecimal cdf(BigDecimal x) {
    BigDecimal y = x.abs().divide(SQRT2, MC);
    BigDecimal tail = erfc(y).multiply(HALF, MC); // P(Z > |x|)
    return x.signum() < 0 ? tail : BigDecimal.ONE.subtract(tail, MC);
  }

  /** ln(z) for z > 0: k ln 2 + 2 atanh((w - 1)/(w + 1)) with z = w 2^k, w near 1. */
  public static BigDecimal ln(BigDecimal z) {
    int k = (int) Math.round(Math.log(z.doubleValue()) / Math.log(2));
    BigDecimal w = k >= 0 ? z.divide(TWO.pow(k), MC) : z.multiply(TWO.pow(-k), MC);
    return LN2.multiply(BigDecimal.valueOf(k), MC).add(logNearOne(w), MC);
  }

  /** 2 atanh(u) = 2 sum u^(2j+1)/(2j+1), u = (w - 1)/(w + 1). */
  private static BigDecimal logNearOne(BigDecimal w) {
    BigDecimal u = w.subtract(BigDecimal.ONE).divide(w.add(BigDecimal.ONE), MC);
    BigDecimal uSquare = u.multiply(u, MC);
    BigDecimal power = u;
    BigDecimal sum = u;
    for (int j = 1; power.abs().compareTo(new BigDecimal("1e-100")) > 0; j++) {
      power = power.multiply(uSquare, MC);
      sum = sum.add(power.divide(BigDecimal.valueOf(2L * j + 1), MC), MC);
    }
    return sum.multiply(TWO, MC);
  }

  /** phi(x) = exp(-x^2/2)/sqrt(2 pi) at the exact value of x. */
  public static BigDecimal pdf(double x) {
    BigDecimal bx = new BigDecimal(x);
    BigDecimal halfSquare = bx.multiply(bx, MC).multiply(HALF, MC);
    return expNegative(halfSquare).divide(SQRT2.multiply(SQRT_PI, MC), MC);
  }

  /** erfc(y) for y >= 0; 0 beyond y = 100, where it is below 1e-4300. */
  public static BigDecimal erfc(BigDecimal y) {
    if (y.compareTo(BigDecimal.valueOf(100)) > 0) {
      return BigDecimal.ZERO;
    }
    return y.compareTo(SERIES_LIMIT) < 0 ? BigDecimal.ONE.subtract(erfSeries(y), MC)
        : erfcContinuedFraction(y, FRACTION_DEPTH);
  }

  static BigDecimal erfSeries(BigDecimal y) {
    BigDecimal twoYSquare = y.multiply(y, MC).multiply(TWO, MC);
    BigDecimal term = y;
    BigDecimal sum = y;
    BigDecimal threshold = new BigDecimal("1e-90");
    for (int n = 1; term.compareTo(threshold.multiply(sum, MC)) > 0; n++) {
      term = term.multiply(twoYSquare, MC).divide(BigDecimal.valueOf(2L * n + 1), MC);
      sum = sum.add(term, MC);
    }
    BigDecimal gauss = expNegative(y.multiply(y, MC));
    return sum.multiply(gauss, MC).multiply(TWO, MC).divide(SQRT_PI, MC);
  }

  static BigDecimal erfcContinuedFraction(BigDecimal y, int depth) {
    BigDecimal f = y;
    for (int k = depth; k >= 1; k--) {
      f = y.add(BigDecimal.valueOf(k).multiply(HALF).divide(f, MC), MC);
    }
    return expNegative(y.multiply(y, MC)).divide(SQRT_PI.multiply(f, MC), MC);
  }

  /** exp(-a) for a >= 0: 1/exp(a), exp(a) = exp(a/2^k)^(2^k) with a/2^k < 1/2. */
  static BigDecimal expNegative(BigDecimal a) {
    MathContext wide = new MathContext(MC.getPrecision() + 20, RoundingMode.HALF_EVEN);
    int halvings = 0;
    BigDecimal r = a;
    while (r.compareTo(HALF) > 0) {
      r = r.divide(TWO, wide);
      halvings++;
    }
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int n = 1; term.abs().compareTo(new BigDecimal("1e-110")) > 0; n++) {
      term = term.multiply(r, wide).divide(BigDecimal.valueOf(n), wide);
      sum = sum.add(term, wide);
    }
    for (int i = 0; i < halvings; i++) {
      sum = sum.multiply(sum, wide);
    }
    return BigDecimal.ONE.divide(sum, MC);
  }

  /** pi = 16 atan(1/5) - 4 atan(1/239) (Machin, 1706). */
  private static BigDecimal machinPi() {
    MathContext wide = new MathContext(100, RoundingMode.HALF_EVEN);
    return atanInverse(5, wide).multiply(BigDecimal.valueOf(16))
        .subtract(atanInverse(239, wide).multiply(BigDecimal.valueOf(4)))
        .round(MC);
  }

  /** atan(1/n) = sum_k (-1)^k / ((2k+1) n^(2k+1)). */
  private static BigDecimal atanInverse(int n, MathContext mc) {
    BigDecimal nSquare = BigDecimal.valueOf((long) n * n);
    BigDecimal power = BigDecimal.ONE.divide(BigDecimal.valueOf(n), mc);
    BigDecimal sum = power;
    BigDecimal threshold = new BigDecimal("1e-105");
    for (int k = 1; power.compareTo(threshold) > 0; k++) {
      power = power.divide(nSquare, mc);
      BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
      sum = (k % 2 == 1) ? sum.subtract(term, mc) : sum.add(term, mc);
    }
    return sum;
  }
}
