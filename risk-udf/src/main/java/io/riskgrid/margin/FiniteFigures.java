package io.riskgrid.margin;

import io.riskgrid.valuation.ValuedBook;
import java.util.Locale;

/**
 * The last guard before a margin leaves the engine: every figure of an {@link AccountMargin} must be
 * finite (null where the schema allows it). Inputs are checked where they enter, but finite inputs can
 * still overflow in products and sums; such an account becomes DATA_ERROR naming the figure and its
 * largest inputs, never a row or a response with Infinity or NaN (issue #18).
 */
final class FiniteFigures {
  private FiniteFigures() {}

  /** The first figure of {@code m} that is not finite, as "name = value", or null when all are. */
  static String firstNonFinite(AccountMargin m) {
    Double[] top = {m.equity(), m.im(), m.mm(), m.pmIm(), m.pmMm(), m.standardIm(), m.standardMm(), m.pmSaving(),
        m.liqMoveDown(), m.liqMoveUp()};
    String[] names = {"equity", "im", "mm", "pm_im", "pm_mm", "standard_im", "standard_mm", "pm_saving", "liq_move_down",
        "liq_move_up"};
    for (int k = 0; k < top.length; k++) {
      if (top[k] != null && !Double.isFinite(top[k])) {
        return names[k] + " = " + top[k];
      }
    }
    for (UnderlyingMargin u : m.byUnderlying()) {
      double[] figures = {u.scanLoss(), u.optionContingency(), u.futuresContingency(), u.shortOptionMinimum(), u.mm(),
          u.delta(), u.gamma(), u.vega(), u.theta()};
      String[] uNames = {"scan_loss", "c_opt", "c_fut", "som", "mm", "delta", "gamma", "vega", "theta"};
      for (int k = 0; k < figures.length; k++) {
        if (!Double.isFinite(figures[k])) {
          return u.underlying() + " " + uNames[k] + " = " + figures[k];
        }
      }
      for (double r : u.riskArray()) {
        if (!Double.isFinite(r)) {
          return u.underlying() + " risk array entry = " + r;
        }
      }
      for (Contribution c : u.contributions()) {
        if (!Double.isFinite(c.amount())) {
          return u.underlying() + " contribution of " + c.source() + " = " + c.amount();
        }
      }
    }
    return null;
  }

  /** The account's largest position (|quantity × multiplier|) and collateral balance, to name what overflowed. */
  static String largestInputs(Account a, int[] rows, ValuedBook book) {
    String position = "no positions";
    double largest = -1;
    for (int j = 0; j < a.positions().size(); j++) {
      Position p = a.positions().get(j);
      double size = Math.abs(p.quantity() * book.instrument(rows[j]).multiplier());
      if (!(size <= largest)) {
        largest = size;
        position = String.format(Locale.ROOT, "largest position %s quantity %s × multiplier %s, entry price %s",
            p.instrumentId(), p.quantity(), book.instrument(rows[j]).multiplier(), p.entryPrice());
      }
    }
    String collateral = "no collateral";
    double biggest = -1;
    for (CollateralBalance c : a.collateral()) {
      if (!(Math.abs(c.quantity()) <= biggest)) {
        biggest = Math.abs(c.quantity());
        collateral = "largest collateral " + c.asset() + " " + c.quantity();
      }
    }
    return "its inputs are out of range (" + position + "; " + collateral + ")";
  }
}
