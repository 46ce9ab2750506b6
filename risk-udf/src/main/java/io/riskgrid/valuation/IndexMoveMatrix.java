package io.riskgrid.valuation;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.OptionCells;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.RiskKernel;
import java.util.Arrays;

/**
 * The joint-move matrix of DESIGN §7.5, which the liquidation distances read: one row per instrument,
 * one column per index move of {@link IndexMoveGrid}, the P&amp;L of one contract (USD for linear
 * instruments, coin for inverse ones, as the scenario matrix). Built by {@link ValuedBookBuilder} after
 * the scenario matrix, from the same resolved forwards, vols and times.
 */
final class IndexMoveMatrix {
  private IndexMoveMatrix() {}

  /**
   * The matrix for {@code book}, whose instruments are resolved and valued: {@code vol}, {@code tau}
   * (years) and {@code rate} per instrument as {@link ValuedBookBuilder} resolved them. Per instrument,
   * the P&amp;L of one contract when its forward moves to F·(1 + x) for each x of {@link IndexMoveGrid},
   * with its base vol and T unchanged (no decay, no vol shock); options through one kernel batch. Instruments that cannot be valued get NaN rows (their
   * accounts are never margined). The x = 0 column is set to exactly 0, so that the liquidation curve at
   * 0 counts exactly the accounts whose equity is below MM.
   */
  static PnlMatrix build(ValuedBook book, double[] vol, double[] tau, double[] rate, RiskKernel kernel) {
    int n = book.instrumentCount();
    double[] moves = IndexMoveGrid.moves();
    PnlMatrix matrix = new PnlMatrix(new int[n], new int[] {IndexMoveGrid.SIZE});
    double[] values = matrix.values();
    int options = 0;
    for (int i = 0; i < n; i++) {
      if (book.instrument(i).isOption() && book.isValued(i)) {
        options++;
      }
    }
    OptionCells cells = OptionCells.allocateHoisted(options * moves.length);
    int c = 0;
    for (int i = 0; i < n; i++) {
      Instrument ins = book.instrument(i);
      int start = matrix.rowStart(i);
      if (!book.isValued(i)) {
        Arrays.fill(values, start, start + moves.length, Double.NaN);
      } else if (!ins.isOption()) {
        double fwd = book.forward[i];
        for (int k = 0; k < moves.length; k++) {
          values[start + k] = ContractValue.deltaOneValue(ins, 1, fwd, fwd * (1 + moves[k]));
        }
      } else {
        double fwd = book.forward[i];
        double moneyness = fwd / ins.strike();
        double logMoneyness = Math.log(moneyness);
        double sqrtTau = Math.sqrt(tau[i]);
        double discount = Math.exp(-rate[i] * tau[i]);
        for (int k = 0; k < moves.length; k++, c++) {
          cells.forward()[c] = fwd * (1 + moves[k]);
          cells.strike()[c] = ins.strike();
          cells.tau()[c] = tau[i];
          cells.vol()[c] = vol[i];
          cells.discount()[c] = discount;
          cells.isCall()[c] = ins.isCall();
          // x = −50% is the grid's lowest point, so 1 + x > 0 and the logarithm is finite.
          cells.logMoneyness()[c] = logMoneyness + Math.log1p(moves[k]);
          cells.moneyness()[c] = moneyness * (1 + moves[k]);
          cells.sqrtTau()[c] = sqrtTau;
        }
      }
    }
    ValuedBookBuilder.writeOptionPnl(book, kernel, cells, c, matrix);
    for (int i = 0; i < n; i++) {
      if (book.isValued(i)) {
        values[matrix.rowStart(i) + IndexMoveGrid.ZERO] = 0.0;
      }
    }
    return matrix;
  }

}
