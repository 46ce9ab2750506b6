package io.riskgrid.kernel;

/**
 * The two hot loops of the engine, as pure functions over primitive arrays (no Spark types).
 * Implementations: {@link ScalarKernel} (the reference), {@link SimdKernel} (JDK Vector API), and a
 * CUDA one behind the same interface. They agree to 1e-10 relative on every entry. Serializable, so
 * a kernel travels to executors inside Spark closures.
 */
public interface RiskKernel extends java.io.Serializable {

  /** The name recorded in {@code runs}: scalar, simd or cuda. */
  String name();

  /**
   * Revaluation: Black-76 value of every cell, {@code out[c] = discount[c]·Black76(...)} in USD per
   * coin of underlying; intrinsic on the forward where tau ≤ 0.
   */
  void black76(OptionCells cells, double[] out);

  /**
   * Aggregation: risk arrays of a batch of accounts. For account a and each of its positions
   * (instrument i, quantity q): {@code out[a·width + columnOffset(i) + s] += q·R[i][s]} for every
   * scenario s of i's underlying. The kernel zeroes {@code out[0 .. accounts·width)} first.
   */
  void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out);
}
