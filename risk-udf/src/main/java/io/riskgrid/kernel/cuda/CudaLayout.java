package io.riskgrid.kernel.cuda;

import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;

/**
 * The byte layouts the kernels read and write, handled here and documented in {@code black76.cu}
 * and {@code aggregate.cu}: each batch is packed into one buffer (in native byte order) so that it
 * crosses to the device in one transfer. Arrays are struct-of-arrays, doubles first, so every
 * segment is aligned for its type.
 */
final class CudaLayout {
  private CudaLayout() {}

  /** Revaluation input: forward, strike, tau, vol and discount (doubles), then isCall (one byte each). */
  static long cellsBytes(int count) {
    return 41L * count;
  }

  static void packCells(OptionCells cells, ByteBuffer dst) {
    int n = cells.count();
    DoubleBuffer d = dst.asDoubleBuffer();
    d.put(0, cells.forward(), 0, n);
    d.put(n, cells.strike(), 0, n);
    d.put(2 * n, cells.tau(), 0, n);
    d.put(3 * n, cells.vol(), 0, n);
    d.put(4 * n, cells.discount(), 0, n);
    boolean[] isCall = cells.isCall();
    int flags = 40 * n;
    for (int c = 0; c < n; c++) {
      dst.put(flags + c, isCall[c] ? (byte) 1 : (byte) 0);
    }
  }

  /** Aggregation input: quantity (doubles), instrument (ints), accountStart (accounts + 1 ints). */
  static long batchBytes(PositionBatch batch) {
    return 12L * batch.positions() + 4L * (batch.accounts() + 1);
  }

  static void packBatch(PositionBatch batch, ByteBuffer dst) {
    int p = batch.positions();
    dst.asDoubleBuffer().put(0, batch.quantity(), 0, p);
    IntBuffer ints = dst.asIntBuffer();
    ints.put(2 * p, batch.instrument(), 0, p);
    ints.put(3 * p, batch.accountStart(), 0, batch.accounts() + 1);
  }

  /**
   * The matrix, kept on the device: the P&L values (doubles), then rowStart and the underlying of
   * each instrument, the underlying of each of the {@code width} risk-array columns, and the column
   * offset of each underlying (ints).
   */
  static long matrixBytes(PnlMatrix m) {
    return 8L * m.values().length + 4L * (2L * m.instruments() + m.width() + m.underlyings());
  }

  static void packMatrix(PnlMatrix m, ByteBuffer dst) {
    int cells = m.values().length;
    int instruments = m.instruments();
    int width = m.width();
    dst.asDoubleBuffer().put(0, m.values(), 0, cells);
    IntBuffer ints = dst.asIntBuffer();
    int at = 2 * cells;
    for (int i = 0; i < instruments; i++) {
      ints.put(at + i, m.rowStart(i));
      ints.put(at + instruments + i, m.underlyingOf(i));
    }
    at += 2 * instruments;
    for (int u = 0; u < m.underlyings(); u++) {
      for (int s = 0; s < m.scenarioCount(u); s++) {
        ints.put(at + m.columnOffset(u) + s, u);
      }
      ints.put(at + width + u, m.columnOffset(u));
    }
  }

  /** Greeks output: price, delta, gamma, vega, theta, {@code count} doubles each, in that order. */
  static long greeksBytes(int count) {
    return 40L * count;
  }
}
