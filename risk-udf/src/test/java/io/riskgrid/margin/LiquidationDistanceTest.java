package io.riskgrid.margin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.riskgrid.margin.LiquidationDistance.Direction;
import org.junit.jupiter.api.Test;

/** DESIGN §7.5's distance on the default grid {0, ±0.5%, …, ±50%}, against hand formulas. */
class LiquidationDistanceTest {
  private static final double[] MOVES = grid(0.005, 100);
  private static final double S = 60_000;

  private static double[] grid(double step, int points) {
    double[] moves = new double[2 * points + 1];
    for (int k = -points; k <= points; k++) {
      moves[k + points] = k * step;
    }
    return moves;
  }

  /** A linear perpetual of q contracts (m = 1) in a USD account: P&L(x) = q·S·x. */
  private static double[] perpetual(double q) {
    double[] pnl = new double[MOVES.length];
    for (int k = 0; k < MOVES.length; k++) {
      pnl[k] = q * S * MOVES[k];
    }
    return pnl;
  }

  @Test
  void aLongPerpetualIsLiquidatedAtEquityOverMmCushionDividedByQTimesS() {
    double mm = 9_360; // DESIGN §3.7: long 1 perpetual under seed-default
    // Cushion chosen so that the distance falls between the grid points 12% and 12.5%.
    double equity = mm + 2 * S * 0.1234;
    double expected = (equity - mm) / (2 * S);
    assertEquals(0.1234, expected, 1e-15);
    assertEquals(expected, LiquidationDistance.of(MOVES, perpetual(2), equity, mm, Direction.DOWN), 1e-12);
    assertNull(LiquidationDistance.of(MOVES, perpetual(2), equity, mm, Direction.UP), "a long gains when prices rise");
    // On a grid point exactly: the cushion is 0 there (not below MM), so the interpolation lands on it.
    double onPoint = mm + 2 * S * 0.25;
    assertEquals(0.25, LiquidationDistance.of(MOVES, perpetual(2), onPoint, mm, Direction.DOWN), 1e-12);
  }

  @Test
  void aShortPerpetualIsLiquidatedUpward() {
    double equity = 20_000;
    double mm = 9_360;
    assertEquals((equity - mm) / S, LiquidationDistance.of(MOVES, perpetual(-1), equity, mm, Direction.UP), 1e-12);
    assertNull(LiquidationDistance.of(MOVES, perpetual(-1), equity, mm, Direction.DOWN));
  }

  @Test
  void aCurvedLossIsInterpolatedBetweenTheTwoGridPointsAroundTheCrossing() {
    // A short straddle's shape: P&L(x) = −a·x², cushion c; the grid crosses between 0.315 and 0.32.
    double a = 1_000_000;
    double cushion = a * 0.3162 * 0.3162;
    double[] pnl = new double[MOVES.length];
    for (int k = 0; k < MOVES.length; k++) {
      pnl[k] = -a * MOVES[k] * MOVES[k];
    }
    double x1 = 0.315;
    double x2 = 0.32;
    double f1 = cushion - a * x1 * x1;
    double f2 = cushion - a * x2 * x2;
    double expected = x1 + f1 / (f1 - f2) * (x2 - x1);
    assertEquals(expected, LiquidationDistance.of(MOVES, pnl, 5_000 + cushion, 5_000, Direction.DOWN), 1e-12);
    assertEquals(expected, LiquidationDistance.of(MOVES, pnl, 5_000 + cushion, 5_000, Direction.UP), 1e-12);
  }

  @Test
  void anAccountBelowMmHasDistanceZeroAndAFullyHedgedOneHasNone() {
    assertEquals(0.0, LiquidationDistance.of(MOVES, perpetual(1), 9_000, 9_360, Direction.DOWN));
    assertEquals(0.0, LiquidationDistance.of(MOVES, perpetual(1), 9_000, 9_360, Direction.UP));
    double[] hedged = new double[MOVES.length];
    assertNull(LiquidationDistance.of(MOVES, hedged, 10_000, 720, Direction.DOWN));
    assertNull(LiquidationDistance.of(MOVES, hedged, 10_000, 720, Direction.UP));
    // Beyond the grid: a cushion larger than a 50% move can take is null, not 0.5.
    assertNull(LiquidationDistance.of(MOVES, perpetual(1), 9_360 + 0.6 * S, 9_360, Direction.DOWN));
  }

  @Test
  void aGridThatIsNotCentredOnZeroIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> LiquidationDistance.of(new double[] {0, 0.01}, new double[] {0, 0}, 1, 0, Direction.UP));
  }
}
