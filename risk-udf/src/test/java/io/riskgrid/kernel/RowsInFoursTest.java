package io.riskgrid.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The four-rows walk computes the one-row walk's risk arrays bit for bit. The reference is a plain
 * loop written here: for each account, position and scenario, {@code Math.fma} in position order, which
 * is the arithmetic the one-row walk's lanes do. Batches mix underlyings, grid lengths of every lane
 * remainder, accounts of 0 to 25 positions (so every count of leftover rows after the fours), an
 * instrument held twice, and values of many magnitudes with zeros of both signs, infinities and NaN.
 */
class RowsInFoursTest {
  private static final int UNDERLYINGS = 5;

  @Test
  void addsFourRowsAtATimeWithTheOneRowWalksBits() {
    SplittableRandom rnd = new SplittableRandom(33);
    for (int round = 0; round < 40; round++) {
      int[] counts = new int[UNDERLYINGS];
      for (int u = 0; u < UNDERLYINGS; u++) {
        counts[u] = 1 + rnd.nextInt(203);
      }
      PnlMatrix m = randomMatrix(rnd, 60, counts);
      PositionBatch batch = randomBatch(rnd, 60, 1 + rnd.nextInt(12));
      double[] expected = reference(batch, m);
      double[] actual = new double[expected.length];
      RowsInFours.aggregate(batch, m, actual);
      assertBitsEqual(expected, actual, "round " + round);
    }
  }

  @Test
  void theSimdKernelTakesItForAMatrixLargerThanTheCacheAndKeepsItsNumbers() {
    SplittableRandom rnd = new SplittableRandom(34);
    // 3 underlyings × 3,063 joint windows on 460 instruments: 11.3 MB, below the threshold, then 1,400: 34 MB.
    int[] counts = {3_063, 3_063, 3_063};
    PnlMatrix small = randomMatrix(rnd, 460, counts);
    PnlMatrix large = randomMatrix(rnd, 1_400, counts);
    assertFalse(RowsInFours.suits(small));
    assertTrue(RowsInFours.suits(large));
    for (PnlMatrix m : new PnlMatrix[] {small, large}) {
      PositionBatch batch = randomBatch(rnd, m.instruments(), 6);
      double[] expected = reference(batch, m);
      double[] actual = new double[expected.length];
      Arrays.fill(actual, 7.0); // the kernel zeroes its output first
      SimdKernel.INSTANCE.aggregate(batch, m, actual);
      assertBitsEqual(expected, actual, m.instruments() + " instruments");
    }
  }

  private static PnlMatrix randomMatrix(SplittableRandom rnd, int instruments, int[] counts) {
    int[] underlyingOf = new int[instruments];
    for (int i = 0; i < instruments; i++) {
      underlyingOf[i] = rnd.nextInt(counts.length);
    }
    PnlMatrix m = new PnlMatrix(underlyingOf, counts);
    double[] values = m.values();
    for (int k = 0; k < values.length; k++) {
      values[k] = value(rnd);
    }
    return m;
  }

  private static PositionBatch randomBatch(SplittableRandom rnd, int instruments, int accounts) {
    PositionBatch batch = new PositionBatch(4, 16);
    for (int a = 0; a < accounts; a++) {
      int positions = rnd.nextInt(26);
      for (int j = 0; j < positions; j++) {
        batch.addPosition(rnd.nextInt(instruments), value(rnd));
      }
      if (positions > 0) {
        batch.addPosition(batch.instrument()[batch.positions() - 1], 0.1); // an instrument held twice
      }
      batch.endAccount();
    }
    return batch;
  }

  /** Position by position, scenario by scenario: {@code out = fma(R, q, out)}. */
  private static double[] reference(PositionBatch batch, PnlMatrix m) {
    double[] out = new double[batch.accounts() * m.width()];
    for (int a = 0; a < batch.accounts(); a++) {
      for (int j = batch.accountStart()[a]; j < batch.accountStart()[a + 1]; j++) {
        int i = batch.instrument()[j];
        int dst = a * m.width() + m.instrumentColumnOffset(i);
        for (int s = 0; s < m.rowLength(i); s++) {
          out[dst + s] = Math.fma(m.get(i, s), batch.quantity()[j], out[dst + s]);
        }
      }
    }
    return out;
  }

  private static double value(SplittableRandom rnd) {
    int kind = rnd.nextInt(1000);
    if (kind == 0) {
      return -0.0;
    }
    if (kind == 1) {
      return 0.0;
    }
    if (kind == 2) {
      return rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    if (kind == 3) {
      return Double.NaN;
    }
    return (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble() * Math.pow(10, rnd.nextInt(-6, 9));
  }

  private static void assertBitsEqual(double[] expected, double[] actual, String where) {
    assertEquals(expected.length, actual.length, where);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(Double.doubleToLongBits(expected[k]), Double.doubleToLongBits(actual[k]),
          where + ", element " + k + ": " + expected[k] + " vs " + actual[k]);
    }
  }
}
