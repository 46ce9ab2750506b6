package io.riskgrid.kernel;

/**
 * A flat batch of Black-76 evaluations, struct of arrays: forward and strike in USD per coin, tau in
 * years, vol decimal, discount factor e^{−r·tau}, and the option type as {@code isCall}.
 * Arrays may be longer than {@link #count()}; only the first {@code count} cells are read.
 *
 * <p>Optionally the caller also passes terms it hoisted out of the scenario loop (DESIGN §6):
 * {@code logMoneyness[c]} = ln(forward[c]/strike[c]) and {@code moneyness[c]} =
 * forward[c]/strike[c], dimensionless, and {@code sqrtTau[c]} = sqrt(tau[c]) in sqrt(years) (any
 * value where tau[c] ≤ 0). All three are null when not given ({@link #hasHoistedTerms()});
 * kernels that use them fall back to forward, strike and tau. They must describe the same cells
 * (to a few ulps): a kernel may read either form.
 */
public record OptionCells(int count, double[] forward, double[] strike, double[] tau, double[] vol,
    double[] discount, boolean[] isCall, double[] logMoneyness, double[] moneyness, double[] sqrtTau) {

  public OptionCells {
    if (count < 0 || forward.length < count || strike.length < count || tau.length < count || vol.length < count
        || discount.length < count || isCall.length < count) {
      throw new IllegalArgumentException("every OptionCells array needs at least count = " + count + " entries");
    }
    if ((logMoneyness == null) != (moneyness == null) || (logMoneyness == null) != (sqrtTau == null)) {
      throw new IllegalArgumentException("logMoneyness, moneyness and sqrtTau come together: pass all three or none");
    }
    if (logMoneyness != null && (logMoneyness.length < count || moneyness.length < count || sqrtTau.length < count)) {
      throw new IllegalArgumentException(
          "logMoneyness, moneyness and sqrtTau need at least count = " + count + " entries");
    }
  }

  /** Cells without hoisted terms. */
  public OptionCells(int count, double[] forward, double[] strike, double[] tau, double[] vol, double[] discount,
      boolean[] isCall) {
    this(count, forward, strike, tau, vol, discount, isCall, null, null, null);
  }

  public static OptionCells allocate(int count) {
    return new OptionCells(count, new double[count], new double[count], new double[count], new double[count],
        new double[count], new boolean[count]);
  }

  /** Cells with room for the hoisted terms. */
  public static OptionCells allocateHoisted(int count) {
    return new OptionCells(count, new double[count], new double[count], new double[count], new double[count],
        new double[count], new boolean[count], new double[count], new double[count], new double[count]);
  }

  /** True when {@link #logMoneyness()}, {@link #moneyness()} and {@link #sqrtTau()} are given. */
  public boolean hasHoistedTerms() {
    return logMoneyness != null;
  }

  /** The first {@code newCount} cells, over the same arrays. */
  public OptionCells withCount(int newCount) {
    return new OptionCells(newCount, forward, strike, tau, vol, discount, isCall, logMoneyness, moneyness, sqrtTau);
  }
}
