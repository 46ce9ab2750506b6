package io.riskgrid.scenario;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The ordered scenarios of one underlying, with their vol mode. Order is policy order. */
public record ScenarioGrid(VolMode volMode, List<Scenario> scenarios) implements Serializable {

  public ScenarioGrid {
    if (volMode == null) {
      throw new InvalidInputException("scenarios.vol_mode", "is missing; expected additive or relative");
    }
    if (scenarios == null || scenarios.isEmpty()) {
      throw new InvalidInputException("scenarios", "a grid needs at least one scenario");
    }
    scenarios = List.copyOf(scenarios);
    // A grid of EXTREME scenarios only is valid: its scan loss is max(0, max over EXTREME of −RA·cover).
    Set<String> labels = new HashSet<>();
    for (Scenario s : scenarios) {
      if (!labels.add(s.label())) {
        throw new InvalidInputException("scenarios", "duplicate scenario label " + s.label());
      }
    }
  }

  /** Regular scenarios p × v (p outer, v inner, in the given order), then the extremes, all at horizon h. */
  public static ScenarioGrid cartesian(VolMode mode, double[] priceShocks, double[] volShocks, double horizonDays,
      List<double[]> extremes) {
    List<Scenario> list = new ArrayList<>();
    for (double p : priceShocks) {
      for (double v : volShocks) {
        list.add(Scenario.of(p, v, horizonDays, ScenarioKind.REGULAR, 1.0));
      }
    }
    for (double[] x : extremes) {
      list.add(Scenario.of(x[0], x[1], horizonDays, ScenarioKind.EXTREME, x[2]));
    }
    return new ScenarioGrid(mode, list);
  }

  public int size() {
    return scenarios.size();
  }

  public Scenario get(int i) {
    return scenarios.get(i);
  }
}
