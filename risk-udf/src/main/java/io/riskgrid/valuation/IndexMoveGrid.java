package io.riskgrid.valuation;

/**
 * The grid of joint relative index moves x of DESIGN §7.5 (liquidation distance and the exchange
 * liquidation curve): x ∈ {−50%, −49.5%, …, 0, …, +49.5%, +50%}, every index S_u → S_u·(1 + x) at once,
 * vols and time unchanged. 201 points, ascending, symmetric around the 0 in the middle. The grid is
 * part of the definition of the {@code liq_move_*} columns and the {@code liquidation_curve} table (its
 * moves are their keys), not a margin parameter, so it is fixed here rather than read from a policy.
 */
public final class IndexMoveGrid {
  /** Grid points on each side of 0. */
  public static final int POINTS_PER_SIDE = 100;
  /** Spacing of the grid, decimal (0.005 = 0.5%). */
  public static final double STEP = 0.005;
  /** Number of moves, 0 included. */
  public static final int SIZE = 2 * POINTS_PER_SIDE + 1;
  /** Index of the move 0 in {@link #moves()}. */
  public static final int ZERO = POINTS_PER_SIDE;

  private IndexMoveGrid() {}

  /** The moves, decimal, ascending; each is k/200 exactly as a double (no accumulated rounding). */
  public static double[] moves() {
    double[] moves = new double[SIZE];
    for (int k = -POINTS_PER_SIDE; k <= POINTS_PER_SIDE; k++) {
      moves[k + POINTS_PER_SIDE] = k / (double) (2 * POINTS_PER_SIDE);
    }
    return moves;
  }
}
