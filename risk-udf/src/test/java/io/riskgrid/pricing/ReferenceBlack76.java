package io.riskgrid.pricing;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Black-76 in 80-digit BigDecimal at the exact binary values of the double inputs: the true value
 * that a double implementation approximates. Independent of the production code: its own log,
 * exp, square root and normal CDF ({@link ReferenceNormal}).
 */
public final class ReferenceBlack76 {

  private static final MathContext MC = ReferenceNormal.MC;

  private ReferenceBlack76() {}

  /** e^{-rT} [F N(d1) - K N(d2)] or e^{-rT} [K N(-d2) - F N(-d1)], for tau > 0, vol > 0. */
  public static BigDecimal price(
      boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    BigDecimal f = new BigDecimal(forward);
    BigDecimal k = new BigDecimal(strike);
    BigDecimal t = new BigDecimal(tau);
    BigDecimal stdDev = new BigDecimal(vol).multiply(t.sqrt(MC), MC);
    BigDecimal logMoneyness = ReferenceNormal.ln(f.divide(k, MC));
    BigDecimal d1 = logMoneyness.divide(stdDev, MC)
        .add(stdDev.multiply(new BigDecimal("0.5")), MC);
    BigDecimal d2 = d1.subtract(stdDev, MC);
    BigDecimal undiscounted = isCall
        ? f.multiply(ReferenceNormal.cdf(d1), MC)
            .subtract(k.multiply(ReferenceNormal.cdf(d2), MC), MC)
        : k.multiply(ReferenceNormal.cdf(d2.negate()), MC)
            .subtract(f.multiply(ReferenceNormal.cdf(d1.negate()), MC), MC);
    BigDecimal rateTime = new BigDecimal(rate).multiply(t, MC);
    BigDecimal discount = rateTime.signum() >= 0 ? ReferenceNormal.expNegative(rateTime)
        : BigDecimal.ONE.divide(ReferenceNormal.expNegative(rateTime.negate()), MC);
    return undiscounted.multiply(discount, MC);
  }
}
