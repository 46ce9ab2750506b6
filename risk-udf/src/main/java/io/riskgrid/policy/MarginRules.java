package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * The add-ons on top of the scan loss and the step from MM to IM (DESIGN §3.4). JSON: {@code margin}.
 * The three rates are fractions of spot notional, in USD at the unshocked S (divided by S for coin accounts).
 *
 * @param imMultiplier IM = MM × imMultiplier; at least 1 ({@code margin.im_multiplier})
 * @param optionContingencyRate c_opt: C_opt = c_opt·S·Σ over (expiry, strike) of the net short option coin
 *     quantity ({@code margin.c_opt})
 * @param futuresContingencyRate c_fut: C_fut = c_fut·S·Σ over expiry buckets of |net coin quantity|
 *     ({@code margin.c_fut})
 * @param shortOptionMinimumRate som_rate: SOM = som_rate·S·max(short call, short put coin quantity)
 *     ({@code margin.som_rate})
 */
public record MarginRules(double imMultiplier, double optionContingencyRate, double futuresContingencyRate,
    double shortOptionMinimumRate) implements Serializable {

  public MarginRules {
    if (!(imMultiplier >= 1) || Double.isInfinite(imMultiplier)) {
      throw new InvalidInputException("margin.im_multiplier", "must be finite and >= 1, got " + imMultiplier);
    }
    nonNegative("margin.c_opt", optionContingencyRate);
    nonNegative("margin.c_fut", futuresContingencyRate);
    nonNegative("margin.som_rate", shortOptionMinimumRate);
  }

  static void nonNegative(String field, double x) {
    if (!(x >= 0) || Double.isInfinite(x)) {
      throw new InvalidInputException(field, "must be finite and >= 0, got " + x);
    }
  }
}
