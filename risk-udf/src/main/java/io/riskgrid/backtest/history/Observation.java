package io.riskgrid.backtest.history;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One observed (portfolio, t) of a backtest (DESIGN §3.6): one {@code backtest_daily} row. Amounts are in the
 * portfolio's margin currency; {@code usdPerUnit} converts them to USD at t (1 for USD accounts, S_t of the
 * coin for coin accounts).
 *
 * @param mm        MM_t of the portfolio at t
 * @param im        IM_t
 * @param loss      L_t = −(V_{t+h} − V_t); positive is a loss
 * @param breachMm  L_t &gt; MM_t, strictly
 * @param breachIm  L_t &gt; IM_t, strictly
 * @param volSource the weakest vol source of the portfolio's underlyings at t
 */
public record Observation(String portfolioId, LocalDate date, String marginCurrency, double mm, double im,
    double loss, boolean breachMm, boolean breachIm, VolSource volSource, double usdPerUnit) implements Serializable {

  /** An observation from margins and loss, deriving the breach flags. */
  public static Observation of(String portfolioId, LocalDate date, String marginCurrency, double mm, double im,
      double loss, VolSource volSource, double usdPerUnit) {
    return new Observation(portfolioId, date, marginCurrency, mm, im, loss, loss > mm, loss > im, volSource, usdPerUnit);
  }

  /** IM_t in USD at t's index. */
  public double imUsd() {
    return im * usdPerUnit;
  }
}
