package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Parameters of exchange-wide stress (DESIGN §3.5). JSON: {@code stress}.
 *
 * @param defaultVolShock the vol shock of a historical scenario when no underlying has a DVOL change
 *     in its window: decimal vol (0.30 = +30 vol points), additive at the 30-day reference tenor
 *     ({@code stress.default_vol_shock})
 */
public record StressParameters(double defaultVolShock) implements Serializable {

  public StressParameters {
    InvalidInputException.requireFinite("stress.default_vol_shock", defaultVolShock);
  }
}
