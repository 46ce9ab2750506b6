package io.riskgrid.stress;

import io.riskgrid.InvalidInputException;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.scenario.VolMode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A named, ordered set of joint scenarios, with the vol mode its vol shocks use. */
public record StressSet(String name, VolMode volMode, List<JointScenario> scenarios) implements Serializable {

  public StressSet {
    if (scenarios.isEmpty()) {
      throw new InvalidInputException("stress set " + name, "has no scenarios");
    }
    scenarios = List.copyOf(scenarios);
  }

  /**
   * A per-underlying policy grid used as a stress set: joint scenario s moves every underlying by
   * scenario s of its own grid (DESIGN §3.5). All grids must have the same length.
   */
  public static StressSet fromPolicyGrid(MarginPolicy policy, Collection<String> underlyings) {
    if (policy.scenarios().jointHistory() != null) {
      throw new InvalidInputException("--set", "policy " + policy.name() + " is historical-es: it has no grid to stress "
          + "with; its scenarios are the joint history, which --set hist-" + policy.scenarios().jointHistory().horizonDays()
          + "d runs");
    }
    ScenarioGrid base = policy.scenarios().defaultGrid();
    List<JointScenario> out = new ArrayList<>();
    for (int s = 0; s < base.size(); s++) {
      Map<String, JointScenario.Move> moves = new HashMap<>();
      for (String u : underlyings) {
        ScenarioGrid g = policy.gridFor(u);
        if (g.size() != base.size() || g.volMode() != base.volMode()) {
          throw new InvalidInputException("stress set " + policy.name(),
              "underlying " + u + " has a grid of another shape; a grid set needs one length and vol mode");
        }
        Scenario sc = g.get(s);
        moves.put(u, new JointScenario.Move(sc.priceShock(), sc.volShock(), sc.horizonDays()));
      }
      out.add(new JointScenario(base.get(s).label(), moves, List.of()));
    }
    return new StressSet(policy.name(), base.volMode(), out);
  }

  /**
   * The per-underlying grids that make the P&L matrix of this set: underlying u's scenario j is its
   * move in joint scenario j, all REGULAR (covers do not apply in stress).
   */
  public Map<String, ScenarioGrid> gridsFor(Collection<String> underlyings) {
    Map<String, ScenarioGrid> grids = new HashMap<>();
    for (String u : underlyings) {
      List<Scenario> list = new ArrayList<>();
      for (int j = 0; j < scenarios.size(); j++) {
        JointScenario.Move m = scenarios.get(j).move(u);
        // Labels must be unique inside a grid; the joint label plus its index is.
        list.add(new Scenario(j + ":" + scenarios.get(j).label(), m.p(), m.v(), m.horizonDays(), ScenarioKind.REGULAR, 1.0));
      }
      grids.put(u, new ScenarioGrid(volMode, list));
    }
    return grids;
  }

  public int size() {
    return scenarios.size();
  }
}
