package io.riskgrid.market.fit;

/**
 * What an import reports about one fitted expiry (the {@code arbitrage_flags} column of
 * {@code market_vol_slices}, DESIGN §7.1). Flags are reported, never repaired.
 */
public enum SliceFlag {
  /** Gatheral's density factor g(k) is negative somewhere on k ∈ [−1.5, 1.5] (step 0.01). */
  BUTTERFLY,
  /** Total variance falls below the previous expiry's at some k on the same grid. */
  CALENDAR,
  /** The expiry has fewer than {@link SviFitter#MIN_POINTS} options: five parameters are not determined. */
  FEW_POINTS,
  /** The fit's RMSE exceeds {@link SviFitter#POOR_FIT_RMSE} (1 vol point). */
  POOR_FIT,
  /** The fit did not converge: the expiry keeps its mark IVs only and has no slice. */
  NO_FIT
}
