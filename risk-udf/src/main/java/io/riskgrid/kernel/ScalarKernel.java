package io.riskgrid.kernel;

import io.riskgrid.pricing.Black76;
import java.util.Arrays;

/** The reference kernel: plain loops over {@link Black76}. Kept simple on purpose; others are checked against it. */
public final class ScalarKernel implements RiskKernel {
  public static final ScalarKernel INSTANCE = new ScalarKernel();

  private static final long serialVersionUID = 1L;

  /** Stateless: deserialisation on an executor returns the singleton. */
  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void black76(OptionCells cells, double[] out) {
    for (int c = 0; c < cells.count(); c++) {
      // Black76.price discounts with e^{-r·tau}; the cell carries the factor, so price at r = 0 and scale.
      out[c] = cells.discount()[c]
          * Black76.price(cells.isCall()[c], cells.forward()[c], cells.strike()[c], cells.tau()[c], cells.vol()[c], 0.0);
    }
  }

  @Override
  public void aggregate(PositionBatch batch, PnlMatrix matrix, double[] out) {
    int width = matrix.width();
    Arrays.fill(out, 0, batch.accounts() * width, 0.0);
    double[] r = matrix.values();
    int[] start = batch.accountStart();
    for (int a = 0; a < batch.accounts(); a++) {
      for (int j = start[a]; j < start[a + 1]; j++) {
        int i = batch.instrument()[j];
        double q = batch.quantity()[j];
        int dst = a * width + matrix.instrumentColumnOffset(i);
        int src = matrix.rowStart(i);
        int n = matrix.rowLength(i);
        for (int s = 0; s < n; s++) {
          out[dst + s] += q * r[src + s];
        }
      }
    }
  }

  /**
   * Straight {@link Black76#greeks} calls at rate 0, scaled by the cell's discount factor, plus the
   * discounting term r·V of theta with r = −ln(df)/tau (see {@link RiskKernel#black76Greeks}).
   */
  @Override
  public void black76Greeks(OptionCells cells, double[] price, double[] delta, double[] gamma, double[] vega,
      double[] theta) {
    KernelArguments.checkGreekOutputs(cells.count(), price, delta, gamma, vega, theta);
    double[] g = new double[5];
    for (int c = 0; c < cells.count(); c++) {
      double tau = cells.tau()[c];
      double df = cells.discount()[c];
      Black76.greeks(cells.isCall()[c], cells.forward()[c], cells.strike()[c], tau, cells.vol()[c], 0.0, g);
      double rate = tau > 0 ? -Math.log(df) / tau : 0.0;
      price[c] = df * g[Black76.PRICE];
      delta[c] = df * g[Black76.DELTA];
      gamma[c] = df * g[Black76.GAMMA];
      vega[c] = df * g[Black76.VEGA];
      theta[c] = df * g[Black76.THETA] + rate * price[c];
    }
  }
}
