package io.riskgrid.kernel.simd;

import io.riskgrid.pricing.Black76;
import io.riskgrid.pricing.NormalDistribution;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Black-76 prices for a batch of options, on the JDK Vector API ({@code jdk.incubator.vector},
 * {@link DoubleVector#SPECIES_PREFERRED}: 8 lanes on AVX-512, 4 on AVX2).
 *
 * <p>The formula, units and degenerate cases are those of {@link Black76#price}: prices are in the
 * units of forward and strike, tau in years, vol a decimal per sqrt(year). The one difference is
 * that the caller passes the discount factor {@code e^{-rT}} instead of r, since it does not
 * change across scenarios. At {@code tau <= 0} the value is the undiscounted intrinsic value (as in
 * {@code Black76}, whatever {@code discount} holds); at {@code tau > 0} with a zero
 * {@code vol * sqrt(tau)} it is the discounted intrinsic value.
 *
 * <p>The JDK 17 Vector API has EXP and LOG but no ERF, so the normal CDF is Cody's rational
 * approximation (the one {@link NormalDistribution} uses) evaluated in every lane for all three of
 * its regions and blended by masks, with the Gaussian factor {@code exp(-x^2/2)} taken from an
 * exact double-double {@code x^2}, so the tails keep their relative accuracy (see
 * {@code NormalCdf}). The last {@code (to - from) % lanes} options go through a scalar loop
 * over the same formula with {@link NormalDistribution#cdf}.
 *
 * <p>Inputs are not validated here (it is the hot loop); callers pass what {@link Black76} would
 * accept: forward and strike finite and positive, vol finite and non-negative, tau finite.
 */
public final class VectorBlack76 {

  static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private VectorBlack76() {}

  /**
   * Writes the Black-76 value of option {@code i} to {@code out[i]} for {@code from <= i < to}.
   *
   * @param forward forward price F, in price units
   * @param strike strike K, in the same price units
   * @param tau time to expiry T in years
   * @param vol Black volatility, decimal per sqrt(year)
   * @param discount e^{-rT}, precomputed by the caller
   * @param isCall true for a call, false for a put
   * @param out discounted option values, in price units
   */
  public static void price(double[] forward, double[] strike, double[] tau, double[] vol,
      double[] discount, boolean[] isCall, double[] out, int from, int to) {
    if (from < 0 || from > to) {
      throw new IndexOutOfBoundsException("need 0 <= from <= to, got from=" + from + ", to=" + to);
    }
    checkLength("forward", forward.length, to);
    checkLength("strike", strike.length, to);
    checkLength("tau", tau.length, to);
    checkLength("vol", vol.length, to);
    checkLength("discount", discount.length, to);
    checkLength("isCall", isCall.length, to);
    checkLength("out", out.length, to);
    int lanes = SPECIES.length();
    int vectorEnd = from + SPECIES.loopBound(to - from);
    int i = from;
    for (; i < vectorEnd; i += lanes) {
      DoubleVector f = DoubleVector.fromArray(SPECIES, forward, i);
      DoubleVector k = DoubleVector.fromArray(SPECIES, strike, i);
      DoubleVector t = DoubleVector.fromArray(SPECIES, tau, i);
      DoubleVector sigma = DoubleVector.fromArray(SPECIES, vol, i);
      DoubleVector df = DoubleVector.fromArray(SPECIES, discount, i);
      VectorMask<Double> call = VectorMask.fromArray(SPECIES, isCall, i);
      // omega = +1 for calls, -1 for puts: V = omega df [F N(omega d1) - K N(omega d2)].
      DoubleVector omega = DoubleVector.broadcast(SPECIES, -1.0).blend(1.0, call);

      DoubleVector stdDev = sigma.mul(t.lanewise(VectorOperators.SQRT));
      DoubleVector logMoneyness = f.div(k).lanewise(VectorOperators.LOG);
      // d1 = ln(F/K)/s + s/2; NaN or infinite where s == 0, blended away below.
      DoubleVector d1 = logMoneyness.div(stdDev).add(stdDev.mul(0.5));
      DoubleVector d2 = d1.sub(stdDev);
      DoubleVector nd1 = NormalCdf.cdf(d1.mul(omega));
      DoubleVector nd2 = NormalCdf.cdf(d2.mul(omega));
      DoubleVector value = omega.mul(df).mul(f.mul(nd1).sub(k.mul(nd2)));

      // Expired or zero variance: intrinsic, undiscounted once expired.
      VectorMask<Double> expired = t.compare(VectorOperators.LE, 0.0);
      VectorMask<Double> degenerate = stdDev.compare(VectorOperators.GT, 0.0).not().or(expired);
      DoubleVector intrinsic = f.sub(k).mul(omega).max(0.0).mul(df.blend(1.0, expired));
      value.blend(intrinsic, degenerate).intoArray(out, i);
    }
    for (; i < to; i++) {
      out[i] = priceOne(isCall[i], forward[i], strike[i], tau[i], vol[i], discount[i]);
    }
  }

  /** One option by the lanes' formula, with the scalar CDF; the remainder loop. */
  static double priceOne(
      boolean isCall, double forward, double strike, double tau, double vol, double discount) {
    double omega = isCall ? 1.0 : -1.0;
    double stdDev = vol * Math.sqrt(tau);
    if (tau <= 0 || !(stdDev > 0)) {
      double intrinsic = Math.max(omega * (forward - strike), 0.0);
      return tau <= 0 ? intrinsic : discount * intrinsic;
    }
    double d1 = Math.log(forward / strike) / stdDev + 0.5 * stdDev;
    double d2 = d1 - stdDev;
    return omega * discount * (forward * NormalDistribution.cdf(omega * d1)
        - strike * NormalDistribution.cdf(omega * d2));
  }

  /**
   * The standard normal CDF lane by lane: {@link NormalDistribution}'s algorithm (Cody's three
   * regions in y = |x|/sqrt(2), the same coefficients, exact double-double x^2 under the exp) with
   * every region evaluated in every lane and picked by masks. Each region is written as one
   * numerator over one denominator so the blend costs a single division per CDF.
   */
  static final class NormalCdf {

    private static final double INV_SQRT2 = 0.70710678118654752440;
    private static final double INV_SQRT_PI = 0.56418958354775628695;
    /** Beyond this |x| the density is below the smallest double, as in NormalDistribution. */
    private static final double UNDERFLOW_X = 40.0;

    // Cody (1969), reordered for Horner's rule, highest power first.
    /** erf(y) = y A(v) / B(v), v = y^2, for y <= 0.46875. */
    private static final double[] A = {
      1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02,
      3.77485237685302021e02, 3.20937758913846947e03};
    private static final double[] B = {
      1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03};
    /** erfcx(y) = C(y) / D(y) for 0.46875 < y <= 4. */
    private static final double[] C = {
      2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00,
      6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
      1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03};
    private static final double[] D = {
      1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03};
    /**
     * For y > 4 Cody has erfcx(y) = (1/sqrt(pi) - u P(u)/Q(u)) / y with u = 1/y^2; multiplying P
     * and Q by v^5 (v = y^2) gives polynomials in v and removes the division by y^2:
     * erfcx(y) = (v Q'(v)/sqrt(pi) - P'(v)) / (y v Q'(v)). v^5 <= 800^5 after the clamp.
     */
    private static final double[] P = {
      6.58749161529837803e-4, 1.60837851487422766e-2, 1.25781726111229246e-1,
      3.60344899949804439e-1, 3.05326634961232344e-1, 1.63153871373020978e-2};
    private static final double[] Q = {
      2.33520497626869185e-3, 6.05183413124413191e-2, 5.27905102951428412e-1,
      1.87295284992346725e00, 2.56852019228982242e00, 1.0};

    private NormalCdf() {}

    /** P(Z <= x) for Z ~ N(0,1), lane by lane. */
    static DoubleVector cdf(DoubleVector x) {
      // Beyond |x| = 40 the tail is below the smallest double; clamping also keeps x^2 finite.
      DoubleVector ax = x.abs().min(UNDERFLOW_X);
      DoubleVector y = ax.mul(INV_SQRT2);
      DoubleVector v = y.mul(y);
      VectorMask<Double> central = y.compare(VectorOperators.LE, 0.46875);
      VectorMask<Double> asymptotic = y.compare(VectorOperators.GT, 4.0);

      DoubleVector farDen = horner5(v, Q).mul(v);
      DoubleVector num = horner8(y, C)
          .blend(farDen.mul(INV_SQRT_PI).sub(horner5(v, P)), asymptotic)
          .blend(horner4(v, A).mul(y), central);
      DoubleVector den = horner8(y, D)
          .blend(farDen.mul(y), asymptotic)
          .blend(horner4(v, B), central);
      DoubleVector ratio = num.div(den);

      // Tail beyond |x|: erfc(y)/2 = exp(-x^2/2) erfcx(y)/2, or (1 - erf(y))/2 near 0.
      DoubleVector tail = expHalfSquare(ax).mul(ratio)
          .blend(DoubleVector.broadcast(SPECIES, 1.0).sub(ratio), central)
          .mul(0.5);
      return tail.neg().add(1.0).blend(tail, x.compare(VectorOperators.LT, 0.0));
    }

    /** exp(-x^2/2) with x^2 = hi + lo exact (one FMA), as in NormalDistribution. */
    private static DoubleVector expHalfSquare(DoubleVector x) {
      DoubleVector hi = x.mul(x);
      DoubleVector lo = x.fma(x, hi.neg());
      return hi.mul(-0.5).lanewise(VectorOperators.EXP).mul(lo.mul(-0.5).add(1.0));
    }

    private static DoubleVector horner4(DoubleVector x, double[] c) {
      DoubleVector p = x.mul(c[0]).add(c[1]);
      p = p.fma(x, DoubleVector.broadcast(SPECIES, c[2]));
      p = p.fma(x, DoubleVector.broadcast(SPECIES, c[3]));
      return p.fma(x, DoubleVector.broadcast(SPECIES, c[4]));
    }

    private static DoubleVector horner5(DoubleVector x, double[] c) {
      return horner4(x, c).fma(x, DoubleVector.broadcast(SPECIES, c[5]));
    }

    private static DoubleVector horner8(DoubleVector x, double[] c) {
      DoubleVector p = horner4(x, c);
      p = p.fma(x, DoubleVector.broadcast(SPECIES, c[5]));
      p = p.fma(x, DoubleVector.broadcast(SPECIES, c[6]));
      p = p.fma(x, DoubleVector.broadcast(SPECIES, c[7]));
      return p.fma(x, DoubleVector.broadcast(SPECIES, c[8]));
    }
  }

  private static void checkLength(String name, int length, int to) {
    if (length < to) {
      throw new IndexOutOfBoundsException(
          name + " has " + length + " elements, need at least to=" + to);
    }
  }
}
