package io.riskgrid.backtest.history;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One observed (portfolio, t) of a backtest (DESIGN §3.6): one {@code backtest_daily} row. Amounts are in the
 * portfolio's margin currency; {@code usdPerUnit} converts them to USD at t (1 for USD accounts, S_t of the
 * coin for coin accounts). A revalued observation ({@link #revalued}) carries everything that explains its loss:
 * V_t, V_{t+h}, the index of each of its underlyings at t and t + h, and the binding scenario of each.
 *
 * @param mm               MM_t of the portfolio at t
 * @param im               IM_t
 * @param loss             L_t = −(V_{t+h} − V_t); positive is a loss
 * @param breachMm         L_t &gt; MM_t, strictly and beyond rounding ({@link #exceeds})
 * @param breachIm         L_t &gt; IM_t, the same way
 * @param volSource        the weakest vol source of the portfolio's underlyings at t
 * @param equityAtT        V_t, the frozen portfolio's equity at t's market; null when only the loss is known
 * @param equityAtHorizon  V_{t+h}, its equity at t + h's market; null when only the loss is known
 * @param indexAtT         S_t in USD per coin, by underlying of the portfolio (legs and coin collateral)
 * @param indexAtHorizon   S_{t+h} in USD per coin, same underlyings
 * @param bindingScenarios the binding scenario label of each underlying at t (§3.4), null where no scenario
 *                         loses (L_u = 0)
 * @param stressedIm       IM_t under the policy's stressed window (§7.7 floor), margin currency; null when unknown
 */
public record Observation(String portfolioId, LocalDate date, String marginCurrency, double mm, double im,
    double loss, boolean breachMm, boolean breachIm, VolSource volSource, double usdPerUnit, Double equityAtT,
    Double equityAtHorizon, Map<String, Double> indexAtT, Map<String, Double> indexAtHorizon,
    Map<String, String> bindingScenarios, Double stressedIm) implements Serializable {

  public Observation {
    indexAtT = sorted(indexAtT);
    indexAtHorizon = sorted(indexAtHorizon);
    bindingScenarios = sorted(bindingScenarios);
  }

  /**
   * This observation without what only {@code backtest_daily} shows (V_t, V_{t+h}, the indices, the
   * binding scenarios): everything the statistics read ({@link PortfolioSeries}), in a fraction of the
   * memory, for moving millions of observations between tasks.
   */
  public Observation forStatistics() {
    return new Observation(portfolioId, date, marginCurrency, mm, im, loss, breachMm, breachIm, volSource, usdPerUnit,
        null, null, Map.of(), Map.of(), Map.of(), stressedIm);
  }

  /** An observation from margins and loss alone, deriving the breach flags; V_t, V_{t+h} and S are unknown. */
  public static Observation of(String portfolioId, LocalDate date, String marginCurrency, double mm, double im,
      double loss, VolSource volSource, double usdPerUnit) {
    return new Observation(portfolioId, date, marginCurrency, mm, im, loss, exceeds(loss, mm), exceeds(loss, im),
        volSource, usdPerUnit, null, null, Map.of(), Map.of(), Map.of(), null);
  }

  /** An observation from the equity before and after: L_t = −(V_{t+h} − V_t), and the breach flags. */
  public static Observation revalued(String portfolioId, LocalDate date, String marginCurrency, double mm, double im,
      Double stressedIm, double equityAtT, double equityAtHorizon, VolSource volSource, double usdPerUnit,
      Map<String, Double> indexAtT,
      Map<String, Double> indexAtHorizon, Map<String, String> bindingScenarios) {
    double loss = -(equityAtHorizon - equityAtT);
    return new Observation(portfolioId, date, marginCurrency, mm, im, loss, exceeds(loss, mm), exceeds(loss, im),
        volSource, usdPerUnit, equityAtT, equityAtHorizon, indexAtT, indexAtHorizon, bindingScenarios, stressedIm);
  }

  /**
   * A breach: L_t &gt; margin strictly, and by more than 1e-9 of the larger, the relative part of DESIGN §3.4's
   * agreement tolerance. The loss (full revaluation) and the margin (the kernel's scenario P&amp;L) are two
   * implementations of one number when a long option's whole value is both: it expires inside the horizon, and the
   * scenario that sends it to intrinsic loses exactly its value. Their last-bit differences are not breaches (on a
   * generated book, a long 1-day put "breached" on 178 of 365 days by at most 2.2e-13 USD).
   */
  static boolean exceeds(double loss, double margin) {
    return loss > margin && loss - margin > 1e-9 * Math.max(Math.abs(loss), Math.abs(margin));
  }

  /** IM_t in USD at t's index. */
  public double imUsd() {
    return im * usdPerUnit;
  }

  /** IM_t under the stressed window in USD at t's index, NaN when unknown. */
  public double stressedImUsd() {
    return stressedIm == null ? Double.NaN : stressedIm * usdPerUnit;
  }

  /** An unmodifiable copy in key order that keeps null values (a binding scenario may be null). */
  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
