package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.ScenarioGrid;
import java.io.Serializable;
import java.util.Map;

/**
 * Every parameter of methodology riskgrid-v1 (DESIGN §3), one part per section of the policy JSON.
 * Loaded by {@link PolicyLoader} from a document that states every field: nothing here has a default.
 *
 * @param name the policy's {@code name}, recorded in {@code runs} and {@code margins}
 * @param hash SHA-256 (lowercase hex) of the canonical JSON, recorded in {@code runs}; a policy derived by
 *     {@link #withGrids} has a hash of its own ({@link PolicyHash})
 * @param scenarios the scenario grids, vol shock scaling and vol dynamics
 * @param margin the IM multiplier and the contingency and short option minimum rates
 * @param collateral stablecoins and haircuts
 * @param standardMargin the per-position rates of the standard margin baseline
 * @param stress parameters of exchange-wide stress
 * @param backtest parameters of model validation
 * @param antiProcyclicality the anti-procyclicality tools the backtest measures (§7.7)
 * @param expectedShortfall for methodology {@code historical-es} (DESIGN §7.6), the ES margin that replaces
 *     the scan loss and contingencies; null for riskgrid-v1 (scan loss)
 */
public record MarginPolicy(String name, String hash, ScenarioPolicy scenarios, MarginRules margin,
    CollateralRules collateral, StandardMarginRates standardMargin, StressParameters stress,
    BacktestParameters backtest, AntiProcyclicality antiProcyclicality, ExpectedShortfall expectedShortfall)
    implements Serializable {

  /** A riskgrid-v1 (scan loss) policy. */
  public MarginPolicy(String name, String hash, ScenarioPolicy scenarios, MarginRules margin, CollateralRules collateral,
      StandardMarginRates standardMargin, StressParameters stress, BacktestParameters backtest,
      AntiProcyclicality antiProcyclicality) {
    this(name, hash, scenarios, margin, collateral, standardMargin, stress, backtest, antiProcyclicality, null);
  }

  public MarginPolicy {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("name", "a policy needs a name");
    }
    if (hash == null || hash.isBlank()) {
      throw new InvalidInputException("policy " + name, "has no hash");
    }
    required("scenarios", scenarios);
    required("margin", margin);
    required("collateral", collateral);
    required("standard_margin", standardMargin);
    required("stress", stress);
    required("backtest", backtest);
    required("anti_procyclicality", antiProcyclicality);
    if ((expectedShortfall == null) != (scenarios.jointHistory() == null)) {
      throw new InvalidInputException("historical_es", "an expected-shortfall margin and joint historical grids go "
          + "together (methodology historical-es); one is missing");
    }
  }

  private static void required(String field, Object part) {
    if (part == null) {
      throw new InvalidInputException(field, "is missing");
    }
  }

  /**
   * The same policy with other scenario grids: how stress sets reuse the margin machinery. It is another
   * policy, so it has another hash: SHA-256 over this hash and the canonical JSON of the new grids
   * ({@link PolicyHash#withGrids}), so a cache keyed by hash never mistakes one for the other. The grids
   * are explicit, so the result is a scan-loss policy even when this one is historical-ES.
   */
  public MarginPolicy withGrids(ScenarioGrid newDefault, Map<String, ScenarioGrid> newByUnderlying) {
    ScenarioPolicy regridded = scenarios.withGrids(newDefault, newByUnderlying);
    return new MarginPolicy(name, PolicyHash.withGrids(hash, regridded), regridded, margin, collateral,
        standardMargin, stress, backtest, antiProcyclicality);
  }

  /** The scenario grid of an underlying: its own if the policy gives one, else the default grid. */
  public ScenarioGrid gridFor(String underlying) {
    return scenarios.gridFor(underlying);
  }
}
