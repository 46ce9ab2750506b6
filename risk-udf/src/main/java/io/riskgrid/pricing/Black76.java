package io.riskgrid.pricing;

/**
 * Black-76: a European option on a forward F, valued in the forward's currency and discounted at
 * a continuously compounded rate r, {@code V = e^{-rT} [F N(d1) - K N(d2)]} for a call and
 * {@code V = e^{-rT} [K N(-d2) - F N(-d1)]} for a put, with
 * {@code d1 = (ln(F/K) + sigma^2 T / 2) / (sigma sqrt T)} and {@code d2 = d1 - sigma sqrt T}.
 *
 * <p>Units: {@code forward} and {@code strike} in the same price units (USD per coin, say), which
 * are also the units of the value; {@code tau} = T in years; {@code vol} a decimal per sqrt(year)
 * (0.5 = 50%); {@code rate} a decimal per year. Greeks: delta = dV/dF, gamma = d2V/dF2 (per unit of
 * F squared), vega = dV/dsigma per 1.00 of vol, theta = dV/dt per year at fixed F (= -dV/dT,
 * including the discounting term rV).
 *
 * <p>The put is computed directly, never through parity: parity cancels a deep out-of-the-money
 * put to 0, while {@link NormalDistribution#cdf} keeps its tails to full relative accuracy.
 *
 * <p>Degenerate cases. At {@code tau <= 0} (expired) the value is the intrinsic value on F,
 * undiscounted. At {@code tau > 0} with {@code vol * sqrt(tau) == 0} it is the intrinsic value
 * discounted by e^{-rT}. In both, delta is the step {@code +-df} in the money and 0 out of it, with
 * {@code +-df/2} exactly at the money (the average of the one-sided limits); gamma and vega are 0;
 * theta is {@code r V} when {@code tau > 0} (the discount factor still accrues) and 0 at expiry.
 *
 * <p>Invalid inputs throw {@link IllegalArgumentException} naming the argument: forward and strike
 * must be finite and positive, vol finite and non-negative, tau and rate finite.
 */
public final class Black76 {

  /** Indices of {@link #greeks}'s output. */
  public static final int PRICE = 0, DELTA = 1, GAMMA = 2, VEGA = 3, THETA = 4;

  /**
   * Up to this |d1| (where exp(-d1^2/2) > 1e-297 is a normal double) exp(-d2^2/2) is derived from
   * exp(-d1^2/2); beyond it, the other way round where |d2| is smaller. Shared with the SIMD
   * kernel so that both do the same arithmetic.
   */
  public static final double GAUSS_DERIVED_MAX_D = 37.0;

  private Black76() {}

  /** Discounted option value, in the units of forward and strike. */
  public static double price(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    validate(forward, strike, tau, vol, rate);
    double stdDev = vol * Math.sqrt(tau);
    if (tau <= 0 || stdDev == 0) {
      return discountAtExpiry(tau, rate) * intrinsic(isCall, forward, strike);
    }
    return Math.exp(-rate * tau) * undiscountedPrice(isCall, forward, strike, stdDev);
  }

  /**
   * The undiscounted value {@code F N(d1) - K N(d2)} (call) or {@code K N(-d2) - F N(-d1)} (put)
   * on the total standard deviation {@code stdDev = sigma sqrt(T) > 0}, in the units of forward
   * and strike. A kernel primitive: it does not validate (callers have, as {@link #price} does).
   *
   * <p>Both Gaussian factors come from one exp, through the identity F phi(d1) = K phi(d2). Near
   * expiry out of the money the two terms cancel by up to a million, and with separate exps the
   * rounding of d2 = d1 - s would be amplified to about 1e-8 of the value; with the identity the
   * terms stay consistent and only the slowly varying rational parts see it.
   */
  public static double undiscountedPrice(
      boolean isCall, double forward, double strike, double stdDev) {
    double d1 = d1(forward, strike, stdDev);
    double d2 = d1 - stdDev;
    double gauss1;
    double gauss2;
    if (Math.abs(d1) > GAUSS_DERIVED_MAX_D && Math.abs(d2) < Math.abs(d1)) {
      // Rare: exp(-d1^2/2) may lose bits to the subnormal range while the other is larger, so
      // take the exp at d2 and derive exp(-d1^2/2) = exp(-d2^2/2) K/F instead.
      gauss2 = NormalDistribution.expHalfSquare(
          Math.min(Math.abs(d2), NormalDistribution.UNDERFLOW_X));
      gauss1 = gauss2 * (strike / forward);
    } else {
      gauss1 = NormalDistribution.expHalfSquare(
          Math.min(Math.abs(d1), NormalDistribution.UNDERFLOW_X));
      gauss2 = gauss1 * (forward / strike);
    }
    return isCall
        ? forward * NormalDistribution.cdf(d1, gauss1)
            - strike * NormalDistribution.cdf(d2, gauss2)
        : strike * NormalDistribution.cdf(-d2, gauss2)
            - forward * NormalDistribution.cdf(-d1, gauss1);
  }

  /** dV/dF: discounted N(d1) for a call, -N(-d1) for a put (dimensionless). */
  public static double delta(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    return greek(DELTA, isCall, forward, strike, tau, vol, rate);
  }

  /** d2V/dF2 = e^{-rT} phi(d1) / (F sigma sqrt T), per unit of forward squared. */
  public static double gamma(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    return greek(GAMMA, isCall, forward, strike, tau, vol, rate);
  }

  /** dV/dsigma = e^{-rT} F phi(d1) sqrt T, per 1.00 of vol (divide by 100 for per vol point). */
  public static double vega(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    return greek(VEGA, isCall, forward, strike, tau, vol, rate);
  }

  /** dV/dt at fixed F, per year: rV - e^{-rT} F phi(d1) sigma / (2 sqrt T). */
  public static double theta(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    return greek(THETA, isCall, forward, strike, tau, vol, rate);
  }

  /**
   * Price, delta, gamma, vega and theta in one pass (one d1, d2 and density), written to
   * {@code out[PRICE..THETA]}; {@code out} needs at least 5 elements.
   */
  public static void greeks(boolean isCall, double forward, double strike, double tau, double vol,
      double rate, double[] out) {
    validate(forward, strike, tau, vol, rate);
    double stdDev = vol * Math.sqrt(tau);
    if (tau <= 0 || stdDev == 0) {
      degenerateGreeks(isCall, forward, strike, tau, rate, out);
      return;
    }
    double df = Math.exp(-rate * tau);
    double d1 = d1(forward, strike, stdDev);
    double price = df * undiscountedPrice(isCall, forward, strike, stdDev);
    double density = NormalDistribution.pdf(d1);
    out[PRICE] = price;
    out[DELTA] = isCall ? df * NormalDistribution.cdf(d1) : -df * NormalDistribution.cdf(-d1);
    out[GAMMA] = df * density / (forward * stdDev);
    out[VEGA] = df * forward * density * Math.sqrt(tau);
    out[THETA] = rate * price - df * forward * density * vol / (2 * Math.sqrt(tau));
  }

  private static double greek(int which, boolean isCall, double forward, double strike,
      double tau, double vol, double rate) {
    double[] out = new double[5];
    greeks(isCall, forward, strike, tau, vol, rate, out);
    return out[which];
  }

  /** d1 = ln(F/K)/s + s/2 with s = sigma sqrt(T): the same operations as the SIMD lanes. */
  static double d1(double forward, double strike, double stdDev) {
    return Math.log(forward / strike) / stdDev + 0.5 * stdDev;
  }

  private static double intrinsic(boolean isCall, double forward, double strike) {
    return Math.max(isCall ? forward - strike : strike - forward, 0.0);
  }

  /** 1 once expired (settled on F, nothing left to discount), e^{-rT} before. */
  private static double discountAtExpiry(double tau, double rate) {
    return tau <= 0 ? 1.0 : Math.exp(-rate * tau);
  }

  private static void degenerateGreeks(
      boolean isCall, double forward, double strike, double tau, double rate, double[] out) {
    double df = discountAtExpiry(tau, rate);
    double price = df * intrinsic(isCall, forward, strike);
    // Step delta; at the money the average of the two one-sided derivatives.
    double step = forward > strike ? 1.0 : forward < strike ? 0.0 : 0.5;
    out[PRICE] = price;
    out[DELTA] = isCall ? df * step : -df * (1.0 - step);
    out[GAMMA] = 0.0;
    out[VEGA] = 0.0;
    out[THETA] = tau > 0 ? rate * price : 0.0;
  }

  private static void validate(double forward, double strike, double tau, double vol, double rate) {
    if (!(forward > 0 && forward < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "forward must be finite and > 0 (a price in the strike's units), got " + forward);
    }
    if (!(strike > 0 && strike < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "strike must be finite and > 0 (a price in the forward's units), got " + strike);
    }
    if (!Double.isFinite(tau)) {
      throw new IllegalArgumentException(
          "tau must be a finite time to expiry in years, got " + tau);
    }
    if (!(vol >= 0 && vol < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "vol must be finite and >= 0 (a decimal, 0.5 for 50%), got " + vol);
    }
    if (!Double.isFinite(rate)) {
      throw new IllegalArgumentException("rate must be finite (a decimal per year), got " + rate);
    }
  }
}
