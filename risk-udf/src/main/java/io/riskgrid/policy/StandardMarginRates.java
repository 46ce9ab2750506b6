package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Deribit-style per-position rates of the standard margin, the comparison baseline (DESIGN §3.4).
 * JSON: {@code standard_margin}. All are decimals, finite and ≥ 0.
 *
 * @param futureIm futures and perpetuals IM, a fraction of notional (|q|·m·F linear, |q|·N USD inverse)
 * @param futureMm futures and perpetuals MM, a fraction of notional
 * @param shortOptionImBase short option IM = (max(imBase − OTM/F, imFloor)·F + mark) per coin of underlying
 * @param shortOptionImFloor the floor of that IM rate, a fraction of F
 * @param shortOptionMm short option MM = (mm·F + mark) per coin of underlying
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
