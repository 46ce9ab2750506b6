package io.riskgrid.pricing;

/**
 * The standard normal distribution, accurate in the far tails.
 *
 * <p>{@link #cdf} follows W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631-637, in the form of his CALERF routine: {@code erf} by a rational
 * function near 0, and beyond it {@code erfc(y) = exp(-y^2) * erfcx(y)} with {@code erfcx} a
 * rational function in {@code y} (up to 4) or in {@code 1/y^2} (beyond). Relative error is below
 * about 1e-15 wherever the result is a normal double, i.e. for x down to about -37.5; below that
 * the result is subnormal and decays to 0 only where the true value does (x below about -38.5).
 *
 * <p>Why the care with {@code exp(-x^2/2)}: a relative error e in {@code x^2} becomes a relative
 * error {@code x^2 e / 2} in the result, 700 times the rounding of {@code x^2} at x = -37.5.
 * Cody splits x at a multiple of 1/16 for this; here {@code x^2} is carried exactly as a
 * double-double ({@code hi + lo}, the low part from one fused multiply-add), so the only roundings
 * left are those of {@code exp} itself and a few multiplications.
 */
public final class NormalDistribution {

  /** Beyond this |x| the density is below the smallest double: pdf = 0, cdf = 0 or 1 exactly. */
  static final double UNDERFLOW_X = 40.0;

  private static final double INV_SQRT2 = 0.70710678118654752440;
  private static final double INV_SQRT_2PI = 0.39894228040143267794;
  private static final double INV_SQRT_PI = 0.56418958354775628695;
  /** Cody's switch points, in y = |x|/sqrt(2). */
  private static final double Y_ERF = 0.46875;
  private static final double Y_ASYMPTOTIC = 4.0;

  // Cody (1969) coefficients, as in CALERF: erf on |y| <= 0.46875.
  private static final double[] A = {
    3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
    3.20937758913846947e03, 1.85777706184603153e-1};
  private static final double[] B = {
    2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
    2.84423683343917062e03};
  // erfcx on 0.46875 < y <= 4.
  private static final double[] C = {
    5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
    2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
    2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8};
  private static final double[] D = {
    1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
    1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
    3.43936767414372164e03, 1.23033935480374942e03};
  // erfcx on y > 4, as a rational function of 1/y^2.
  private static final double[] P = {
    3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
    1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
  private static final double[] Q = {
    2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
    6.05183413124413191e-2, 2.33520497626869185e-3};

  private NormalDistribution() {}

  /** Density of N(0,1) at x (dimensionless). Returns 0 only where the true value underflows. */
  public static double pdf(double x) {
    if (Math.abs(x) > UNDERFLOW_X) {
      return 0.0;
    }
    return INV_SQRT_2PI * expHalfSquare(x);
  }

  /**
   * P(Z <= x) for Z ~ N(0,1). cdf(-inf) = 0, cdf(+inf) = 1, cdf(NaN) = NaN. Relative error below
   * about 1e-15 wherever the result is a normal double (x >= -37.5).
   */
  public static double cdf(double x) {
    double ax = Math.abs(x);
    if (!(ax <= UNDERFLOW_X)) { // NaN, infinities and |x| > 40, where the tail is below 1e-349
      return Double.isNaN(x) ? x : (x < 0 ? 0.0 : 1.0);
    }
    return ax * INV_SQRT2 <= Y_ERF ? 0.5 + 0.5 * erfSmall(x * INV_SQRT2)
        : cdf(x, expHalfSquare(ax));
  }

  /**
   * Phi(x) given {@code gauss} = exp(-x^2/2), which only the tails use: for Black76, which takes
   * both of its Gaussian factors from one exp. The result is as accurate as {@code gauss}.
   */
  static double cdf(double x, double gauss) {
    double ax = Math.min(Math.abs(x), UNDERFLOW_X); // keeps erfcx's argument finite
    double y = ax * INV_SQRT2;
    if (y <= Y_ERF) {
      return 0.5 + 0.5 * erfSmall(x * INV_SQRT2);
    }
    // The tail on the far side of x: P(Z > |x|) = erfc(y) / 2 = exp(-x^2/2) erfcx(y) / 2.
    double tail = (0.5 * erfcx(y)) * gauss;
    return x < 0 ? tail : 1.0 - tail;
  }

  /** erf(y) for |y| <= 0.46875: y * A(y^2) / B(y^2). */
  private static double erfSmall(double y) {
    double ysq = y * y;
    double num = A[4] * ysq;
    double den = ysq;
    for (int i = 0; i < 3; i++) {
      num = (num + A[i]) * ysq;
      den = (den + B[i]) * ysq;
    }
    return y * (num + A[3]) / (den + B[3]);
  }

  /** erfcx(y) = exp(y^2) erfc(y) for y > 0.46875. */
  private static double erfcx(double y) {
    if (y <= Y_ASYMPTOTIC) {
      double num = C[8] * y;
      double den = y;
      for (int i = 0; i < 7; i++) {
        num = (num + C[i]) * y;
        den = (den + D[i]) * y;
      }
      return (num + C[7]) / (den + D[7]);
    }
    // Asymptotic side: erfcx(y) = (1/sqrt(pi) - R(1/y^2) / y^2) / y.
    double u = 1.0 / (y * y);
    double num = P[5] * u;
    double den = u;
    for (int i = 0; i < 4; i++) {
      num = (num + P[i]) * u;
      den = (den + Q[i]) * u;
    }
    double r = u * (num + P[4]) / (den + Q[4]);
    return (INV_SQRT_PI - r) / y;
  }

  /**
   * exp(-x^2/2) for |x| <= 40 (beyond it x^2 may overflow), with x^2 = hi + lo exactly:
   * exp(-hi/2) is evaluated at an exact argument and exp(-lo/2) = 1 - lo/2 to far below one ulp,
   * since |lo| <= ulp(hi)/2 < 2e-13.
   */
  static double expHalfSquare(double x) {
    double hi = x * x;
    double lo = Math.fma(x, x, -hi);
    return Math.exp(-0.5 * hi) * (1.0 - 0.5 * lo);
  }
}
