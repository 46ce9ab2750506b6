package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * What collateral counts for (DESIGN §3.4). JSON: {@code collateral}.
 *
 * @param stablecoins assets worth exactly 1 USD outside a de-peg stress ({@code collateral.stablecoins})
 * @param haircuts haircut by asset, a fraction in [0, 1] of a positive USD-account balance's value
 *     ({@code collateral.haircuts}); a policy's table is the whole table
 */
public record CollateralRules(Set<String> stablecoins, Map<String, Double> haircuts) implements Serializable {

  public CollateralRules {
    if (stablecoins == null) {
      throw new InvalidInputException("collateral.stablecoins", "is missing; list the assets worth 1 USD");
    }
    if (haircuts == null) {
      throw new InvalidInputException("collateral.haircuts", "is missing");
    }
    for (String s : stablecoins) {
      if (s == null || s.isBlank()) {
        throw new InvalidInputException("collateral.stablecoins", "an asset name is blank");
      }
    }
    for (Map.Entry<String, Double> h : haircuts.entrySet()) {
      Double value = h.getValue();
      if (value == null || !(value >= 0 && value <= 1)) {
        throw new InvalidInputException("collateral.haircuts." + h.getKey(), "must be in [0, 1], got " + value);
      }
    }
    stablecoins = Set.copyOf(stablecoins);
    haircuts = Map.copyOf(haircuts);
  }

  public boolean isStablecoin(String asset) {
    return stablecoins.contains(asset);
  }

  /**
   * Units of {@code asset} a USD account's balance counts for (DESIGN §3.4): a positive balance after
   * its haircut, a negative one (a loan) in full. A stablecoin missing from the haircut table counts
   * at face value; any other asset without a haircut is refused (validation makes it REJECTED first).
   */
  public double balanceAfterHaircut(String asset, double quantity) {
    if (quantity <= 0) {
      return quantity;
    }
    double h = haircut(asset);
    if (Double.isNaN(h)) {
      if (!isStablecoin(asset)) {
        throw new InvalidInputException("collateral " + asset,
            "the policy has no haircut for " + asset + "; add it to collateral.haircuts");
      }
      h = 0.0;
    }
    return quantity * (1 - h);
  }

  /** The haircut of an asset, or NaN when the policy has none (the account is then REJECTED). */
  public double haircut(String asset) {
    Double h = haircuts.get(asset);
    return h == null ? Double.NaN : h;
  }
}
