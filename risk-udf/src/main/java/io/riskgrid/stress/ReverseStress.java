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
    requireChosen(base, chosen);
    List<JointScenario> scaled = new ArrayList<>(chosen.size() * POINTS);
    for (int j : chosen) {
      for (int k = 0; k < POINTS; k++) {
        scaled.add(scaled(base.scenarios().get(j), k));
      }
    }
    return new StressSet("reverse-" + base.name(), base.volMode(), scaled);
  }

  /** Scenario {@code s} at grid point {@code k}: its moves scaled by λ = {@link #lambda}(k), its label suffixed {@code _x<λ>}. */
  private static JointScenario scaled(JointScenario s, int k) {
    double l = lambda(k);
    List<String> notes = new ArrayList<>(s.substitutions());
    Map<String, JointScenario.Move> moves = scaledMoves(s, l, notes);
    return new JointScenario(s.label() + "_x" + String.format(java.util.Locale.ROOT, "%.2f", l), moves, notes);
  }

  /**
   * The moves of {@code s} scaled by λ = {@code l}: price and vol moves times λ, the horizon kept, a price
   * move under {@link #MIN_PRICE_MOVE} capped there (and said so in {@code notes}, when given). At λ = 0 the
   * moves are +0.0, never −0.0, so that every window of one horizon gives the same unmoved scenario (the
   * two zeros move a price or a vol identically).
   */
  private static Map<String, JointScenario.Move> scaledMoves(JointScenario s, double l, List<String> notes) {
    Map<String, JointScenario.Move> moves = new LinkedHashMap<>();
    s.moves().forEach((u, m) -> {
      double p = l == 0 ? 0.0 : l * m.p();
      if (p < MIN_PRICE_MOVE) {
        if (notes != null) {
          notes.add(u + ": scaled price move " + p + " capped at " + MIN_PRICE_MOVE + " (a price cannot fall 100%)");
        }
        p = MIN_PRICE_MOVE;
      }
      moves.put(u, new JointScenario.Move(p, l == 0 ? 0.0 : l * m.v(), m.horizonDays()));
    });
    return moves;
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
   * plus its share of the kernel per scaled scenario; on the generated 1M exchange every one of the 50
   * worst windows exhausts the resources by λ = 1.37 (stop 37), so one pass does what the whole grid
   * did, and where resources survive twice every move the second pass costs one fixed read more than the
   * whole grid at once. A split at λ = 1 measured 19.7 s + 40.6 s there (38 of the 50 above 1), against
   * 64.3 s for the whole grid.
   */
  static final int[] PASS_ENDS = {(int) Math.round(2.0 / STEP) + 1, POINTS};

  /** The grid point of λ = 1: the historical move itself. */
  static final int HISTORICAL_POINT = (int) Math.round(1.0 / STEP);

  /**
   * The λ search in passes, each one exchange-wide evaluation of a scaled set, that evaluates only the
   * grid points {@link #exhaustingLambda} reads:
   * <ul>
   *   <li>A scenario whose shortfall has exceeded the resources at some grid point, with every point
   *       below it known, is settled: no point after its first crossing is read, so later passes leave it
   *       out, and a pass evaluates no point above a crossing already known.
   *   <li>λ = 1 is the historical scenario itself, whose shortfall the stress run has just computed
   *       ({@code baseShortfallUsd}); it is taken from there, not evaluated again, so {@code reverse_stress}
   *       and {@code stress_results} agree at λ = 1. When that shortfall already exceeds the resources,
   *       the first pass evaluates λ &lt; 1 only (19 points, not 40).
   *   <li>Scaled scenarios with the same moves are evaluated once: λ = 0 leaves every window of one
   *       horizon unmoved, so the chosen windows share that column.
   * </ul>
   * The results equal those of the whole grid in one pass ({@link #results}) up to the order in which
   * the λ = 1 shortfall was summed over accounts, since every point up to each scenario's first crossing
   * is evaluated the same way; a scenario never exhausted is evaluated on the whole grid.
   */
  public static final class Search {
    private final StressSet base;
    private final List<Integer> chosen;
    private final double resourcesUsd;
    /** Shortfall per chosen scenario and grid point (USD); NaN where not known yet. */
    private final double[][] grid;
    private int pass;
    /** Per column of the pass in flight, the cells (chosen position, grid point) it answers. */
    private List<List<int[]>> passCells = List.of();
    private int scenariosEvaluated;

    /** A search with nothing known in advance: λ = 1 is evaluated like every other point. */
    public Search(StressSet base, List<Integer> chosen, double resourcesUsd) {
      this(base, chosen, resourcesUsd, null);
    }

    /**
     * A search that takes λ = 1 from {@code baseShortfallUsd}: the exchange shortfall (USD) of each of
     * {@code base}'s scenarios, from the stress run that chose them; null to evaluate it.
     */
    public Search(StressSet base, List<Integer> chosen, double resourcesUsd, double[] baseShortfallUsd) {
      requireChosen(base, chosen);
      if (baseShortfallUsd != null && baseShortfallUsd.length != base.size()) {
        throw new IllegalArgumentException("expected " + base.size() + " base shortfalls, got " + baseShortfallUsd.length);
      }
      this.base = base;
      this.chosen = List.copyOf(chosen);
      this.resourcesUsd = resourcesUsd;
      this.grid = new double[chosen.size()][POINTS];
      for (int i = 0; i < grid.length; i++) {
        java.util.Arrays.fill(grid[i], Double.NaN);
        int j = chosen.get(i);
        // The scaled scenario at λ = 1 is the base one unless a cap changed a move (a fall of 99% or more).
        if (baseShortfallUsd != null && scaledMoves(base.scenarios().get(j), 1.0, null).equals(base.scenarios().get(j).moves())) {
          grid[i][HISTORICAL_POINT] = baseShortfallUsd[j];
        }
      }
      skipEmptyPasses();
    }

    /** Whether another pass is needed: some scenario is not settled. */
    public boolean hasNextPass() {
      return pass < PASS_ENDS.length;
    }

    /** λ of the last grid point the next pass may evaluate. */
    public double nextPassUpToLambda() {
      return lambda(PASS_ENDS[pass] - 1);
    }

    /**
     * The next pass's scaled set: for each open scenario, in chosen order, the grid points of this pass
     * below its first known crossing that are not known yet, λ ascending; a scaled scenario whose moves
     * an earlier one of the pass already has is left out (they share its shortfall). Its shortfalls go to
     * {@link #record}.
     */
    public StressSet nextPass() {
      if (!hasNextPass()) {
        throw new IllegalStateException("the λ search is complete");
      }
      Map<Map<String, JointScenario.Move>, Integer> columns = new LinkedHashMap<>();
      List<JointScenario> scaled = new ArrayList<>();
      List<List<int[]>> cells = new ArrayList<>();
      for (int[] cell : cells(pass)) {
        JointScenario s = scaled(base.scenarios().get(chosen.get(cell[0])), cell[1]);
        Integer column = columns.get(s.moves());
        if (column == null) {
          column = scaled.size();
          columns.put(s.moves(), column);
          scaled.add(s);
          cells.add(new ArrayList<>());
        }
        cells.get(column).add(cell);
      }
      passCells = cells;
      return new StressSet("reverse-" + base.name(), base.volMode(), scaled);
    }

    /** The exchange shortfall of the set {@link #nextPass} returned, per scaled scenario in its order (USD). */
    public void record(double[] scaledShortfallUsd) {
      if (scaledShortfallUsd.length != passCells.size()) {
        throw new IllegalArgumentException("expected " + passCells.size() + " shortfalls, got " + scaledShortfallUsd.length);
      }
      for (int c = 0; c < passCells.size(); c++) {
        for (int[] cell : passCells.get(c)) {
          grid[cell[0]][cell[1]] = scaledShortfallUsd[c];
        }
      }
      scenariosEvaluated += scaledShortfallUsd.length;
      passCells = List.of();
      pass++;
      skipEmptyPasses();
    }

    /** Moves on past passes with nothing to evaluate (every scenario settled, or settled below them). */
    private void skipEmptyPasses() {
      while (pass < PASS_ENDS.length && cells(pass).isEmpty()) {
        pass++;
      }
    }

    /**
     * The cells (chosen position, grid point) pass {@code p} evaluates: for each scenario that is not
     * settled, the unknown points of the pass's range below its first known crossing.
     */
    private List<int[]> cells(int p) {
      int from = p == 0 ? 0 : PASS_ENDS[p - 1];
      List<int[]> out = new ArrayList<>();
      for (int i = 0; i < grid.length; i++) {
        int crossing = firstAbove(grid[i]);
        if (settled(grid[i], crossing)) {
          continue;
        }
        for (int k = from; k < Math.min(PASS_ENDS[p], crossing); k++) {
          if (Double.isNaN(grid[i][k])) {
            out.add(new int[] {i, k});
          }
        }
      }
      return out;
    }

    /** The first grid point known to exceed the resources, or {@link #POINTS} when none does. */
    private int firstAbove(double[] g) {
      for (int k = 0; k < POINTS; k++) {
        if (g[k] > resourcesUsd) {
          return k;
        }
      }
      return POINTS;
    }

    /** Settled: a crossing is known and every point below it too, so {@link #exhaustingLambda} has its answer. */
    private static boolean settled(double[] g, int crossing) {
      if (crossing == POINTS) {
        return false;
      }
      for (int k = 0; k < crossing; k++) {
        if (Double.isNaN(g[k])) {
          return false;
        }
      }
      return true;
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

    /** Scaled scenarios evaluated so far, over all passes (shared columns counted once). */
    public int scenariosEvaluated() {
      return scenariosEvaluated;
    }
  }
}
