package io.riskgrid.kernel;

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
    SimdKernel.aggregateInLanes(batch, matrix, out, false);
  }

  @Override
  public void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    ScalarKernel.INSTANCE.black76Greeks(cells, price, delta, gamma, vega, theta);
  }
}
