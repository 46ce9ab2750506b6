package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.VolDynamics;
import io.riskgrid.scenario.VolShockScaling;
import java.io.Serializable;
import java.util.Map;

/**
 * How a policy moves the market of each underlying (DESIGN §3.3). JSON: {@code scenarios},
 * {@code scenarios_by_underlying}, {@code vol_scaling}, {@code vol_dynamics}.
 *
 * @param defaultGrid the grid of every underlying without its own; shocks are decimals (p = 0.15 is +15%),
 *     horizons in days
 * @param gridByUnderlying per-underlying grids that replace the default one (empty when the policy has none)
 * @param volScaling tenor scaling {@code g(T)} of vol shocks (reference and minimum tenors in days) and the
 *     floor on every shocked vol (decimal vol)
 * @param volDynamics sticky strike or sticky moneyness
 * @param jointHistory for a historical-ES policy (DESIGN §7.6), how stage 1 builds every underlying's grid
 *     from the shipped history (one joint scenario per overlapping window); null for a policy with grids,
 *     and then {@code defaultGrid} is required
 */
public record ScenarioPolicy(ScenarioGrid defaultGrid, Map<String, ScenarioGrid> gridByUnderlying,
    VolShockScaling volScaling, VolDynamics volDynamics, JointHistory jointHistory) implements Serializable {

  /**
   * Grids made of the joint historical windows of {@code horizonDays} days since 2017-08-17, every day and
   * overlapping; an underlying without prices or DVOL in a window is substituted as stress does, with
   * {@code defaultVolShock} (decimal vol) where no underlying has DVOL.
   */
  public record JointHistory(int horizonDays, double defaultVolShock) implements Serializable {
    public JointHistory {
      if (horizonDays < 1) {
        throw new InvalidInputException("historical_es.horizon_days", "must be at least 1, got " + horizonDays);
      }
      if (!Double.isFinite(defaultVolShock)) {
        throw new InvalidInputException("stress.default_vol_shock", "must be finite, got " + defaultVolShock);
      }
    }
  }

  /** A policy with explicit grids. */
  public ScenarioPolicy(ScenarioGrid defaultGrid, Map<String, ScenarioGrid> gridByUnderlying, VolShockScaling volScaling,
      VolDynamics volDynamics) {
    this(defaultGrid, gridByUnderlying, volScaling, volDynamics, null);
  }

  public ScenarioPolicy {
    if (defaultGrid == null && jointHistory == null) {
      throw new InvalidInputException("scenarios", "a policy needs a default scenario grid");
    }
    if (gridByUnderlying == null) {
      throw new InvalidInputException("scenarios_by_underlying", "is null; pass an empty map for no per-underlying grids");
    }
    for (Map.Entry<String, ScenarioGrid> g : gridByUnderlying.entrySet()) {
      if (g.getKey() == null || g.getKey().isBlank()) {
        throw new InvalidInputException("scenarios_by_underlying", "an underlying name is blank");
      }
      if (g.getValue() == null) {
        throw new InvalidInputException("scenarios_by_underlying." + g.getKey(), "has no grid");
      }
    }
    gridByUnderlying = Map.copyOf(gridByUnderlying);
    if (volScaling == null) {
      throw new InvalidInputException("vol_scaling", "is missing");
    }
    if (volDynamics == null) {
      throw new InvalidInputException("vol_dynamics", "is missing; expected sticky_strike or sticky_moneyness");
    }
  }

  /**
   * The scenario grid of an underlying: its own if the policy gives one, else the default grid.
   *
   * @throws InvalidInputException for a historical-ES policy, whose grids stage 1 builds from the history
   */
  public ScenarioGrid gridFor(String underlying) {
    if (jointHistory != null) {
      throw new InvalidInputException("policy", "a historical-es policy has no fixed grid: its scenarios are the joint "
          + "historical windows stage 1 builds from the shipped history; this use needs a policy with grids");
    }
    return gridByUnderlying.getOrDefault(underlying, defaultGrid);
  }

  /** The same vol scaling and dynamics over other grids (explicit ones: the joint history no longer applies). */
  public ScenarioPolicy withGrids(ScenarioGrid newDefault, Map<String, ScenarioGrid> newByUnderlying) {
    return new ScenarioPolicy(newDefault, newByUnderlying, volScaling, volDynamics, null);
  }
}
