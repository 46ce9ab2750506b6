package io.riskgrid.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar kernel in lanes computes the scalar kernel's risk arrays bit for bit: random CSR batches
 * over grids of every length from 1 to 203 columns (lane remainders of each size, the 201-column move
 * grid), values spanning many magnitudes, with zeros of both signs, infinities and NaN, and a position
 * whose row is added twice. The FMA kernel differs in the last bits on the same data, so this test
 * would see a fused multiply-add.
 */
class ScalarLanesKernelTest {
  private static final int UNDERLYINGS = 9;

  @Test
  void aggregatesBitForBitAsTheScalarKernel() {
    SplittableRandom rnd = new SplittableRandom(21);
    int[] counts = new int[UNDERLYINGS];
    for (int u = 0; u < UNDERLYINGS; u++) {
      counts[u] = u < 8 ? 1 + u + 8 * rnd.nextInt(3) : 201;
    }
    for (int round = 0; round < 30; round++) {
      int instruments = 40;
      int[] underlyingOf = new int[instruments];
      for (int i = 0; i < instruments; i++) {
        underlyingOf[i] = rnd.nextInt(UNDERLYINGS);
      }
      counts[round % 8] = 1 + rnd.nextInt(203); // every length in turn
      PnlMatrix m = new PnlMatrix(underlyingOf, counts.clone());
      double[] values = m.values();
      for (int k = 0; k < values.length; k++) {
        values[k] = value(rnd);
      }
      PositionBatch batch = new PositionBatch(4, 16);
      int accounts = 1 + rnd.nextInt(12);
      for (int a = 0; a < accounts; a++) {
        int positions = rnd.nextInt(25);
        for (int j = 0; j < positions; j++) {
          batch.addPosition(rnd.nextInt(instruments), value(rnd));
        }
        if (positions > 0) {
          batch.addPosition(batch.instrument()[batch.positions() - 1], 0.1); // an instrument held twice
        }
        batch.endAccount();
      }
      double[] scalar = new double[accounts * m.width()];
      double[] lanes = new double[accounts * m.width()];
      Arrays.fill(lanes, 7.0); // the kernel zeroes its output first
      ScalarKernel.INSTANCE.aggregate(batch, m, scalar);
      ScalarLanesKernel.INSTANCE.aggregate(batch, m, lanes);
      for (int k = 0; k < scalar.length; k++) {
        assertEquals(Double.doubleToLongBits(scalar[k]), Double.doubleToLongBits(lanes[k]),
            "round " + round + ", element " + k + ": " + scalar[k] + " vs " + lanes[k]);
      }
    }
  }

  @Test
  void theFusedKernelDiffersOnTheSameKindOfData() {
    // The check above can fail: on such data the FMA kernel's bits differ from the scalar kernel's.
    PnlMatrix m = new PnlMatrix(new int[] {0, 0}, new int[] {64});
    SplittableRandom rnd = new SplittableRandom(4);
    for (int k = 0; k < m.values().length; k++) {
      m.values()[k] = rnd.nextDouble(-1e4, 1e4);
    }
    PositionBatch batch = new PositionBatch(1, 2);
    batch.addPosition(0, 0.1);
    batch.addPosition(1, -0.3);
    batch.endAccount();
    double[] scalar = new double[64];
    double[] fused = new double[64];
    ScalarKernel.INSTANCE.aggregate(batch, m, scalar);
    SimdKernel.INSTANCE.aggregate(batch, m, fused);
    int differ = 0;
    for (int k = 0; k < 64; k++) {
      differ += scalar[k] == fused[k] ? 0 : 1;
    }
    assertTrue(differ > 0, "no element differs between the fused and the scalar kernel");
  }

  @Test
  void revaluesAsTheScalarKernelAndIsNamedScalar() {
    assertEquals("scalar", ScalarLanesKernel.INSTANCE.name());
    assertSame(ScalarLanesKernel.INSTANCE, Kernels.scalarInLanes(), "the Vector API is resolved in the tests");
    SplittableRandom rnd = new SplittableRandom(3);
    OptionCells cells = OptionCells.allocate(257);
    for (int c = 0; c < cells.count(); c++) {
      cells.forward()[c] = rnd.nextDouble(50, 150);
      cells.strike()[c] = rnd.nextDouble(50, 150);
      cells.tau()[c] = rnd.nextInt(10) == 0 ? 0.0 : rnd.nextDouble(0.001, 2);
      cells.vol()[c] = rnd.nextDouble(0.05, 1.5);
      cells.discount()[c] = rnd.nextDouble(0.95, 1);
      cells.isCall()[c] = rnd.nextBoolean();
    }
    double[] scalar = new double[cells.count()];
    double[] lanes = new double[cells.count()];
    ScalarKernel.INSTANCE.black76(cells, scalar);
    ScalarLanesKernel.INSTANCE.black76(cells, lanes);
    for (int c = 0; c < scalar.length; c++) {
      assertEquals(Double.doubleToLongBits(scalar[c]), Double.doubleToLongBits(lanes[c]));
    }
  }

  /** Magnitudes from 1e-8 to 1e8, either sign, and now and then a signed zero, an infinity or NaN. */
  private static double value(SplittableRandom rnd) {
    switch (rnd.nextInt(60)) {
      case 0:
        return 0.0;
      case 1:
        return -0.0;
      case 2:
        return rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 3:
        return Double.NaN;
      default:
        return (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-8, 8)) * rnd.nextDouble(1, 10);
    }
  }
}
