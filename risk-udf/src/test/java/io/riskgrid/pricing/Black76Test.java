package io.riskgrid.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class Black76Test {

  /** One option's inputs; the fixtures below cover calls and puts on both sides of the money. */
  record Case(boolean isCall, double forward, double strike, double tau, double vol, double rate) {
    double price() {
      return Black76.price(isCall, forward, strike, tau, vol, rate);
    }

    double[] greeks() {
      double[] out = new double[5];
      Black76.greeks(isCall, forward, strike, tau, vol, rate, out);
      return out;
    }

    Case withForward(double f) {
      return new Case(isCall, f, strike, tau, vol, rate);
    }

    Case withVol(double sigma) {
      return new Case(isCall, forward, strike, tau, sigma, rate);
    }

    Case withTau(double t) {
      return new Case(isCall, forward, strike, t, vol, rate);
    }
  }

  private static final Case CALL_ATM = new Case(true, 60_000, 60_000, 30 / 365.0, 0.55, 0.0);
  private static final Case CALL_OTM = new Case(true, 60_000, 80_000, 0.25, 0.6, 0.03);
  private static final Case CALL_ITM = new Case(true, 3_000, 2_500, 0.5, 0.7, 0.05);
  private static final Case PUT_OTM = new Case(false, 60_000, 45_000, 0.1, 0.8, 0.02);
  private static final Case PUT_ITM = new Case(false, 150, 180, 1.5, 0.9, 0.04);
  private static final Case PUT_SHORT = new Case(false, 60_000, 59_000, 2 / 365.0, 0.5, 0.01);
  private static final List<Case> CASES =
      List.of(CALL_ATM, CALL_OTM, CALL_ITM, PUT_OTM, PUT_ITM, PUT_SHORT);

  @Test
  void haugBlack76Example() {
    // Haug, The Complete Guide to Option Pricing Formulas, 2nd ed., ch. 1, Black-76 example:
    // F = 19, K = 19, T = 0.75, r = 0.10, sigma = 0.28 gives a put of 1.7011. At the money the
    // call has the same value, since C - P = e^{-rT}(F - K) = 0.
    assertEquals(1.7011, Black76.price(false, 19, 19, 0.75, 0.28, 0.10), 5e-5);
    assertEquals(1.7011, Black76.price(true, 19, 19, 0.75, 0.28, 0.10), 5e-5);
  }

  @Test
  void hullFuturesOptionExample() {
    // Hull, Options, Futures, and Other Derivatives, Black's model for futures options: a
    // 4-month European put on crude-oil futures, F = K = 20, r = 9%, sigma = 25%, worth 1.12.
    assertEquals(1.12, Black76.price(false, 20, 20, 4 / 12.0, 0.25, 0.09), 5e-3);
  }

  @Test
  void haugFuturesOptionDeltaExample() {
    // Haug, 2nd ed., ch. 2 (Greeks), delta example for a futures option: F = 105, K = 100, T = 0.5,
    // r = 0.10, b = 0, sigma = 0.36 gives call delta 0.5946 and put delta -0.3566.
    assertEquals(0.5946, Black76.delta(true, 105, 100, 0.5, 0.36, 0.10), 5e-5);
    assertEquals(-0.3566, Black76.delta(false, 105, 100, 0.5, 0.36, 0.10), 5e-5);
  }

  @Test
  void priceMatchesAnIndependentRecomputationWithCommonsMath3() {
    var normal = new org.apache.commons.math3.distribution.NormalDistribution(0, 1);
    for (Case c : CASES) {
      double s = c.vol() * Math.sqrt(c.tau());
      double d1 = Math.log(c.forward() / c.strike()) / s + s / 2;
      double d2 = d1 - s;
      double w = c.isCall() ? 1 : -1;
      double expected = w * Math.exp(-c.rate() * c.tau())
          * (c.forward() * normal.cumulativeProbability(w * d1)
              - c.strike() * normal.cumulativeProbability(w * d2));
      assertEquals(expected, c.price(), 1e-12 * c.forward(), c.toString());
    }
  }

  @Test
  void priceMatchesThe80DigitReference() {
    // The formula subtracts two terms; when they nearly cancel (near expiry, or far out of the
    // money) no double evaluation can beat a few ulps of the terms. So the bound is relative to
    // the cancellation factor kappa = (|term 1| + |term 2|) / |V|: 10 ulps of the terms, i.e.
    // 1e-14 relative where nothing cancels (kappa = 1..200 in the body, up to 5e4 near expiry).
    double[] logMoneyness = {-5, -2, -0.5, -0.05, 0, 0.05, 0.5, 2, 5};
    double[] taus = {1e-6, 1 / 365.0, 0.25, 2};
    double[] vols = {0.05, 0.5, 1.5};
    double worst = 0;
    int checked = 0;
    for (double m : logMoneyness) {
      for (double tau : taus) {
        for (double vol : vols) {
          for (boolean isCall : new boolean[] {true, false}) {
            double forward = 60_000;
            double strike = forward * Math.exp(-m);
            BigDecimal exact = ReferenceBlack76.price(isCall, forward, strike, tau, vol, 0.03);
            if (exact.doubleValue() < 1e-290) {
              continue; // the value itself is at or below the subnormal range
            }
            double actual = Black76.price(isCall, forward, strike, tau, vol, 0.03);
            double error = new BigDecimal(actual).subtract(exact).abs()
                .divide(exact, MathContext.DECIMAL64).doubleValue();
            double kappa = cancellation(isCall, forward, strike, tau, vol);
            assertTrue(error <= 1e-15 * Math.max(kappa, 10), String.format(
                "call=%b ln(F/K)=%s T=%s vol=%s: %s vs %s, relative error %.3g, kappa %.3g",
                isCall, m, tau, vol, actual, exact.doubleValue(), error, kappa));
            worst = Math.max(worst, error / kappa);
            checked++;
          }
        }
      }
    }
    System.out.printf("Black76.price vs 80-digit reference: %d cases, worst error/kappa %.3g%n",
        checked, worst);
  }

  @Test
  void farTailOptionsWhoseFirstGaussianFactorLosesBits() {
    // |d1| > 37 with |d2| < |d1|: exp(-d1^2/2) is near the subnormal range, so exp(-d2^2/2) is
    // computed on its own rather than derived. Values near 1e-306 of F, still normal doubles.
    double[][] cases = {{2.9, 0.0781}, {2.9, 0.078}, {3.0, 0.0808}}; // d1 = 37.1 .. 37.2
    for (double[] c : cases) {
      double forward = 100;
      double strike = forward * Math.exp(-c[0]);
      double vol = c[1];
      double put = Black76.price(false, forward, strike, 1, vol, 0.0);
      BigDecimal exact = ReferenceBlack76.price(false, forward, strike, 1, vol, 0.0);
      double error = new BigDecimal(put).subtract(exact).abs()
          .divide(exact, MathContext.DECIMAL64).doubleValue();
      double kappa = cancellation(false, forward, strike, 1, vol);
      assertTrue(put >= Double.MIN_NORMAL && error <= 1e-15 * kappa, String.format(
          "ln(F/K)=%s vol=%s: %s vs %s, error %.3g, kappa %.3g",
          c[0], vol, put, exact, error, kappa));
    }
  }

  /** (F N(w d1) + K N(w d2)) / |V|: how much the formula's two terms cancel. */
  private static double cancellation(
      boolean isCall, double forward, double strike, double tau, double vol) {
    double s = vol * Math.sqrt(tau);
    double d1 = Math.log(forward / strike) / s + s / 2;
    double w = isCall ? 1 : -1;
    double a = forward * NormalDistribution.cdf(w * d1);
    double b = strike * NormalDistribution.cdf(w * (d1 - s));
    return (a + b) / Math.abs(a - b);
  }

  @Test
  void putCallParityHolds() {
    for (Case c : CASES) {
      double call = Black76.price(true, c.forward(), c.strike(), c.tau(), c.vol(), c.rate());
      double put = Black76.price(false, c.forward(), c.strike(), c.tau(), c.vol(), c.rate());
      double parity = Math.exp(-c.rate() * c.tau()) * (c.forward() - c.strike());
      assertEquals(parity, call - put, 1e-12 * Math.max(c.forward(), c.strike()), c.toString());
    }
  }

  @Test
  void deepOutOfTheMoneyPutKeepsItsTailValue() {
    // ln(F/K) = 4.6 at 20% vol: d1 = 23.1, the put is ~1e-118, far below F's rounding, so parity
    // would give 0 or a negative number.
    double forward = 100;
    double strike = 1;
    double put = Black76.price(false, forward, strike, 1, 0.2, 0.0);
    assertTrue(put > 0, "deep OTM put must be positive, got " + put);
    BigDecimal expected = ReferenceBlack76.price(false, forward, strike, 1, 0.2, 0.0);
    // The two terms cancel to about 1/50 of each: 50 x a few ulps.
    double relative = new BigDecimal(put).subtract(expected).abs()
        .divide(expected, MathContext.DECIMAL64).doubleValue();
    assertTrue(relative < 1e-13, "relative error " + relative + " on put " + put);
    // Still positive far in the tail (d1 = 29, a put of ~1e-190), until N(-d1) underflows.
    assertTrue(Black76.price(false, 100, 1e-3, 1, 0.4, 0) > 0);
    assertTrue(Black76.price(true, 1, 150, 1, 0.2, 0) > 0);
  }

  @Test
  void greeksMatchCentralFiniteDifferences() {
    for (Case c : CASES) {
      double[] g = c.greeks();
      // Steps scale with F sigma sqrt(T), the width over which the price curves.
      double width = c.forward() * c.vol() * Math.sqrt(c.tau());
      double h = 1e-4 * width;
      double up = c.withForward(c.forward() + h).price();
      double down = c.withForward(c.forward() - h).price();
      assertClose((up - down) / (2 * h), g[Black76.DELTA], 1e-7, "delta " + c);

      double hg = 3e-3 * width; // a wider step: the second difference amplifies rounding
      double gamma = (c.withForward(c.forward() + hg).price() - 2 * g[Black76.PRICE]
          + c.withForward(c.forward() - hg).price()) / (hg * hg);
      assertClose(gamma, g[Black76.GAMMA], 1e-5, "gamma " + c);

      double hv = 1e-4 * c.vol();
      double vega = (c.withVol(c.vol() + hv).price() - c.withVol(c.vol() - hv).price()) / (2 * hv);
      assertClose(vega, g[Black76.VEGA], 1e-7, "vega " + c);

      double ht = 1e-4 * c.tau(); // theta = dV/dt = -dV/dT
      double theta = (c.withTau(c.tau() - ht).price() - c.withTau(c.tau() + ht).price()) / (2 * ht);
      assertClose(theta, g[Black76.THETA], 1e-6, "theta " + c);
    }
  }

  @Test
  void singleGreekMethodsAgreeWithGreeks() {
    for (Case c : CASES) {
      double[] g = c.greeks();
      boolean call = c.isCall();
      double f = c.forward();
      double k = c.strike();
      assertEquals(g[Black76.PRICE], c.price(), 0.0);
      assertEquals(g[Black76.DELTA], Black76.delta(call, f, k, c.tau(), c.vol(), c.rate()), 0.0);
      assertEquals(g[Black76.GAMMA], Black76.gamma(call, f, k, c.tau(), c.vol(), c.rate()), 0.0);
      assertEquals(g[Black76.VEGA], Black76.vega(call, f, k, c.tau(), c.vol(), c.rate()), 0.0);
      assertEquals(g[Black76.THETA], Black76.theta(call, f, k, c.tau(), c.vol(), c.rate()), 0.0);
    }
  }

  @Test
  void expiredOptionIsUndiscountedIntrinsicValue() {
    for (double tau : new double[] {0.0, -1.0 / 365}) {
      assertEquals(500, Black76.price(true, 3_000, 2_500, tau, 0.7, 0.05), 0.0);
      assertEquals(0, Black76.price(false, 3_000, 2_500, tau, 0.7, 0.05), 0.0);
      assertEquals(30, Black76.price(false, 150, 180, tau, 0.9, 0.04), 0.0);
      double[] g = new double[5];
      Black76.greeks(true, 3_000, 2_500, tau, 0.7, 0.05, g);
      assertGreeks(g, 500, 1, 0, 0, 0);
      Black76.greeks(false, 3_000, 2_500, tau, 0.7, 0.05, g);
      assertGreeks(g, 0, 0, 0, 0, 0);
      Black76.greeks(false, 150, 180, tau, 0.9, 0.04, g);
      assertGreeks(g, 30, -1, 0, 0, 0);
      // At the money: the average of the one-sided deltas.
      Black76.greeks(true, 100, 100, tau, 0.5, 0.0, g);
      assertGreeks(g, 0, 0.5, 0, 0, 0);
      Black76.greeks(false, 100, 100, tau, 0.5, 0.0, g);
      assertGreeks(g, 0, -0.5, 0, 0, 0);
    }
  }

  @Test
  void zeroVolBeforeExpiryIsDiscountedIntrinsicValue() {
    double df = Math.exp(-0.05 * 0.5);
    double[] g = new double[5];
    Black76.greeks(true, 3_000, 2_500, 0.5, 0.0, 0.05, g);
    // Theta is the accrual of the discount factor: dV/dt = rV, the vol -> 0 limit of the formula.
    assertGreeks(g, 500 * df, df, 0, 0, 0.05 * 500 * df);
    double ht = 1e-5;
    double fdTheta = (Black76.price(true, 3_000, 2_500, 0.5 - ht, 0.0, 0.05)
        - Black76.price(true, 3_000, 2_500, 0.5 + ht, 0.0, 0.05)) / (2 * ht);
    assertClose(fdTheta, g[Black76.THETA], 1e-8, "theta at zero vol");
    // Continuity: a tiny vol prices like zero vol.
    assertClose(500 * df, Black76.price(true, 3_000, 2_500, 0.5, 1e-6, 0.05), 1e-14, "vol -> 0");
    assertEquals(0.0, Black76.price(true, 2_500, 3_000, 0.5, 0.0, 0.05), 0.0);
  }

  @Test
  void nearExpiryConvergesToIntrinsic() {
    double price = Black76.price(true, 3_000, 2_500, 1e-8, 0.7, 0.05);
    assertEquals(500, price, 1e-6);
    assertTrue(Black76.price(true, 2_500, 3_000, 1e-8, 0.7, 0.05) >= 0);
  }

  @Test
  void invalidInputsNameTheArgument() {
    double[] out = new double[5];
    List<Consumer<double[]>> entryPoints = List.of(
        a -> Black76.price(true, a[0], a[1], a[2], a[3], a[4]),
        a -> Black76.delta(false, a[0], a[1], a[2], a[3], a[4]),
        a -> Black76.gamma(true, a[0], a[1], a[2], a[3], a[4]),
        a -> Black76.vega(true, a[0], a[1], a[2], a[3], a[4]),
        a -> Black76.theta(false, a[0], a[1], a[2], a[3], a[4]),
        a -> Black76.greeks(true, a[0], a[1], a[2], a[3], a[4], out));
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    Object[][] bad = {
      {"forward", new double[] {0, 100, 1, 0.5, 0}},
      {"forward", new double[] {-1, 100, 1, 0.5, 0}},
      {"forward", new double[] {nan, 100, 1, 0.5, 0}},
      {"forward", new double[] {inf, 100, 1, 0.5, 0}},
      {"strike", new double[] {100, 0, 1, 0.5, 0}},
      {"strike", new double[] {100, -5, 1, 0.5, 0}},
      {"strike", new double[] {100, nan, 1, 0.5, 0}},
      {"strike", new double[] {100, inf, 1, 0.5, 0}},
      {"tau", new double[] {100, 100, nan, 0.5, 0}},
      {"tau", new double[] {100, 100, inf, 0.5, 0}},
      {"vol", new double[] {100, 100, 1, -0.01, 0}},
      {"vol", new double[] {100, 100, 1, nan, 0}},
      {"vol", new double[] {100, 100, 1, inf, 0}},
      {"rate", new double[] {100, 100, 1, 0.5, nan}},
      {"rate", new double[] {100, 100, 1, 0.5, -inf}},
    };
    for (Object[] row : bad) {
      String argument = (String) row[0];
      double[] args = (double[]) row[1];
      for (Consumer<double[]> call : entryPoints) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> call.accept(args));
        assertTrue(e.getMessage().startsWith(argument + " "), e.getMessage());
      }
    }
  }

  private static void assertGreeks(double[] g, double price, double delta, double gamma,
      double vega, double theta) {
    assertEquals(price, g[Black76.PRICE], 1e-12 * Math.max(1, Math.abs(price)), "price");
    assertEquals(delta, g[Black76.DELTA], 1e-15, "delta");
    assertEquals(gamma, g[Black76.GAMMA], 0.0, "gamma");
    assertEquals(vega, g[Black76.VEGA], 0.0, "vega");
    assertEquals(theta, g[Black76.THETA], 1e-12 * Math.max(1, Math.abs(theta)), "theta");
  }

  private static void assertClose(double expected, double actual, double relative, String what) {
    double error = Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-300);
    assertTrue(error <= relative,
        what + ": expected " + expected + ", got " + actual + ", relative error " + error);
  }
}
