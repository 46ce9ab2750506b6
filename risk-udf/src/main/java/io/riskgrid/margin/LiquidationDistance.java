package io.riskgrid.margin;

/**
 * The liquidation distance of DESIGN §7.5 from an account's P&amp;L over a grid of joint index moves: the
 * smallest |x| in one direction at which equity + P&amp;L(x) &lt; MM (today's MM held), found on the grid
 * and linearly interpolated between the last grid point that holds and the first that does not.
 */
public final class LiquidationDistance {
  private LiquidationDistance() {}

  /** Towards falling prices (x &lt; 0) or rising ones (x &gt; 0). */
  public enum Direction {
    DOWN(-1), UP(1);

    final int step;

    Direction(int step) {
      this.step = step;
    }
  }

  /**
   * @param moves the grid of relative moves x, ascending, symmetric around a 0 entry (decimals: 0.005 = 0.5%)
   * @param pnl the account's P&amp;L at each move, aligned with {@code moves}, margin currency (0 at x = 0)
   * @param equity the account's equity today, margin currency
   * @param mm the account's maintenance margin today, margin currency
   * @return |x| as a decimal (0.125 = a 12.5% move): 0 when equity + P&amp;L(0) &lt; MM already, null when no
   *     grid point in that direction reaches MM
   */
  public static Double of(double[] moves, double[] pnl, double equity, double mm, Direction direction) {
    if (moves.length != pnl.length) {
      throw new IllegalArgumentException(moves.length + " moves but " + pnl.length + " P&L values");
    }
    int zero = moves.length / 2;
    if (moves[zero] != 0) {
      throw new IllegalArgumentException("the move grid must be symmetric around 0, its middle is " + moves[zero]);
    }
    double previousCushion = equity + pnl[zero] - mm;
    if (previousCushion < 0) {
      return 0.0;
    }
    double previousMove = 0;
    for (int k = zero + direction.step; k >= 0 && k < moves.length; k += direction.step) {
      double cushion = equity + pnl[k] - mm;
      double move = Math.abs(moves[k]);
      if (cushion < 0) {
        // The cushion falls from previousCushion >= 0 to cushion < 0 between the two points: its zero.
        return previousMove + previousCushion / (previousCushion - cushion) * (move - previousMove);
      }
      previousCushion = cushion;
      previousMove = move;
    }
    return null;
  }
}
