package io.riskgrid.margin;

import io.riskgrid.valuation.IndexMoveGrid;
import java.io.Serializable;

/**
 * The exchange liquidation curve of DESIGN §7.5, summed over accounts: for each joint index move x of
 * {@link IndexMoveGrid}, the accounts with equity + P&amp;L(x) &lt; MM (MM held at today's value), the
 * shortfall max(0, −(equity + P&amp;L(x))) summed, and the equity at risk, max(0, equity + P&amp;L(x))
 * summed over those accounts: what the liquidation engine still has to work with when it closes them
 * out. Amounts are USD; a coin account's amounts are converted at its coin's moved index S·(1 + x), the
 * price at which they would be realised. Partial curves (one per partition) add up with {@link #add(LiquidationCurve)}.
 */
public final class LiquidationCurve implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] moves = IndexMoveGrid.moves();
  private final long[] accountsLiquidated = new long[IndexMoveGrid.SIZE];
  private final double[] shortfallUsd = new double[IndexMoveGrid.SIZE];
  private final double[] equityAtRiskUsd = new double[IndexMoveGrid.SIZE];

  /**
   * Adds one account.
   *
   * @param pnl its P&amp;L at each move of {@link IndexMoveGrid}, margin currency ({@link MarginCalculator#movePnl})
   * @param equity its equity today, margin currency
   * @param mm its maintenance margin today, margin currency
   * @param coinIndexUsd for a coin account, its coin's index S today (USD per coin); NaN for a USD account
   */
  public void add(double[] pnl, double equity, double mm, double coinIndexUsd) {
    if (pnl.length != moves.length) {
      throw new IllegalArgumentException(pnl.length + " P&L values for " + moves.length + " moves");
    }
    boolean coin = !Double.isNaN(coinIndexUsd);
    for (int k = 0; k < moves.length; k++) {
      double after = equity + pnl[k];
      if (after - mm < 0) {
        double usd = coin ? coinIndexUsd * (1 + moves[k]) : 1.0;
        accountsLiquidated[k]++;
        shortfallUsd[k] += Math.max(0, -after) * usd;
        equityAtRiskUsd[k] += Math.max(0, after) * usd;
      }
    }
  }

  /** Adds another partial curve (another partition's accounts). */
  public void add(LiquidationCurve other) {
    for (int k = 0; k < moves.length; k++) {
      accountsLiquidated[k] += other.accountsLiquidated[k];
      shortfallUsd[k] += other.shortfallUsd[k];
      equityAtRiskUsd[k] += other.equityAtRiskUsd[k];
    }
  }

  /** The moves x, decimal, ascending (the curve's keys). */
  public double[] moves() { return moves.clone(); }
  /** Accounts with equity + P&amp;L(x) &lt; MM at move k. */
  public long accountsLiquidated(int k) { return accountsLiquidated[k]; }
  /** Σ max(0, −(equity + P&amp;L(x))) over those accounts at move k, USD. */
  public double shortfallUsd(int k) { return shortfallUsd[k]; }
  /** Σ max(0, equity + P&amp;L(x)) over those accounts at move k, USD. */
  public double equityAtRiskUsd(int k) { return equityAtRiskUsd[k]; }
}
