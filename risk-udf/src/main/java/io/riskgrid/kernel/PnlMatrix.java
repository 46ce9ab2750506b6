package io.riskgrid.kernel;

import java.io.Serializable;

/**
 * R, the P&L of one contract of each instrument under each scenario of its underlying, in the
 * instrument's settlement currency (USD for linear, coin for inverse). Rows are contiguous:
 * instrument i's scenarios lie at {@code values[rowStart(i) .. rowStart(i) + rowLength(i))}.
 *
 * <p>An account's risk arrays are one wide vector of {@link #width()} doubles: underlying u's
 * scenarios sit at {@code columnOffset(u) ..}, in policy order.
 */
public final class PnlMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] values;
  private final int[] rowStart;
  private final int[] instrumentUnderlying;
  private final int[] underlyingColumnOffset;
  private final int[] underlyingScenarioCount;
  private final int width;

  /**
   * @param instrumentUnderlying underlying index of each instrument
   * @param underlyingScenarioCount scenario count of each underlying's grid
   */
  public PnlMatrix(int[] instrumentUnderlying, int[] underlyingScenarioCount) {
    this.instrumentUnderlying = instrumentUnderlying.clone();
    this.underlyingScenarioCount = underlyingScenarioCount.clone();
    this.underlyingColumnOffset = new int[underlyingScenarioCount.length];
    int w = 0;
    for (int u = 0; u < underlyingScenarioCount.length; u++) {
      underlyingColumnOffset[u] = w;
      w += underlyingScenarioCount[u];
    }
    this.width = w;
    this.rowStart = new int[instrumentUnderlying.length + 1];
    for (int i = 0; i < instrumentUnderlying.length; i++) {
      rowStart[i + 1] = rowStart[i] + underlyingScenarioCount[instrumentUnderlying[i]];
    }
    this.values = new double[rowStart[instrumentUnderlying.length]];
  }

  public int instruments() { return instrumentUnderlying.length; }
  public int underlyings() { return underlyingScenarioCount.length; }
  /** Length of one account's wide risk-array vector. */
  public int width() { return width; }
  public int rowStart(int instrument) { return rowStart[instrument]; }
  public int rowLength(int instrument) { return underlyingScenarioCount[instrumentUnderlying[instrument]]; }
  public int underlyingOf(int instrument) { return instrumentUnderlying[instrument]; }
  public int columnOffset(int underlying) { return underlyingColumnOffset[underlying]; }
  public int scenarioCount(int underlying) { return underlyingScenarioCount[underlying]; }
  /** Column offset of an instrument's row in the account's wide vector. */
  public int instrumentColumnOffset(int instrument) { return underlyingColumnOffset[instrumentUnderlying[instrument]]; }

  /** The backing array, row-major by instrument. Kernels read it directly; treat as read-only outside the builder. */
  public double[] values() { return values; }

  public double get(int instrument, int scenario) {
    return values[rowStart[instrument] + scenario];
  }
}
