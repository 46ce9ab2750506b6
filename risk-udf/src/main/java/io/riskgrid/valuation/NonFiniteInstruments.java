package io.riskgrid.valuation;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;

/**
 * The last step of valuing a book: an instrument whose figures are not all finite (a multiplier of 1e308,
 * a rate of −1e308 that passed as a number) gets a data error naming the figure and its inputs, so that
 * its accounts become DATA_ERROR with that reason instead of carrying Infinity or NaN into a table or a
 * response.
 */
final class NonFiniteInstruments {
  private NonFiniteInstruments() {}

  /** Marks each valued instrument of {@code book} with a non-finite figure; {@code rate} is each one's rate (decimal, per year). */
  static void refuse(ValuedBook book, double[] rate) {
    for (int i = 0; i < book.instrumentCount(); i++) {
      if (!book.isValued(i)) {
        continue;
      }
      String figure = firstNonFinite(book, i);
      if (figure != null) {
        Instrument ins = book.instrument(i);
        book.dataError[i] = "instrument " + ins.id() + " cannot be valued: its " + figure + " is not finite; its inputs "
            + "are out of range (multiplier " + ins.multiplier() + (ins.isOption() ? ", strike " + ins.strike() : "")
            + ", forward " + book.forward[i] + ", index " + book.spot(book.underlyingOf(i)) + ", rate " + rate[i] + ")";
      }
    }
  }

  /** The name of the first figure of instrument {@code i} that is not finite, with its value, or null. */
  private static String firstNonFinite(ValuedBook book, int i) {
    double[][] perContract = {book.forward, book.markValue, book.delta, book.gamma, book.vega, book.theta,
        book.usdBasisDelta, book.usdBasisGamma, book.coinPerContract, book.notionalUsd};
    String[] names = {"forward", "mark value", "delta", "gamma", "vega", "theta", "USD-basis delta", "USD-basis gamma",
        "coin per contract", "notional"};
    for (int f = 0; f < perContract.length; f++) {
      if (!Double.isFinite(perContract[f][i])) {
        return names[f] + " (" + perContract[f][i] + ")";
      }
    }
    if (!allFinite(book.pnl, i)) {
      return "scenario P&L";
    }
    return allFinite(book.movePnl, i) ? null : "P&L over the liquidation moves";
  }

  private static boolean allFinite(PnlMatrix matrix, int i) {
    double[] v = matrix.values();
    for (int k = matrix.rowStart(i); k < matrix.rowStart(i) + matrix.rowLength(i); k++) {
      if (!Double.isFinite(v[k])) {
        return false;
      }
    }
    return true;
  }
}
