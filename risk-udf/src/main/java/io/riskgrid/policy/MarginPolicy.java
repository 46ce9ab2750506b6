package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import io.riskgrid.scenario.VolShockScaling;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * Every parameter of methodology riskgrid-v1 (DESIGN §3). Loaded from JSON by {@link PolicyLoader};
 * nothing here has a default hidden in code except through the shipped presets.
 *
 * @param hash SHA-256 of the canonical JSON, recorded in {@code runs}
 * @param haircuts decimal haircut by collateral asset, applied to positive USD-account balances
 * @param stablecoins assets worth exactly 1 USD outside a de-peg stress
 */
public record MarginPolicy(String name, String hash, ScenarioGrid defaultGrid, Map<String, ScenarioGrid> gridByUnderlying,
    VolShockScaling volScaling, VolDynamics volDynamics, double imMultiplier, double optionContingencyRate,
    double futuresContingencyRate, double shortOptionMinimumRate, Set<String> stablecoins, Map<String, Double> haircuts,
    StandardMarginRates standardRates, double backtestConfidence, double ivOverRv, double stressDefaultVolShock)
    implements Serializable {

  public MarginPolicy {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("name", "a policy needs a name");
    }
    gridByUnderlying = Map.copyOf(gridByUnderlying);
    stablecoins = Set.copyOf(stablecoins);
    haircuts = Map.copyOf(haircuts);
    if (!(imMultiplier >= 1) || Double.isInfinite(imMultiplier)) {
      throw new InvalidInputException("margin.im_multiplier", "must be finite and >= 1, got " + imMultiplier);
    }
    for (Map.Entry<String, Double> h : haircuts.entrySet()) {
      if (!(h.getValue() >= 0 && h.getValue() <= 1)) {
        throw new InvalidInputException("collateral.haircuts." + h.getKey(), "must be in [0, 1], got " + h.getValue());
      }
    }
    if (!(backtestConfidence > 0 && backtestConfidence < 1)) {
      throw new InvalidInputException("backtest.confidence", "must be in (0, 1), got " + backtestConfidence);
    }
  }

  /** The same policy with other scenario grids: how stress sets reuse the margin machinery. */
  public MarginPolicy withGrids(ScenarioGrid newDefault, Map<String, ScenarioGrid> newByUnderlying) {
    return new MarginPolicy(name, hash, newDefault, newByUnderlying, volScaling, volDynamics, imMultiplier,
        optionContingencyRate, futuresContingencyRate, shortOptionMinimumRate, stablecoins, haircuts, standardRates,
        backtestConfidence, ivOverRv, stressDefaultVolShock);
  }

  /** The scenario grid of an underlying: its own if the policy gives one, else the default grid. */
  public ScenarioGrid gridFor(String underlying) {
    return gridByUnderlying.getOrDefault(underlying, defaultGrid);
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
        throw new InvalidInputException("collateral " + asset, "policy " + name + " has no haircut for " + asset);
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
