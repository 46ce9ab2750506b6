package io.riskgrid.stress;

import io.riskgrid.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reverse stress (DESIGN §7.6): how far a historical joint move must be scaled before the exchange's
 * shortfall exceeds its default resources. For a scenario with moves (p_u, v_u, h_u), the scaled
 * scenario at λ has moves (λ·p_u, λ·v_u, h_u): price and vol shocks scaled, the horizon kept, a price move
 * under {@link #MIN_PRICE_MOVE} capped there (and said so in the scenario's notes). λ runs over
 * the grid 0, {@link #STEP}, 2·STEP, …, {@link #MAX_LAMBDA}; the answer is the smallest λ at which
 * shortfall exceeds the resources, linearly interpolated between the grid point below (shortfall at or
 * under the resources) and the first one above. λ > 1 means the resources survive the historical move
 * itself; no λ (null) means they survive even {@link #MAX_LAMBDA} times it.
 */
public final class ReverseStress {
  /** Grid step of λ. */
  public static final double STEP = 0.05;
  /** The largest scale tried. */
  public static final double MAX_LAMBDA = 5.0;
  /** Grid points per scenario: λ = 0 and 100 steps to 5. */
  public static final int POINTS = (int) Math.round(MAX_LAMBDA / STEP) + 1;
  /** The lowest scaled price move: a λ·p below it (a fall of 100% or more) is capped here and noted. */
  public static final double MIN_PRICE_MOVE = -0.99;
  /** How many of a set's scenarios are reversed: those of largest shortfall. */
  public static final int SCENARIOS = 50;

  private ReverseStress() {}

  /** λ at grid point k. */
  public static double lambda(int k) {
    return k * STEP;
  }

  /**
   * The indices of the {@code n} scenarios of largest shortfall (ties by index), largest first; those with
   * no shortfall at all are left out (scaling them finds nothing a risk team would read first).
   */
  public static List<Integer> worst(double[] shortfallUsd, int n) {
    return IntStream.range(0, shortfallUsd.length).boxed().filter(j -> shortfallUsd[j] > 0)
        .sorted(Comparator.comparingDouble((Integer j) -> -shortfallUsd[j]).thenComparing(j -> j)).limit(n).toList();
  }

  /**
   * The scaled set: for each chosen scenario, in order, its {@link #POINTS} scaled copies (λ ascending).
   * Scenario {@code i·POINTS + k} is chosen scenario i at λ = {@link #lambda}(k).
   */
  public static StressSet scaledSet(StressSet base, List<Integer> chosen) {
    if (chosen.isEmpty()) {
      throw new InvalidInputException("reverse stress of " + base.name(), "no scenario has a shortfall to scale");
    }
    List<JointScenario> scaled = new ArrayList<>(chosen.size() * POINTS);
    for (int j : chosen) {
      JointScenario s = base.scenarios().get(j);
      for (int k = 0; k < POINTS; k++) {
        double l = lambda(k);
        Map<String, JointScenario.Move> moves = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>(s.substitutions());
        s.moves().forEach((u, m) -> {
          double p = l * m.p();
          if (p < MIN_PRICE_MOVE) {
            notes.add(u + ": scaled price move " + p + " capped at " + MIN_PRICE_MOVE + " (a price cannot fall 100%)");
            p = MIN_PRICE_MOVE;
          }
          moves.put(u, new JointScenario.Move(p, l * m.v(), m.horizonDays()));
        });
        scaled.add(new JointScenario(s.label() + "_x" + String.format(java.util.Locale.ROOT, "%.2f", l), moves, notes));
      }
    }
    return new StressSet("reverse-" + base.name(), base.volMode(), scaled);
  }

  /** One reversed scenario: λ (null when even {@link #MAX_LAMBDA} leaves the resources standing). */
  public record Result(int scenarioId, String label, Double lambda, double shortfallAtLambdaUsd) {}

  /**
   * The smallest λ at which {@code shortfallUsd[k]} (shortfall at grid point k, USD) exceeds
   * {@code resourcesUsd}, interpolated linearly between grid points; 0 when the unmoved exchange already
   * exceeds them; null when no grid point does.
   */
  public static Double exhaustingLambda(double[] shortfallUsd, double resourcesUsd) {
    if (shortfallUsd.length != POINTS) {
      throw new IllegalArgumentException("expected " + POINTS + " grid points, got " + shortfallUsd.length);
    }
    if (shortfallUsd[0] > resourcesUsd) {
      return 0.0;
    }
    for (int k = 1; k < POINTS; k++) {
      if (shortfallUsd[k] > resourcesUsd) {
        double below = shortfallUsd[k - 1];
        return lambda(k - 1) + STEP * (resourcesUsd - below) / (shortfallUsd[k] - below);
      }
    }
    return null;
  }

  /** The shortfall at λ, interpolated on the grid the same way (USD); at {@link #MAX_LAMBDA} for a null λ. */
  public static double shortfallAt(double[] shortfallUsd, Double lambda) {
    if (lambda == null) {
      return shortfallUsd[POINTS - 1];
    }
    int k = Math.min(POINTS - 2, (int) Math.floor(lambda / STEP));
    double w = (lambda - lambda(k)) / STEP;
    return shortfallUsd[k] + w * (shortfallUsd[k + 1] - shortfallUsd[k]);
  }

  /**
   * Results per chosen scenario from the scaled set's shortfalls ({@code scaledShortfallUsd} in
   * {@link #scaledSet} order).
   */
  public static List<Result> results(StressSet base, List<Integer> chosen, double[] scaledShortfallUsd,
      double resourcesUsd) {
    List<Result> out = new ArrayList<>(chosen.size());
    for (int i = 0; i < chosen.size(); i++) {
      double[] grid = java.util.Arrays.copyOfRange(scaledShortfallUsd, i * POINTS, (i + 1) * POINTS);
      Double l = exhaustingLambda(grid, resourcesUsd);
      int j = chosen.get(i);
      out.add(new Result(j, base.scenarios().get(j).label(), l, shortfallAt(grid, l)));
    }
    return out;
  }
}
