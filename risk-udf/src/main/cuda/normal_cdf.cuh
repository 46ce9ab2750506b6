// The standard normal CDF on the device, the same algorithm and coefficients as
// io.riskgrid.pricing.NormalDistribution (W. J. Cody, Math. Comp. 23 (1969) 631-637, as in his
// CALERF routine): erf by a rational function for y = |x|/sqrt(2) <= 0.46875, and beyond it
// erfc(y) = exp(-y^2) * erfcx(y) with erfcx rational in y (up to 4) or in 1/y^2 (beyond).
//
// The Gaussian factor exp(-x^2/2) is taken from x^2 carried exactly as hi + lo (lo from one fused
// multiply-add), so the far tails keep about 1e-15 relative accuracy down to x = -37.5.
//
// Host and device functions, so a host build can check the port against the Java CPU kernel.
// Built with --fmad=false: every + and * below rounds exactly as Java's do, so the only
// differences from the CPU are those of exp and log (each within 1 ulp on both sides).
#pragma once

namespace riskgrid {

// Beyond this |x| the density is below the smallest double: cdf is 0 or 1 exactly.
constexpr double kUnderflowX = 40.0;
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrtPi = 0.56418958354775628695;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
// Cody's switch points, in y = |x|/sqrt(2).
constexpr double kYErf = 0.46875;
constexpr double kYAsymptotic = 4.0;

// erf(y) for |y| <= 0.46875: y * A(y^2) / B(y^2).
__host__ __device__ __forceinline__ double erf_small(double y) {
  const double a0 = 3.16112374387056560e00, a1 = 1.13864154151050156e02, a2 = 3.77485237685302021e02,
               a3 = 3.20937758913846947e03, a4 = 1.85777706184603153e-1;
  const double b0 = 2.36012909523441209e01, b1 = 2.44024637934444173e02, b2 = 1.28261652607737228e03,
               b3 = 2.84423683343917062e03;
  double ysq = y * y;
  double num = a4 * ysq;
  double den = ysq;
  num = (num + a0) * ysq;
  den = (den + b0) * ysq;
  num = (num + a1) * ysq;
  den = (den + b1) * ysq;
  num = (num + a2) * ysq;
  den = (den + b2) * ysq;
  return y * (num + a3) / (den + b3);
}

// erfcx(y) = exp(y^2) erfc(y) for y > 0.46875.
__host__ __device__ __forceinline__ double erfcx(double y) {
  if (y <= kYAsymptotic) {
    const double c[9] = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
                         2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
                         2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8};
    const double d[8] = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
                         1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
                         3.43936767414372164e03, 1.23033935480374942e03};
    double num = c[8] * y;
    double den = y;
#pragma unroll
    for (int i = 0; i < 7; i++) {
      num = (num + c[i]) * y;
      den = (den + d[i]) * y;
    }
    return (num + c[7]) / (den + d[7]);
  }
  // Asymptotic side: erfcx(y) = (1/sqrt(pi) - R(1/y^2) / y^2) / y.
  const double p[6] = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
                       1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
  const double q[5] = {2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
                       6.05183413124413191e-2, 2.33520497626869185e-3};
  double u = 1.0 / (y * y);
  double num = p[5] * u;
  double den = u;
#pragma unroll
  for (int i = 0; i < 4; i++) {
    num = (num + p[i]) * u;
    den = (den + q[i]) * u;
  }
  double r = u * (num + p[4]) / (den + q[4]);
  return (kInvSqrtPi - r) / y;
}

// exp(-x^2/2) for |x| <= 40 with x^2 = hi + lo exactly: exp(-hi/2) at an exact argument, and
// exp(-lo/2) = 1 - lo/2 to far below one ulp since |lo| <= ulp(hi)/2.
__host__ __device__ __forceinline__ double exp_half_square(double x) {
  double hi = x * x;
  double lo = fma(x, x, -hi);
  return exp(-0.5 * hi) * (1.0 - 0.5 * lo);
}

// The density of N(0,1) at x, as NormalDistribution.pdf: 0 only beyond |x| = 40, where it underflows.
__host__ __device__ __forceinline__ double normal_pdf(double x) {
  if (fabs(x) > kUnderflowX) {
    return 0.0;
  }
  return kInvSqrt2Pi * exp_half_square(x);
}

// P(Z <= x) for Z ~ N(0,1); NaN stays NaN, |x| > 40 gives 0 or 1 exactly.
__host__ __device__ __forceinline__ double normal_cdf(double x) {
  double ax = fabs(x);
  if (!(ax <= kUnderflowX)) {
    return isnan(x) ? x : (x < 0.0 ? 0.0 : 1.0);
  }
  double y = ax * kInvSqrt2;
  if (y <= kYErf) {
    return 0.5 + 0.5 * erf_small(x * kInvSqrt2);
  }
  // The tail beyond |x|: P(Z > |x|) = erfc(y) / 2 = exp(-x^2/2) erfcx(y) / 2.
  double tail = (0.5 * erfcx(y)) * exp_half_square(ax);
  return x < 0.0 ? tail : 1.0 - tail;
}

}  // namespace riskgrid
