package io.riskgrid.valuation;

import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.market.history.JointWindows;
import io.riskgrid.policy.ScenarioPolicy;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.scenario.VolMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenario grids of a historical-ES policy (DESIGN §7.6): scenario j of every underlying's grid is
 * its move in the j-th overlapping window of the shipped history ({@link JointWindows#rolling}), so that
 * summing an account's risk arrays over underlyings scenario by scenario gives its joint P&amp;L. Labels
 * are the windows' ({@code hist_2020-03-12_13}); vol shocks are additive at the reference tenor. Built
 * once per JVM for a set of underlyings and horizon: the history is shipped and does not change.
 */
public final class HistoricalGrids {
  private static final Map<String, Map<String, ScenarioGrid>> CACHE = new ConcurrentHashMap<>();

  private HistoricalGrids() {}

  /**
   * One grid per underlying of {@code underlyings}, all of the same length and labels; the list is the
   * book's ({@link ValuedBookBuilder#underlyings}), since a window's substitutions depend on who is in it.
   */
  public static Map<String, ScenarioGrid> of(List<String> underlyings, ScenarioPolicy.JointHistory spec) {
    String key = underlyings + "|" + spec;
    return CACHE.computeIfAbsent(key, k -> build(underlyings, spec));
  }

  private static Map<String, ScenarioGrid> build(List<String> underlyings, ScenarioPolicy.JointHistory spec) {
    List<JointWindows.Window> windows = JointWindows.rolling(DailyHistory.shipped(DailyHistory.CLOSES),
        DailyHistory.shipped(DailyHistory.DVOL), underlyings, spec.horizonDays(), spec.defaultVolShock());
    Map<String, ScenarioGrid> grids = new HashMap<>();
    for (String u : underlyings) {
      List<Scenario> list = new ArrayList<>(windows.size());
      for (JointWindows.Window w : windows) {
        JointWindows.Move m = w.moves().get(u);
        list.add(new Scenario(w.label(), m.p(), m.v(), m.horizonDays(), ScenarioKind.REGULAR, 1.0));
      }
      grids.put(u, new ScenarioGrid(VolMode.ADDITIVE, list));
    }
    return Map.copyOf(grids);
  }
}
