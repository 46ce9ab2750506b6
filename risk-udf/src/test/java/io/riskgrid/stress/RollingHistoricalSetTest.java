package io.riskgrid.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The joint historical-simulation sets {@code hist-<h>d} (DESIGN §7.6) against the shipped CSVs read
 * here by a separate, plain parser: scenario count, returns and DVOL changes of chosen days, and the
 * substitutions where an underlying has no price (SOL before 2020) or no DVOL (before 2021, and SOL).
 */
class RollingHistoricalSetTest {
  private static final List<String> UNDERLYINGS = List.of("BTC", "ETH", "SOL");
  private static final double DEFAULT_VOL = 0.30;

  /** "underlying|date" -> value, straight from the CSV. */
  private static Map<String, Double> csv(String resource) throws Exception {
    Map<String, Double> out = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        RollingHistoricalSetTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(",");
        out.put(f[1] + "|" + f[0], Double.parseDouble(f[2]));
      }
    }
    return out;
  }

  private static JointScenario startingOn(StressSet set, LocalDate t) {
    return set.scenarios().stream().filter(s -> s.label().startsWith("hist_" + t + "_")).findFirst().orElseThrow();
  }

  @Test
  void oneDayWindowsFromAugust2017ToTheLastCloseWithTheirOwnReturnsAndDvolChanges() throws Exception {
    Map<String, Double> closes = csv("/io/riskgrid/data/history/crypto_daily.csv");
    Map<String, Double> dvol = csv("/io/riskgrid/data/history/dvol_daily.csv");
    StressSet set = HistoricalStress.shippedRolling(UNDERLYINGS, 1, DEFAULT_VOL);
    assertEquals("hist-1d", set.name());
    LocalDate last = LocalDate.of(2026, 1, 5); // the last close of the shipped history
    assertTrue(closes.containsKey("BTC|" + last) && !closes.containsKey("BTC|" + last.plusDays(1)));
    // Crypto trades every day: one scenario per start date, the last one ending on the last close.
    assertEquals(ChronoUnit.DAYS.between(HistoricalStress.ROLLING_FROM, last), set.size());
    assertEquals("hist_2017-08-17_18", set.scenarios().get(0).label());
    assertEquals("hist_2026-01-04_05", set.scenarios().get(set.size() - 1).label());

    // 2020-03-12, the COVID crash: BTC and ETH their own returns, SOL (listed later) the worst of them,
    // and no DVOL anywhere yet, so every vol shock is the policy's default.
    LocalDate crash = LocalDate.of(2020, 3, 12);
    JointScenario s = startingOn(set, crash);
    double btc = closes.get("BTC|2020-03-13") / closes.get("BTC|2020-03-12") - 1;
    double eth = closes.get("ETH|2020-03-13") / closes.get("ETH|2020-03-12") - 1;
    assertEquals(btc, s.move("BTC").p(), 1e-15);
    assertEquals(eth, s.move("ETH").p(), 1e-15);
    assertTrue(!closes.containsKey("SOL|2020-03-12"));
    assertEquals(Math.min(btc, eth), s.move("SOL").p(), 1e-15);
    assertEquals(1.0, s.move("BTC").horizonDays());
    for (String u : UNDERLYINGS) {
      assertEquals(DEFAULT_VOL, s.move(u).v(), 0, u);
    }
    assertTrue(s.substitutions().stream().anyMatch(x -> x.startsWith("SOL: no price")), s.substitutions().toString());
    assertEquals(4, s.substitutions().size(), "SOL's price and three vol shocks: " + s.substitutions());

    // 2022-11-08 (FTX): DVOL exists for BTC and ETH; SOL has prices but no DVOL: the largest DVOL change.
    JointScenario ftx = startingOn(set, LocalDate.of(2022, 11, 8));
    double vBtc = (dvol.get("BTC|2022-11-09") - dvol.get("BTC|2022-11-08")) / 100;
    double vEth = (dvol.get("ETH|2022-11-09") - dvol.get("ETH|2022-11-08")) / 100;
    assertEquals(vBtc, ftx.move("BTC").v(), 1e-15);
    assertEquals(vEth, ftx.move("ETH").v(), 1e-15);
    assertEquals(Math.max(vBtc, vEth), ftx.move("SOL").v(), 1e-15);
    assertEquals(closes.get("SOL|2022-11-09") / closes.get("SOL|2022-11-08") - 1, ftx.move("SOL").p(), 1e-15);
    assertEquals(1, ftx.substitutions().size(), ftx.substitutions().toString());
  }

  @Test
  void longerWindowsOverlapAndEndOnTheLastClose() {
    StressSet week = HistoricalStress.shippedRolling(UNDERLYINGS, 7, DEFAULT_VOL);
    assertEquals("hist-7d", week.name());
    assertEquals(ChronoUnit.DAYS.between(HistoricalStress.ROLLING_FROM, LocalDate.of(2026, 1, 5)) - 6, week.size());
    assertEquals("hist_2017-08-17_24", week.scenarios().get(0).label());
    assertEquals("hist_2017-08-18_25", week.scenarios().get(1).label());
    assertEquals(7.0, week.scenarios().get(0).move("ETH").horizonDays());
    assertThrows(InvalidInputException.class, () -> HistoricalStress.shippedRolling(UNDERLYINGS, 0, DEFAULT_VOL));
  }
}
