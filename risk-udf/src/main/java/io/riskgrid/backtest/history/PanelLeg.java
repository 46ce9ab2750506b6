package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import java.io.Serializable;
import java.util.Objects;

/**
 * One leg of a backtest portfolio in relative terms (DESIGN §3.6), re-instantiated every day t: a future or
 * option expiring {@code tenorDays} after t (at 08:00Z), an option struck at {@code moneyness} × F of its
 * own expiry, holding {@code coinQuantity} coins (signed; negative is short) whatever the price level.
 *
 * @param tenorDays    ≥ 1 for futures and options; 0 for perpetuals
 * @param moneyness    K/F, &gt; 0, for options; NaN otherwise
 * @param coinQuantity signed exposure in coin: contracts × m, or contracts × N / F for inverse futures and
 *                     perpetuals
 */
public record PanelLeg(String underlying, InstrumentKind kind, Settlement settlement, OptionType optionType,
    int tenorDays, double moneyness, double coinQuantity) implements Serializable {

  public PanelLeg {
    if (underlying == null || underlying.isBlank()) {
      throw new InvalidInputException("leg.underlying", "is missing");
    }
    Objects.requireNonNull(kind, "leg.kind");
    Objects.requireNonNull(settlement, "leg.settlement");
    String where = "leg " + underlying + " " + kind;
    if (!(coinQuantity != 0) || !Double.isFinite(coinQuantity)) {
      throw new InvalidInputException(where + ".coin_quantity", "must be finite and non-zero, got " + coinQuantity);
    }
    if (kind == InstrumentKind.PERPETUAL) {
      tenorDays = 0;
    } else if (tenorDays < 1) {
      throw new InvalidInputException(where + ".tenor_days", "must be >= 1 day, got " + tenorDays);
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
    return new PanelLeg(underlying, InstrumentKind.PERPETUAL, settlement, null, 0, Double.NaN, coinQuantity);
  }

  public static PanelLeg future(String underlying, Settlement settlement, int tenorDays, double coinQuantity) {
    return new PanelLeg(underlying, InstrumentKind.FUTURE, settlement, null, tenorDays, Double.NaN, coinQuantity);
  }

  public static PanelLeg option(String underlying, Settlement settlement, OptionType type, int tenorDays,
      double moneyness, double coinQuantity) {
    return new PanelLeg(underlying, InstrumentKind.OPTION, settlement, type, tenorDays, moneyness, coinQuantity);
  }
}
