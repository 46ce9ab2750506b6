package io.riskgrid.kernel;

/**
 * Argument checks shared by every {@link RiskKernel} implementation, so that scalar, simd and cuda
 * refuse the same calls with the same message (before any work, and before anything reaches a device).
 */
public final class KernelArguments {
  private KernelArguments() {}

  /** Every Greek output holds at least {@code count} entries. */
  public static void checkGreekOutputs(int count, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    String[] names = {"price", "delta", "gamma", "vega", "theta"};
    double[][] outputs = {price, delta, gamma, vega, theta};
    for (int k = 0; k < names.length; k++) {
      if (outputs[k].length < count) {
        throw new IllegalArgumentException("black76Greeks: " + names[k] + " has " + outputs[k].length
            + " entries for " + count + " cells; allocate at least one per cell");
      }
    }
  }
}
