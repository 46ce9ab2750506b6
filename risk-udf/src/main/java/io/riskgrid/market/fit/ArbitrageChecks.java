package io.riskgrid.market.fit;

import io.riskgrid.market.SviSlice;

/**
 * Static-arbitrage checks of fitted slices on the log-moneyness grid k ∈ [−1.5, 1.5], step 0.01
 * (DESIGN §7.1). They report; they never repair a slice.
 */
public final class ArbitrageChecks {
  /** Grid of the checks: k_j = −1.5 + 0.01·j, j = 0..300. */
  public static final double GRID_LOW = -1.5;
  public static final double GRID_STEP = 0.01;
  public static final int GRID_POINTS = 301;

  private ArbitrageChecks() {}

  /** The j-th grid point, computed without accumulating the step. */
  public static double gridPoint(int j) {
    return GRID_LOW + j * GRID_STEP;
  }

  /**
   * Gatheral's density factor g(k) = (1 − k·w'/(2w))² − (w'²/4)·(1/w + 1/4) + w''/2 of a raw SVI slice;
   * the implied density is negative where g < 0 (butterfly arbitrage). −∞ where w ≤ 0.
   */
  public static double densityFactor(SviSlice s, double k) {
    double x = k - s.m();
    double root = Math.sqrt(x * x + s.sigma() * s.sigma());
    double w = s.totalVariance(k);
    if (!(w > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    double w1 = s.b() * (s.rho() + x / root);
    double w2 = s.b() * s.sigma() * s.sigma() / (root * root * root);
    double t = 1 - k * w1 / (2 * w);
    return t * t - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
  }

  /** Whether g(k) < 0 at some grid point. */
  public static boolean hasButterfly(SviSlice s) {
    for (int j = 0; j < GRID_POINTS; j++) {
      if (densityFactor(s, gridPoint(j)) < 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether the later slice's total variance is below the earlier one's at some grid point. */
  public static boolean hasCalendar(SviSlice earlier, SviSlice later) {
    for (int j = 0; j < GRID_POINTS; j++) {
      double k = gridPoint(j);
      if (later.totalVariance(k) < earlier.totalVariance(k)) {
        return true;
      }
    }
    return false;
  }
}
