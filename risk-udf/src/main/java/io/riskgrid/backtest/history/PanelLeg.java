package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import java.io.Serializable;
import java.util.Objects;

/**
 * One leg of a backtest portfolio in relative terms (DESIGN §3.6), re-instantiated every day t: a future or
 * option expiring {@code tenorDays} after t (how "after" is measured is its {@link TenorAnchor}), an option
 * struck at {@code moneyness} × F of its own expiry, holding {@code coinQuantity} coins (signed; negative is
 * short) whatever the price level.
 *
 * @param tenorDays    for futures and options: whole days ≥ 1 with {@link TenorAnchor#EXPIRY_DAY}, any finite
 *                     value &gt; 0 with {@link TenorAnchor#VALUATION_INSTANT}; 0 for perpetuals
 * @param moneyness    K/F, &gt; 0, for options; NaN otherwise
 * @param coinQuantity signed exposure in coin: contracts × m, or contracts × N / F for inverse futures and
 *                     perpetuals
 * @param anchor       what the tenor is counted from
 */
public record PanelLeg(String underlying, InstrumentKind kind, Settlement settlement, OptionType optionType,
    double tenorDays, double moneyness, double coinQuantity, TenorAnchor anchor) implements Serializable {

  /** What a leg's tenor is counted from when it is instantiated on day t. */
  public enum TenorAnchor {
    /**
     * The generated panel: the leg expires on calendar day t + tenor at 08:00:00Z, the venues' expiry time, so
     * against a daily close (t + 1 at 00:00Z) its T is tenor − 2/3 days.
     */
    EXPIRY_DAY,
    /**
     * A converted account ({@link BookConverter}): the leg expires exactly {@code tenorDays} × 86,400 s after the
     * valuation instant of t's market, so T is the same on every day as on the book's own date.
     */
    VALUATION_INSTANT
  }

  public PanelLeg {
    if (underlying == null || underlying.isBlank()) {
      throw new InvalidInputException("leg.underlying", "is missing");
    }
    Objects.requireNonNull(kind, "leg.kind");
    Objects.requireNonNull(settlement, "leg.settlement");
    Objects.requireNonNull(anchor, "leg.anchor");
    String where = "leg " + underlying + " " + kind;
    if (!(coinQuantity != 0) || !Double.isFinite(coinQuantity)) {
      throw new InvalidInputException(where + ".coin_quantity", "must be finite and non-zero, got " + coinQuantity);
    }
    if (kind == InstrumentKind.PERPETUAL) {
      tenorDays = 0;
    } else if (anchor == TenorAnchor.EXPIRY_DAY && !(tenorDays >= 1 && tenorDays == Math.rint(tenorDays))) {
      throw new InvalidInputException(where + ".tenor_days", "must be a whole number of days >= 1, got " + tenorDays);
    } else if (!(tenorDays > 0) || Double.isInfinite(tenorDays)) {
      throw new InvalidInputException(where + ".tenor_days", "must be finite and > 0, got " + tenorDays);
    }
    if (kind == InstrumentKind.OPTION) {
      Objects.requireNonNull(optionType, where + ".option_type");
      InvalidInputException.requirePositive(where + ".moneyness", moneyness);
    } else {
      optionType = null;
      moneyness = Double.NaN;
    }
  }

  public static PanelLeg perpetual(String underlying, Settlement settlement, double coinQuantity) {
    return new PanelLeg(underlying, InstrumentKind.PERPETUAL, settlement, null, 0, Double.NaN, coinQuantity,
        TenorAnchor.EXPIRY_DAY);
  }

  public static PanelLeg future(String underlying, Settlement settlement, int tenorDays, double coinQuantity) {
    return new PanelLeg(underlying, InstrumentKind.FUTURE, settlement, null, tenorDays, Double.NaN, coinQuantity,
        TenorAnchor.EXPIRY_DAY);
  }

  public static PanelLeg option(String underlying, Settlement settlement, OptionType type, int tenorDays,
      double moneyness, double coinQuantity) {
    return new PanelLeg(underlying, InstrumentKind.OPTION, settlement, type, tenorDays, moneyness, coinQuantity,
        TenorAnchor.EXPIRY_DAY);
  }
}
