package io.riskgrid.market.history;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joint historical moves of every underlying over a window (DESIGN §3.5, §7.6): the close-to-close
 * return p, the DVOL change v (÷100, additive at the 30-day reference tenor) and h = the window in days.
 * An underlying without prices in the window takes the worst return of those with; without DVOL, the
 * largest DVOL change of those with one, else the given default vol shock. Each substitution is named.
 * Both exchange-wide stress ({@code io.riskgrid.stress.HistoricalStress}) and the historical-ES margin's
 * scenario grids (built in stage 1) read their moves here.
 */
public final class JointWindows {
  /** The first start date of a rolling historical set (DESIGN §7.6): ETH and BTC both trade from here on. */
  public static final LocalDate ROLLING_FROM = LocalDate.of(2017, 8, 17);

  private JointWindows() {}

  /** One underlying's move: price return p (decimal), vol change v (decimal vol), horizon in days. */
  public record Move(double p, double v, double horizonDays) implements Serializable {}

  /** Every underlying's move over one window, its label, and what was substituted. */
  public record Window(String label, Map<String, Move> moves, List<String> substitutions) implements Serializable {
    public Window {
      moves = Map.copyOf(moves);
      substitutions = List.copyOf(substitutions);
    }
  }

  /** {@code hist_2022-11-07_09}: start date, then the end's day of month. */
  public static String label(LocalDate from, LocalDate to) {
    return "hist_" + from + "_" + String.format("%02d", to.getDayOfMonth());
  }

  /** The joint move of {@code underlyings} from the close of {@code from} to the close of {@code to}. */
  public static Window window(DailyHistory closes, DailyHistory dvol, List<String> underlyings, LocalDate from,
      LocalDate to, double defaultVolShock) {
    double h = ChronoUnit.DAYS.between(from, to);
    Map<String, Double> returns = new LinkedHashMap<>();
    Map<String, Double> volShocks = new LinkedHashMap<>();
    for (String u : underlyings) {
      double r = closes.on(u, to) / closes.on(u, from) - 1;
      if (Double.isFinite(r)) {
        returns.put(u, r);
      }
      double v = (dvol.on(u, to) - dvol.on(u, from)) / 100;
      if (Double.isFinite(v)) {
        volShocks.put(u, v);
      }
    }
    double worstReturn = returns.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double largestVol = volShocks.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    Map<String, Move> moves = new LinkedHashMap<>();
    List<String> substitutions = new ArrayList<>();
    for (String u : underlyings) {
      double p = returns.getOrDefault(u, Double.NaN);
      if (Double.isNaN(p)) {
        if (Double.isNaN(worstReturn)) {
          throw new IllegalArgumentException("no underlying has prices for " + from + ".." + to);
        }
        p = worstReturn;
        substitutions.add(u + ": no price in window, took the worst return " + worstReturn);
      }
      double v = volShocks.getOrDefault(u, Double.NaN);
      if (Double.isNaN(v)) {
        v = Double.isNaN(largestVol) ? defaultVolShock : largestVol;
        substitutions.add(u + ": no DVOL in window, vol shock " + v
            + (Double.isNaN(largestVol) ? " (policy stress.default_vol_shock)" : " (largest DVOL change)"));
      }
      moves.put(u, new Move(p, v, h));
    }
    return new Window(label(from, to), moves, substitutions);
  }

  /**
   * Every overlapping {@code h}-day window from {@link #ROLLING_FROM} to the last close, one per start date
   * (DESIGN §7.6); a start date whose window has no close of any underlying gives no window rather than a
   * made-up one. About 3,000 windows for h = 1 on the shipped history.
   */
  public static List<Window> rolling(DailyHistory closes, DailyHistory dvol, List<String> underlyings, int horizonDays,
      double defaultVolShock) {
    if (horizonDays < 1) {
      throw new InvalidInputException("horizon", "a rolling historical set needs h >= 1 day, got " + horizonDays);
    }
    LocalDate last = underlyings.stream().map(closes::of).filter(m -> !m.isEmpty()).map(m -> m.lastKey())
        .max(LocalDate::compareTo).orElseThrow(() -> new InvalidInputException("history",
            "no closes for any of " + underlyings));
    List<Window> list = new ArrayList<>();
    for (LocalDate start = ROLLING_FROM; !start.plusDays(horizonDays).isAfter(last); start = start.plusDays(1)) {
      LocalDate t = start;
      LocalDate end = t.plusDays(horizonDays);
      if (underlyings.stream().allMatch(u -> Double.isNaN(closes.on(u, t)) || Double.isNaN(closes.on(u, end)))) {
        continue;
      }
      list.add(window(closes, dvol, underlyings, t, end, defaultVolShock));
    }
    return list;
  }
}
