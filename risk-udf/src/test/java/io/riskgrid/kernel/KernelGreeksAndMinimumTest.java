package io.riskgrid.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.pricing.Black76;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskKernel#black76Greeks} and {@link RiskKernel#aggregateWithMinimum} on the CPU: the scalar
 * reference against Black76 and hand-worked minima, and simd against scalar on random inputs with
 * deep out-of-the-money options and 1-hour expiries. cuda's parity is in the cuda test package.
 */
class KernelGreeksAndMinimumTest {
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

  /** Two underlyings: u0 has 4 scenarios (the last EXTREME), u1 has 3. */
  private static PnlMatrix handMatrix() {
    PnlMatrix m = new PnlMatrix(new int[] {0, 0, 1}, new int[] {4, 3});
    double[] v = m.values();
    System.arraycopy(new double[] {-1, 2, -3, -50}, 0, v, m.rowStart(0), 4);
    System.arraycopy(new double[] {1, -1, 1, 0}, 0, v, m.rowStart(1), 4);
    System.arraycopy(new double[] {5, -2, -2}, 0, v, m.rowStart(2), 3);
    return m;
  }

  @Test
  void minimumOverTheMarkedScenariosFirstIndexOnTies() {
    PnlMatrix m = handMatrix();
    boolean[] regular = {true, true, true, false, true, true, true};
    PositionBatch b = new PositionBatch(3, 4);
    b.addPosition(0, 1);   // account 0: u0 = 1·row0 + 2·row1 = (1, 0, -1, -50); u1 untouched = (0, 0, 0)
    b.addPosition(1, 2);
    b.endAccount();
    b.addPosition(2, 1);   // account 1: u1 = (5, -2, -2), a tie: the first index
    b.endAccount();
    b.endAccount();        // account 2: empty
    for (RiskKernel k : new RiskKernel[] {ScalarKernel.INSTANCE, SimdKernel.INSTANCE}) {
      double[] out = new double[3 * m.width()];
      double[] minimum = new double[6];
      int[] argmin = new int[6];
      k.aggregateWithMinimum(b, m, regular, out, minimum, argmin);
      assertArrayEquals(new double[] {-1, 0, 0, -2, 0, 0}, minimum, k.name());
      assertArrayEquals(new int[] {2, 0, 0, 1, 0, 0}, argmin, k.name() + ": the extreme -50 is not in the minimum");
      double[] plain = new double[out.length];
      k.aggregate(b, m, plain);
      assertArrayEquals(plain, out, k.name() + ": the risk arrays are aggregate's");
    }
  }

  @Test
  void unmarkedBlocksAndNanEntries() {
    PnlMatrix m = handMatrix();
    m.values()[m.rowStart(2) + 1] = Double.NaN;
    boolean[] onlyU1 = {false, false, false, false, true, true, true};
    PositionBatch b = new PositionBatch(1, 1);
    b.addPosition(2, 1);
    b.endAccount();
    double[] minimum = new double[2];
    int[] argmin = new int[2];
    ScalarKernel.INSTANCE.aggregateWithMinimum(b, m, onlyU1, new double[m.width()], minimum, argmin);
    assertEquals(Double.POSITIVE_INFINITY, minimum[0]);
    assertEquals(-1, argmin[0]);
    assertTrue(Double.isNaN(minimum[1]));
    assertEquals(1, argmin[1]);
  }

  @Test
  void simdMinimumAgreesWithScalarOnRandomBatches() {
    SplittableRandom rnd = new SplittableRandom(3);
    int[] counts = {21, 23, 35};
    int[] underlying = rnd.ints(400, 0, counts.length).toArray();
    PnlMatrix m = new PnlMatrix(underlying, counts);
    for (int k = 0; k < m.values().length; k++) {
      m.values()[k] = Math.exp(rnd.nextDouble(-3, 10)) * rnd.nextDouble(-1, 1);
    }
    boolean[] regular = new boolean[m.width()];
    for (int u = 0; u < counts.length; u++) {
      Arrays.fill(regular, m.columnOffset(u), m.columnOffset(u) + counts[u] - 2, true); // two EXTREME each
    }
    PositionBatch b = new PositionBatch(1, 1);
    for (int a = 0; a < 2_000; a++) {
      for (int p = rnd.nextInt(0, 30); p > 0; p--) {
        b.addPosition(rnd.nextInt(m.instruments()), rnd.nextDouble(-50, 50));
      }
      b.endAccount();
    }
    int blocks = b.accounts() * counts.length;
    double[] outScalar = new double[b.accounts() * m.width()];
    double[] outSimd = new double[outScalar.length];
    double[] minScalar = new double[blocks];
    double[] minSimd = new double[blocks];
    int[] argScalar = new int[blocks];
    int[] argSimd = new int[blocks];
    ScalarKernel.INSTANCE.aggregateWithMinimum(b, m, regular, outScalar, minScalar, argScalar);
    SimdKernel.INSTANCE.aggregateWithMinimum(b, m, regular, outSimd, minSimd, argSimd);
    for (int k = 0; k < blocks; k++) {
      int a = k / counts.length;
      int column = m.columnOffset(k % counts.length);
      double tolerance = 1e-10 * Math.max(1, Math.abs(minScalar[k])) + 1e-12 * 50 * 30 * 1e5;
      assertEquals(minScalar[k], minSimd[k], tolerance, "block " + k);
      // simd's argmin points at simd's minimum, and at a scenario that is scalar's minimum within rounding.
      assertEquals(minSimd[k], outSimd[a * m.width() + column + argSimd[k]], 0.0, "block " + k);
      assertEquals(minScalar[k], outScalar[a * m.width() + column + argSimd[k]], tolerance, "block " + k);
      assertTrue(regular[column + argSimd[k]], "block " + k + ": argmin is a marked scenario");
    }
  }

  @Test
  void shortOutputsAreRefusedNamingTheArgument() {
    OptionCells c = OptionCells.allocate(3);
    double[] ok = new double[3];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SimdKernel.INSTANCE.black76Greeks(c, ok, ok, new double[2], ok, ok));
    assertTrue(e.getMessage().startsWith("black76Greeks: gamma has 2 entries for 3 cells"), e.getMessage());
    PnlMatrix m = handMatrix();
    PositionBatch b = new PositionBatch(1, 1);
    b.endAccount();
    e = assertThrows(IllegalArgumentException.class, () -> ScalarKernel.INSTANCE.aggregateWithMinimum(b, m,
        new boolean[6], new double[7], new double[2], new int[2]));
    assertTrue(e.getMessage().contains("inMinimum has 6 entries for a risk-array width of 7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScalarKernel.INSTANCE.aggregateWithMinimum(b, m,
        new boolean[7], new double[7], new double[1], new int[2]));
    assertTrue(e.getMessage().contains("need 2 entries (1 accounts × 2 underlyings)"), e.getMessage());
  }
}
