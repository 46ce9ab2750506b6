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
    return scaledSet(base, chosen, 0, POINTS);
  }

  /**
   * As {@link #scaledSet(StressSet, List)} for the grid points {@code [fromPoint, toPoint)} only:
   * scenario {@code i·(toPoint − fromPoint) + (k − fromPoint)} is chosen scenario i at λ = {@link #lambda}(k).
   */
  public static StressSet scaledSet(StressSet base, List<Integer> chosen, int fromPoint, int toPoint) {
    requireChosen(base, chosen);
    if (fromPoint < 0 || toPoint > POINTS || fromPoint >= toPoint) {
      throw new IllegalArgumentException("grid points [" + fromPoint + ", " + toPoint + ") outside [0, " + POINTS + ")");
    }
    List<JointScenario> scaled = new ArrayList<>(chosen.size() * (toPoint - fromPoint));
    for (int j : chosen) {
      JointScenario s = base.scenarios().get(j);
      for (int k = fromPoint; k < toPoint; k++) {
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
    if (Double.isNaN(shortfallUsd[k + 1])) {
      // A search that stopped at the first point above the resources left the points after it out; λ just
      // under that point can round onto it, and the interval below gives the same line there.
      k--;
    }
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
      out.add(result(base, chosen.get(i), grid, resourcesUsd));
    }
    return out;
  }

  /** Scenario {@code j}'s result from its shortfall at each grid point (USD). */
  private static Result result(StressSet base, int j, double[] grid, double resourcesUsd) {
    Double l = exhaustingLambda(grid, resourcesUsd);
    return new Result(j, base.scenarios().get(j).label(), l, shortfallAt(grid, l));
  }

  private static void requireChosen(StressSet base, List<Integer> chosen) {
    if (chosen.isEmpty()) {
      throw new InvalidInputException("reverse stress of " + base.name(), "no scenario has a shortfall to scale");
    }
  }

  /**
   * Grid points of each pass of {@link Search} (end points exclusive): λ up to 2 first, then the rest of
   * the grid for the scenarios that λ ≤ 2 did not exhaust. A pass costs a fixed read of every account
   * (about 9 s at 1M accounts on 2 cores) plus about 10 ms per scaled scenario; on the generated 1M
   * exchange every one of the 50 worst windows exhausts the resources by λ = 1.37, so one pass of 41
   * points does what 101 did, and where resources survive twice every move the second pass costs one
   * fixed read more than the whole grid at once. A split at λ = 1 measured 19.7 s + 40.6 s there (38 of
   * the 50 above 1), against 64.3 s for the whole grid.
   */
  static final int[] PASS_ENDS = {(int) Math.round(2.0 / STEP) + 1, POINTS};

  /**
   * The λ search in passes, each one exchange-wide evaluation of a scaled set. A scenario whose shortfall
   * has exceeded the resources at some grid point is settled: {@link #exhaustingLambda} reads no point
   * after the first one above, so later passes leave it out. The results equal those of the whole grid
   * in one pass ({@link #results}), since every point up to each scenario's first crossing is evaluated
   * the same way; a scenario never exhausted is evaluated on the whole grid. When resources are short of
   * the worst moves (the usual reason to run it), most scenarios settle in the first pass, 41 of the
   * 101 grid points.
   */
  public static final class Search {
    private final StressSet base;
    private final List<Integer> chosen;
    private final double resourcesUsd;
    /** Shortfall per chosen scenario and grid point (USD); NaN where not evaluated. */
    private final double[][] grid;
    private int pass;
    private int evaluatedTo;
    private List<Integer> passScenarios = List.of();
    private int scenariosEvaluated;

    public Search(StressSet base, List<Integer> chosen, double resourcesUsd) {
      requireChosen(base, chosen);
      this.base = base;
      this.chosen = List.copyOf(chosen);
      this.resourcesUsd = resourcesUsd;
      this.grid = new double[chosen.size()][POINTS];
      for (double[] g : grid) {
        java.util.Arrays.fill(g, Double.NaN);
      }
    }

    /** Whether another pass is needed: grid points are left and some scenario is not settled. */
    public boolean hasNextPass() {
      return evaluatedTo < POINTS && !open().isEmpty();
    }

    /** λ of the last grid point the next pass evaluates. */
    public double nextPassUpToLambda() {
      return lambda(PASS_ENDS[pass] - 1);
    }

    /**
     * The next pass's scaled set: the open scenarios at the next pass's grid points, in the order of
     * {@link #scaledSet(StressSet, List, int, int)}. Its shortfalls go to {@link #record}.
     */
    public StressSet nextPass() {
      if (!hasNextPass()) {
        throw new IllegalStateException("the λ search is complete");
      }
      List<Integer> open = open();
      passScenarios = open;
      List<Integer> ids = open.stream().map(chosen::get).toList();
      return scaledSet(base, ids, evaluatedTo, PASS_ENDS[pass]);
    }

    /** The exchange shortfall of the set {@link #nextPass} returned, per scaled scenario in its order (USD). */
    public void record(double[] scaledShortfallUsd) {
      int from = evaluatedTo;
      int width = PASS_ENDS[pass] - from;
      if (scaledShortfallUsd.length != passScenarios.size() * width) {
        throw new IllegalArgumentException("expected " + passScenarios.size() * width + " shortfalls, got "
            + scaledShortfallUsd.length);
      }
      for (int i = 0; i < passScenarios.size(); i++) {
        System.arraycopy(scaledShortfallUsd, i * width, grid[passScenarios.get(i)], from, width);
      }
      scenariosEvaluated += scaledShortfallUsd.length;
      evaluatedTo = PASS_ENDS[pass];
      pass++;
      passScenarios = List.of();
    }

    /**
     * Positions in the chosen list of the scenarios with no evaluated point above the resources: those
     * for which {@link #exhaustingLambda} finds no λ yet (a point not evaluated is NaN, never above).
     */
    private List<Integer> open() {
      List<Integer> open = new ArrayList<>();
      for (int i = 0; i < grid.length; i++) {
        if (exhaustingLambda(grid[i], resourcesUsd) == null) {
          open.add(i);
        }
      }
      return open;
    }

    /** The result per chosen scenario, as {@link ReverseStress#results} on the whole grid. */
    public List<Result> results() {
      if (hasNextPass()) {
        throw new IllegalStateException("the λ search has passes left");
      }
      List<Result> out = new ArrayList<>(chosen.size());
      for (int i = 0; i < chosen.size(); i++) {
        out.add(result(base, chosen.get(i), grid[i], resourcesUsd));
      }
      return out;
    }

    /** Scaled scenarios evaluated so far, over all passes. */
    public int scenariosEvaluated() {
      return scenariosEvaluated;
    }
  }
}
