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

  /**
   * Greeks of every cell, with the conventions and units of {@link io.riskgrid.pricing.Black76#greeks}
   * on the cell's forward, scaled by the cell's discount factor df:
   * {@code price[c]} in USD per coin (exactly what {@link #black76} gives), {@code delta[c]} = ∂V/∂F
   * (dimensionless), {@code gamma[c]} = ∂²V/∂F² (per USD), {@code vega[c]} = ∂V/∂σ per 1.00 of vol,
   * {@code theta[c]} = −∂V/∂tau at fixed F in USD per year, including Black-76's discounting term r·V
   * with r = −ln(df)/tau, the rate the discount factor stands for. Where tau ≤ 0 or vol·√tau = 0:
   * the step delta (±df in the money, ±df/2 at the money, 0 out of it), gamma = vega = 0, theta = r·V
   * (0 once expired). Per-account figures (per vol point, per day, coin settlement) are the caller's.
   * Each output needs at least {@code cells.count()} entries; nothing past that is written.
   */
  void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega, double[] theta);

  /**
   * The kernel to use for a second, small matrix aggregated alongside the main one (the joint-move P&amp;L
   * of DESIGN §7.5): this kernel, except where alternating two matrices would cost a device transfer
   * per batch (CUDA keeps one matrix resident), which answers a host kernel.
   */
  default RiskKernel forSecondMatrix() {
    return this;
  }
}
