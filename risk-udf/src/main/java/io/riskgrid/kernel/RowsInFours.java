package io.riskgrid.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdKernel}'s aggregation for a P&amp;L matrix larger than the cache (a few thousand joint
 * scenarios on two thousand instruments: 49 MB). There each row comes from memory and the account's
 * risk array is read and written once per position; here an account's positions on one underlying are
 * added four rows at a time, so the risk array is read and written once per four rows and four rows
 * stream together. The fused multiply-adds of every entry are those of the one-row walk, in the same
 * order (position order within the underlying), so the result is the same to the bit.
 *
 * <p>Measured on the 2-vCPU AMD EPYC (32 MB L3), 2,000 instruments, 20 positions per account: 2.3e9
 * against 1.6-1.7e9 multiply-adds/s at 3,063 scenarios (49 MB); the same at 2,000 (32 MB); slower
 * below that, where the matrix stays in cache and the four rows' range checks cost more than the
 * traffic saved (2.4e9 against 4.3e9 at 350 scenarios). Hence {@link #MIN_MATRIX_BYTES}.
 */
final class RowsInFours {
  /** Matrices of at least this many bytes take this walk: about a server core complex's L3. */
  static final long MIN_MATRIX_BYTES = 32L << 20;
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private RowsInFours() {}

  static boolean suits(PnlMatrix matrix) {
    return 8L * matrix.values().length >= MIN_MATRIX_BYTES;
  }

  /** {@link RiskKernel#aggregate} with fused multiply-adds, {@code out} already zeroed. */
  static void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    int width = matrix.width();
    double[] r = matrix.values();
    int[] start = batch.accountStart();
    int[] instrument = batch.instrument();
    double[] quantity = batch.quantity();
    int[] onUnderlying = new int[maxPositions(batch)];
    for (int a = 0; a < batch.accounts(); a++) {
      for (int u = 0; u < matrix.underlyings(); u++) {
        int k = 0;
        for (int j = start[a]; j < start[a + 1]; j++) {
          if (matrix.underlyingOf(instrument[j]) == u) {
            onUnderlying[k++] = j;
          }
        }
        int dst = a * width + matrix.columnOffset(u);
        int n = matrix.scenarioCount(u);
        int g = 0;
        for (; g + 4 <= k; g += 4) {
          int j0 = onUnderlying[g];
          int j1 = onUnderlying[g + 1];
          int j2 = onUnderlying[g + 2];
          int j3 = onUnderlying[g + 3];
          fourRows(r, matrix.rowStart(instrument[j0]), matrix.rowStart(instrument[j1]), matrix.rowStart(instrument[j2]),
              matrix.rowStart(instrument[j3]), quantity[j0], quantity[j1], quantity[j2], quantity[j3], n, out, dst);
        }
        for (; g < k; g++) {
          int j = onUnderlying[g];
          SimdKernel.fusedRow(r, matrix.rowStart(instrument[j]), n, quantity[j], out, dst);
        }
      }
    }
  }

  private static int maxPositions(PositionBatch batch) {
    int most = 0;
    int[] start = batch.accountStart();
    for (int a = 0; a < batch.accounts(); a++) {
      most = Math.max(most, start[a + 1] - start[a]);
    }
    return most;
  }

  /** {@code out[dst + s]} gets the four rows' {@code fma(r, q, ·)} in turn, for s < n. */
  private static void fourRows(double[] r, int src0, int src1, int src2, int src3, double q0, double q1, double q2,
      double q3, int n, double[] out, int dst) {
    DoubleVector v0 = DoubleVector.broadcast(SPECIES, q0);
    DoubleVector v1 = DoubleVector.broadcast(SPECIES, q1);
    DoubleVector v2 = DoubleVector.broadcast(SPECIES, q2);
    DoubleVector v3 = DoubleVector.broadcast(SPECIES, q3);
    int s = 0;
    for (int bound = SPECIES.loopBound(n); s < bound; s += SPECIES.length()) {
      DoubleVector acc = DoubleVector.fromArray(SPECIES, out, dst + s);
      acc = DoubleVector.fromArray(SPECIES, r, src0 + s).fma(v0, acc);
      acc = DoubleVector.fromArray(SPECIES, r, src1 + s).fma(v1, acc);
      acc = DoubleVector.fromArray(SPECIES, r, src2 + s).fma(v2, acc);
      DoubleVector.fromArray(SPECIES, r, src3 + s).fma(v3, acc).intoArray(out, dst + s);
    }
    for (; s < n; s++) {
      double acc = out[dst + s];
      acc = Math.fma(r[src0 + s], q0, acc);
      acc = Math.fma(r[src1 + s], q1, acc);
      acc = Math.fma(r[src2 + s], q2, acc);
      out[dst + s] = Math.fma(r[src3 + s], q3, acc);
    }
  }
}
