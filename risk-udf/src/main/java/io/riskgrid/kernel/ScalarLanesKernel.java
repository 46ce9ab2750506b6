package io.riskgrid.kernel;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scalar kernel's numbers, bit for bit, with its aggregation loop run in Vector API lanes. Each lane
 * does what {@link ScalarKernel#aggregate} does for one scenario column: the multiply q·R[i][s], rounded,
 * then the add to the risk array, rounded (never fused, unlike {@link SimdKernel}), position after
 * position in batch order, so every element sees the same operations in the same order. The JIT does not
 * vectorise the scalar loop itself: it cannot rule out that the risk arrays and the matrix are one array.
 * Revaluation and Greeks are {@link ScalarKernel}'s. Its name is {@code scalar}: what it computes is the
 * scalar kernel's, so {@code serve --kernel scalar} answers equal {@code whatif --kernel scalar}'s, while a
 * request's joint-move aggregation (201 columns a position, 13% of a served request's CPU, #14) runs in
 * lanes. Needs the Vector API module ({@link Kernels#scalarInLanes()} picks it only then).
 */
public final class ScalarLanesKernel implements RiskKernel {
  public static final ScalarLanesKernel INSTANCE = new ScalarLanesKernel();
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private static final long serialVersionUID = 1L;

  private ScalarLanesKernel() {}

  /** Stateless: deserialisation on an executor returns the singleton. */
  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return ScalarKernel.INSTANCE.name();
  }

  @Override
  public void black76(OptionCells cells, double[] out) {
    ScalarKernel.INSTANCE.black76(cells, out);
  }

  @Override
  public void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    int width = matrix.width();
    Arrays.fill(out, 0, batch.accounts() * width, 0.0);
    double[] r = matrix.values();
    int[] start = batch.accountStart();
    int[] instrument = batch.instrument();
    double[] quantity = batch.quantity();
    int lanes = SPECIES.length();
    for (int a = 0; a < batch.accounts(); a++) {
      int base = a * width;
      for (int j = start[a]; j < start[a + 1]; j++) {
        int i = instrument[j];
        double q = quantity[j];
        int dst = base + matrix.instrumentColumnOffset(i);
        int src = matrix.rowStart(i);
        int n = matrix.rowLength(i);
        DoubleVector qv = DoubleVector.broadcast(SPECIES, q);
        int s = 0;
        for (int bound = SPECIES.loopBound(n); s < bound; s += lanes) {
          DoubleVector product = DoubleVector.fromArray(SPECIES, r, src + s).mul(qv);
          DoubleVector.fromArray(SPECIES, out, dst + s).add(product).intoArray(out, dst + s);
        }
        for (; s < n; s++) {
          out[dst + s] += q * r[src + s];
        }
      }
    }
  }

  @Override
  public void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    ScalarKernel.INSTANCE.black76Greeks(cells, price, delta, gamma, vega, theta);
  }
}
