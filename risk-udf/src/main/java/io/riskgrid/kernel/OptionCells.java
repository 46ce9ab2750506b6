package io.riskgrid.kernel;

/**
 * A flat batch of Black-76 evaluations, struct of arrays: forward and strike in USD per coin, tau in
 * years, vol decimal, discount factor e^{−r·tau}, and the option type as {@code isCall}.
 * Arrays may be longer than {@link #count()}; only the first {@code count} cells are read.
 */
public record OptionCells(int count, double[] forward, double[] strike, double[] tau, double[] vol,
    double[] discount, boolean[] isCall) {

  public OptionCells {
    if (count < 0 || forward.length < count || strike.length < count || tau.length < count || vol.length < count
        || discount.length < count || isCall.length < count) {
      throw new IllegalArgumentException("every OptionCells array needs at least count = " + count + " entries");
    }
  }

  public static OptionCells allocate(int count) {
    return new OptionCells(count, new double[count], new double[count], new double[count], new double[count],
        new double[count], new boolean[count]);
  }
}
