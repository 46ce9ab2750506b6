package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Parameters of exchange-wide stress (DESIGN §3.5, §7.6). JSON: {@code stress}.
 *
 * @param defaultVolShock the vol shock of a historical scenario when no underlying has a DVOL change
 *     in its window: decimal vol (0.30 = +30 vol points), additive at the 30-day reference tenor
 *     ({@code stress.default_vol_shock})
 * @param defaultFundUsd the default fund, USD ({@code stress.default_fund_usd}); with the insurance fund,
 *     the default resources that Cover-2 is compared with and that reverse stress exhausts
 * @param insuranceFundUsd the insurance fund, USD ({@code stress.insurance_fund_usd})
 */
public record StressParameters(double defaultVolShock, double defaultFundUsd, double insuranceFundUsd)
    implements Serializable {

  public StressParameters {
    InvalidInputException.requireFinite("stress.default_vol_shock", defaultVolShock);
    requireNonNegative("stress.default_fund_usd", defaultFundUsd);
    requireNonNegative("stress.insurance_fund_usd", insuranceFundUsd);
  }

  private static void requireNonNegative(String field, double usd) {
    if (!(usd >= 0 && Double.isFinite(usd))) {
      throw new InvalidInputException(field, "must be finite and >= 0 USD, got " + usd);
    }
  }

  /** The default resources, USD: default fund plus insurance fund. */
  public double defaultResourcesUsd() {
    return defaultFundUsd + insuranceFundUsd;
  }
}
