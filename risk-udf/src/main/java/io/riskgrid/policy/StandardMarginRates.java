package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Deribit-style per-position rates of the standard (isolated/cross) margin, all decimals:
 * futures IM/MM as a fraction of notional; short options IM = (max(imBase − OTM/F, imFloor)·F + mark)
 * and MM = (mm·F + mark), per coin of underlying (DESIGN §3.4).
 */
public record StandardMarginRates(double futureIm, double futureMm, double shortOptionImBase,
    double shortOptionImFloor, double shortOptionMm) implements Serializable {

  public StandardMarginRates {
    nonNegative("standard_margin.future_im", futureIm);
    nonNegative("standard_margin.future_mm", futureMm);
    nonNegative("standard_margin.short_option_im_base", shortOptionImBase);
    nonNegative("standard_margin.short_option_im_floor", shortOptionImFloor);
    nonNegative("standard_margin.short_option_mm", shortOptionMm);
  }

  private static void nonNegative(String field, double x) {
    if (!(x >= 0) || Double.isInfinite(x)) {
      throw new InvalidInputException(field, "must be finite and >= 0, got " + x);
    }
  }
}
