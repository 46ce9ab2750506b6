package io.riskgrid.kernel;

import io.riskgrid.kernel.simd.VectorBlack76;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK Vector API kernel: revaluation through {@link VectorBlack76}, and aggregation as one
 * vectorised AXPY per position over the contiguous P&L row (fused multiply-add); for a matrix larger
 * than the cache, four positions' rows at a time ({@link RowsInFours}), with the same result. The
 * Greeks are the scalar reference's (one call per instrument, not a hot loop).
 */
public final class SimdKernel implements RiskKernel {
  public static final SimdKernel INSTANCE = new SimdKernel();
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private static final long serialVersionUID = 1L;

  /** Stateless: deserialisation on an executor returns the singleton. */
  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "simd";
  }

  @Override
  public void black76(OptionCells cells, double[] out) {
    // With the terms the caller hoisted out of the scenario loop, the lanes skip LOG, SQRT and F/K.
    if (cells.hasHoistedTerms()) {
      VectorBlack76.priceHoisted(cells.forward(), cells.strike(), cells.tau(), cells.vol(), cells.discount(),
          cells.isCall(), cells.logMoneyness(), cells.moneyness(), cells.sqrtTau(), out, 0, cells.count());
      return;
    }
    VectorBlack76.price(cells.forward(), cells.strike(), cells.tau(), cells.vol(), cells.discount(), cells.isCall(), out,
        0, cells.count());
  }

  @Override
  public void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    aggregateInLanes(batch, matrix, out, true);
  }

  /**
   * {@link RiskKernel#aggregate} with each position's row added in vector lanes: with a fused
   * multiply-add when {@code fused} (this kernel), else a multiply then an add, each rounded, which is
   * {@link ScalarKernel#aggregate}'s arithmetic bit for bit ({@link ScalarLanesKernel}).
   */
  static void aggregateInLanes(PositionBatch batch, PnlMatrix matrix, double[] out, boolean fused) {
    int width = matrix.width();
    Arrays.fill(out, 0, batch.accounts() * width, 0.0);
    if (fused && RowsInFours.suits(matrix)) {
      RowsInFours.aggregate(batch, matrix, out);
      return;
    }
    double[] r = matrix.values();
    int[] start = batch.accountStart();
    int[] instrument = batch.instrument();
    double[] quantity = batch.quantity();
    for (int a = 0; a < batch.accounts(); a++) {
      int base = a * width;
      for (int j = start[a]; j < start[a + 1]; j++) {
        int i = instrument[j];
        int dst = base + matrix.instrumentColumnOffset(i);
        if (fused) {
          fusedRow(r, matrix.rowStart(i), matrix.rowLength(i), quantity[j], out, dst);
        } else {
          unfusedRow(r, matrix.rowStart(i), matrix.rowLength(i), quantity[j], out, dst);
        }
      }
    }
  }

  /** {@code out[dst + s] = fma(r[src + s], q, out[dst + s])} for s < n. */
  static void fusedRow(double[] r, int src, int n, double q, double[] out, int dst) {
    DoubleVector qv = DoubleVector.broadcast(SPECIES, q);
    int s = 0;
    for (int bound = SPECIES.loopBound(n); s < bound; s += SPECIES.length()) {
      DoubleVector acc = DoubleVector.fromArray(SPECIES, out, dst + s);
      DoubleVector.fromArray(SPECIES, r, src + s).fma(qv, acc).intoArray(out, dst + s);
    }
    for (; s < n; s++) {
      out[dst + s] = Math.fma(r[src + s], q, out[dst + s]);
    }
  }

  /** {@code out[dst + s] += q * r[src + s]} for s < n, as the scalar loop rounds it. */
  private static void unfusedRow(double[] r, int src, int n, double q, double[] out, int dst) {
    DoubleVector qv = DoubleVector.broadcast(SPECIES, q);
    int s = 0;
    for (int bound = SPECIES.loopBound(n); s < bound; s += SPECIES.length()) {
      DoubleVector product = DoubleVector.fromArray(SPECIES, r, src + s).mul(qv);
      DoubleVector.fromArray(SPECIES, out, dst + s).add(product).intoArray(out, dst + s);
    }
    for (; s < n; s++) {
      out[dst + s] += q * r[src + s];
    }
  }

  /** Delegates to {@link ScalarKernel#black76Greeks}: not vectorised, so bit for bit the reference. */
  @Override
  public void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    ScalarKernel.INSTANCE.black76Greeks(cells, price, delta, gamma, vega, theta);
  }
}
