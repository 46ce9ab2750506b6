package io.riskgrid.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.pricing.Black76;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskKernel#black76Greeks} on the CPU: the scalar reference against Black76 and finite
 * differences, and simd against scalar on random inputs with deep out-of-the-money options and
 * 1-hour expiries. cuda's parity is in the cuda test package.
 */
class KernelGreeksTest {
  private static final double HOUR = 1.0 / (365 * 24);

  /** Ordinary, deep OTM (|ln K/F| 2 .. 6) and 1-hour cells, each with its rate; the discount is e^{-r·tau}. */
  private static OptionCells cells(long seed, int n, double[] rate) {
    SplittableRandom rnd = new SplittableRandom(seed);
    OptionCells c = OptionCells.allocate(n);
    for (int i = 0; i < n; i++) {
      double f = Math.exp(rnd.nextDouble(Math.log(1), Math.log(150_000)));
      double k = f * Math.exp(rnd.nextDouble(-0.8, 0.8));
      double tau = rnd.nextDouble(HOUR, 2.0);
      switch (i % 3) {
        case 1 -> k = f * Math.exp((rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(2, 6));
        case 2 -> {
          tau = HOUR;
          k = f * Math.exp(rnd.nextDouble(-0.03, 0.03));
        }
        default -> { }
      }
      rate[i] = rnd.nextDouble(0.01, 0.1);
      c.forward()[i] = f;
      c.strike()[i] = k;
      c.tau()[i] = tau;
      c.vol()[i] = rnd.nextDouble(0.05, 1.5);
      c.discount()[i] = Math.exp(-rate[i] * tau);
      c.isCall()[i] = rnd.nextBoolean();
    }
    return c;
  }

  private static double[][] greeks(RiskKernel kernel, OptionCells c) {
    double[][] g = new double[5][c.count()];
    kernel.black76Greeks(c, g[0], g[1], g[2], g[3], g[4]);
    return g;
  }

  @Test
  void scalarGreeksAreBlack76AtTheCellsRate() {
    int n = 30_000;
    double[] rate = new double[n];
    OptionCells c = cells(5, n, rate);
    double[][] g = greeks(ScalarKernel.INSTANCE, c);
    double[] price = new double[n];
    ScalarKernel.INSTANCE.black76(c, price);
    assertArrayEquals(price, g[0], "the Greeks' price is the revaluation kernel's");
    double[] expected = new double[5];
    for (int i = 0; i < n; i++) {
      double f = c.forward()[i];
      double tau = c.tau()[i];
      Black76.greeks(c.isCall()[i], f, c.strike()[i], tau, c.vol()[i], rate[i], expected);
      // Scaling by df reorders a product or two; theta's r·V uses r recovered from df, off by ulp(df)/tau.
      double[] tolerance = {1e-13 * f, 1e-13, 1e-13 / f, 1e-13 * f, 1e-13 * Math.abs(expected[4]) + 1e-15 * expected[0] / tau};
      for (int k = 0; k < 5; k++) {
        double actual = g[k][i];
        // Subnormal results (deep OTM) keep fewer bits, so their rounding differs by more than 1e-13 of them.
        assertEquals(expected[k], actual, 1e-13 * Math.abs(expected[k]) + tolerance[k] + Double.MIN_NORMAL,
            "greek " + k + " of cell " + i);
      }
      double moneyness = Math.abs(Math.log(c.strike()[i] / f)) / (c.vol()[i] * Math.sqrt(tau));
      if (moneyness < 30) { // deep OTM but representable: no underflow to 0 (DESIGN §3.2)
        assertTrue(g[0][i] > 0 && g[3][i] > 0, "cell " + i + " stays positive: price " + g[0][i] + ", vega " + g[3][i]);
      }
    }
  }

  @Test
  void greeksMatchFiniteDifferences() {
    OptionCells c = OptionCells.allocate(1);
    double f = 60_000;
    double tau = 30.0 / 365;
    double df = Math.exp(-0.05 * tau);
    setCell(c, 0, false, f, 55_000, tau, 0.6, df);
    double[][] g = greeks(ScalarKernel.INSTANCE, c);
    double h = 1e-4 * f;
    double up = price(false, f + h, 55_000, tau, 0.6, df);
    double down = price(false, f - h, 55_000, tau, 0.6, df);
    assertEquals((up - down) / (2 * h), g[1][0], 1e-7);
    assertEquals((up - 2 * g[0][0] + down) / (h * h), g[2][0], 1e-6 * g[2][0]);
    double dv = 1e-5;
    assertEquals((price(false, f, 55_000, tau, 0.6 + dv, df) - price(false, f, 55_000, tau, 0.6 - dv, df)) / (2 * dv),
        g[3][0], 1e-6 * g[3][0]);
    // Theta at fixed F and fixed rate: the discount factor moves with tau.
    double dt = 1e-6;
    double later = price(false, f, 55_000, tau - dt, 0.6, Math.exp(-0.05 * (tau - dt)));
    double earlier = price(false, f, 55_000, tau + dt, 0.6, Math.exp(-0.05 * (tau + dt)));
    assertEquals(-(earlier - later) / (2 * dt), g[4][0], 1e-6 * Math.abs(g[4][0]));
  }

  private static double price(boolean call, double f, double k, double tau, double vol, double df) {
    OptionCells c = OptionCells.allocate(1);
    setCell(c, 0, call, f, k, tau, vol, df);
    double[] out = new double[1];
    ScalarKernel.INSTANCE.black76(c, out);
    return out[0];
  }

  @Test
  void expiredAndZeroVolCellsHaveStepDeltaAndNoTimeValue() {
    OptionCells c = OptionCells.allocate(4);
    setCell(c, 0, true, 100, 90, 0.0, 0.5, 1.0);                      // expired ITM call
    setCell(c, 1, false, 100, 100, -0.01, 0.5, 1.0);                  // expired ATM put: delta -1/2
    setCell(c, 2, true, 100, 90, 0.5, 0.0, Math.exp(-0.04 * 0.5));    // zero vol, tau > 0: theta r·V
    setCell(c, 3, false, 100, 90, 0.5, 0.0, Math.exp(-0.04 * 0.5));   // zero vol OTM put: all 0
    double[][] g = greeks(ScalarKernel.INSTANCE, c);
    double df = Math.exp(-0.02);
    assertArrayEquals(new double[] {10, 1, 0, 0, 0}, column(g, 0));
    assertArrayEquals(new double[] {0, -0.5, 0, 0, 0}, column(g, 1));
    assertArrayEquals(new double[] {10 * df, df, 0, 0, 0.04 * 10 * df}, column(g, 2), 1e-14);
    assertArrayEquals(new double[] {0, -0.0, 0, 0, 0}, column(g, 3)); // -df·0, as Black76
  }

  private static double[] column(double[][] g, int cell) {
    return new double[] {g[0][cell], g[1][cell], g[2][cell], g[3][cell], g[4][cell]};
  }

  private static void setCell(OptionCells c, int i, boolean call, double f, double k, double tau, double vol,
      double df) {
    c.isCall()[i] = call;
    c.forward()[i] = f;
    c.strike()[i] = k;
    c.tau()[i] = tau;
    c.vol()[i] = vol;
    c.discount()[i] = df;
  }

  /** simd delegates its Greeks to the scalar reference: equal bit for bit, deep OTM and 1-hour cells included. */
  @Test
  void simdGreeksAreTheScalarKernels() {
    int n = 20_000;
    OptionCells c = cells(11, n, new double[n]);
    double[][] scalar = greeks(ScalarKernel.INSTANCE, c);
    double[][] simd = greeks(SimdKernel.INSTANCE, c);
    for (int k = 0; k < 5; k++) {
      assertArrayEquals(scalar[k], simd[k], "greek " + k);
    }
  }

  @Test
  void shortOutputsAreRefusedNamingTheArgument() {
    OptionCells c = OptionCells.allocate(3);
    double[] ok = new double[3];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SimdKernel.INSTANCE.black76Greeks(c, ok, ok, new double[2], ok, ok));
    assertTrue(e.getMessage().startsWith("black76Greeks: gamma has 2 entries for 3 cells"), e.getMessage());
  }
}
