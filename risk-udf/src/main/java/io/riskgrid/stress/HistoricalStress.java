package io.riskgrid.stress;

import io.riskgrid.market.history.DailyHistory;
import io.riskgrid.market.history.JointWindows;
import io.riskgrid.scenario.VolMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Historical joint scenarios (DESIGN §3.5): the close-to-close return over a window per underlying,
 * h = the window in days, and v = the DVOL change / 100, additive at the 30-day reference tenor.
 * An underlying without prices in the window takes the worst return of those with; without DVOL, the
 * largest DVOL change of those with one, else the policy's default vol shock. Each substitution is named.
 */
public final class HistoricalStress {
  /** The shipped windows: March 2020, the May 2022 Terra/LUNA crash, the November 2022 FTX collapse. */
  public static final List<LocalDate[]> SHIPPED_WINDOWS = List.of(
      new LocalDate[] {LocalDate.of(2020, 3, 11), LocalDate.of(2020, 3, 12)},
      new LocalDate[] {LocalDate.of(2022, 5, 5), LocalDate.of(2022, 5, 12)},
      new LocalDate[] {LocalDate.of(2022, 11, 7), LocalDate.of(2022, 11, 9)});

  private HistoricalStress() {}

  /** {@code hist_2022-11-07_09}: start date, then the end's day of month. */
  public static String label(LocalDate from, LocalDate to) {
    return JointWindows.label(from, to);
  }

  /** The joint scenario of one window ({@link JointWindows#window}). */
  public static JointScenario window(DailyHistory closes, DailyHistory dvol, List<String> underlyings, LocalDate from,
      LocalDate to, double defaultVolShock) {
    return scenario(JointWindows.window(closes, dvol, underlyings, from, to, defaultVolShock));
  }

  private static JointScenario scenario(JointWindows.Window w) {
    Map<String, JointScenario.Move> moves = new LinkedHashMap<>();
    w.moves().forEach((u, m) -> moves.put(u, new JointScenario.Move(m.p(), m.v(), m.horizonDays())));
    return new JointScenario(w.label(), moves, w.substitutions());
  }

  /** The first start date of a rolling historical set (DESIGN §7.6): ETH and BTC both trade from here on. */
  public static final LocalDate ROLLING_FROM = JointWindows.ROLLING_FROM;

  /** The name of the rolling set of {@code h}-day windows: {@code hist-1d}. */
  public static String rollingName(int horizonDays) {
    return "hist-" + horizonDays + "d";
  }

  /**
   * The joint historical-simulation set {@code hist-<h>d} (DESIGN §7.6): one scenario per start date t
   * from {@link #ROLLING_FROM} to the last close, every day and overlapping, each the window (t, t+h) of
   * {@link #window} with its substitutions. The last start date is the last t whose t+h has a close of
   * some underlying. About 3,000 scenarios for h = 1 on the shipped history.
   */
  public static StressSet rolling(DailyHistory closes, DailyHistory dvol, List<String> underlyings, int horizonDays,
      double defaultVolShock) {
    if (horizonDays < 1) {
      throw new io.riskgrid.InvalidInputException("--set", "a rolling historical set needs h >= 1 day, got " + horizonDays);
    }
    List<JointScenario> list = new ArrayList<>();
    for (JointWindows.Window w : JointWindows.rolling(closes, dvol, underlyings, horizonDays, defaultVolShock)) {
      list.add(scenario(w));
    }
    return new StressSet(rollingName(horizonDays), VolMode.ADDITIVE, list);
  }

  /** {@link #rolling} over the shipped closes and DVOL. */
  public static StressSet shippedRolling(List<String> underlyings, int horizonDays, double defaultVolShock) {
    return rolling(DailyHistory.shipped(DailyHistory.CLOSES), DailyHistory.shipped(DailyHistory.DVOL), underlyings,
        horizonDays, defaultVolShock);
  }

  /**
   * The shipped stablecoin de-peg set: USDT −10% and USDC −13% (USDC touched 0.87 in March 2023),
   * each alone, every coin unshocked.
   */
  public static StressSet depeg() {
    return new StressSet("depeg", VolMode.ADDITIVE, List.of(
        new JointScenario("depeg_USDT_-10", Map.of("USDT", new JointScenario.Move(-0.10, 0, 0)), List.of()),
        new JointScenario("depeg_USDC_-13", Map.of("USDC", new JointScenario.Move(-0.13, 0, 0)), List.of())));
  }

  /** The shipped historical set, over every listed underlying. */
  public static StressSet shipped(List<String> underlyings, double defaultVolShock) {
    DailyHistory closes = DailyHistory.shipped(DailyHistory.CLOSES);
    DailyHistory dvol = DailyHistory.shipped(DailyHistory.DVOL);
    List<JointScenario> list = new ArrayList<>();
    for (LocalDate[] w : SHIPPED_WINDOWS) {
      list.add(window(closes, dvol, underlyings, w[0], w[1], defaultVolShock));
    }
    return new StressSet("historical", VolMode.ADDITIVE, list);
  }
}
