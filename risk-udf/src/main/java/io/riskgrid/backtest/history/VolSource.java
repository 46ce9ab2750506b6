package io.riskgrid.backtest.history;

/**
 * Where a day's implied vol for an underlying came from, as {@code backtest_daily.vol_source} records it
 * (DESIGN §3.6). Declared from most to least market-implied: a portfolio over several underlyings
 * reports the {@link #weakest} of its underlyings' sources.
 */
public enum VolSource {
  /** A full SVI surface: the synthetic generator's, or {@code market_vol_slices} read back. */
  SURFACE,
  /** An ATM implied-vol column of the closes file (decimal), as a flat surface. */
  ATM_IV,
  /** A vol index in percent such as Deribit DVOL, divided by 100, as a flat surface. */
  DVOL,
  /** 30-day realised vol of daily log returns × {@code backtest.iv_over_rv}, as a flat surface. */
  REALISED;

  /** The less market-implied of two sources. */
  public static VolSource weakest(VolSource a, VolSource b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
