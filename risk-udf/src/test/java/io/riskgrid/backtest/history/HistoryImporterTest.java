package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.history.DailyHistory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The importer on the shipped real history (DESIGN §3.6): DVOL where present, else realised vol × iv_over_rv. */
class HistoryImporterTest {
  private static final double IV_OVER_RV = 1.2;
  private static final MarketHistory SHIPPED = HistoryImporter.shipped(IV_OVER_RV);
  private static final DailyHistory CLOSES = DailyHistory.shipped(DailyHistory.CLOSES);
  private static final DailyHistory DVOL = DailyHistory.shipped(DailyHistory.DVOL);
  private static final LocalDate DVOL_START = LocalDate.of(2021, 3, 24);

  @Test
  void btcAndEthUseDvolFromItsFirstDayAndRealisedVolBefore() {
    for (String u : new String[] {"BTC", "ETH"}) {
      DailyMarket first = SHIPPED.on(DVOL_START);
      assertEquals(VolSource.DVOL, first.volSource(u), u);
      assertEquals(DVOL.on(u, DVOL_START) / 100, atmVol(first.underlying(u)), 1e-15, u);
      assertEquals(VolSource.REALISED, SHIPPED.on(DVOL_START.minusDays(1)).volSource(u), u);
      LocalDate later = LocalDate.of(2024, 8, 5);
      assertEquals(VolSource.DVOL, SHIPPED.on(later).volSource(u), u);
      assertEquals(DVOL.on(u, later) / 100, atmVol(SHIPPED.on(later).underlying(u)), 1e-15, u);
    }
  }

  @Test
  void solHasNoImpliedVolSoEveryDayUsesRealisedVolTimesIvOverRv() {
    LocalDate day = LocalDate.of(2022, 11, 9);
    DailyMarket market = SHIPPED.on(day);
    assertEquals(VolSource.REALISED, market.volSource("SOL"));
    assertEquals(expectedRealised("SOL", day) * IV_OVER_RV, atmVol(market.underlying("SOL")), 1e-12);
    for (DailyMarket m : SHIPPED.markets()) {
      if (m.volSource("SOL") != null) {
        assertEquals(VolSource.REALISED, m.volSource("SOL"), m.date().toString());
      }
    }
  }

  @Test
  void anUnderlyingHasAMarketOnlyOnceThirtyReturnsExist() {
    LocalDate firstSol = CLOSES.of("SOL").firstKey();
    assertNull(SHIPPED.on(firstSol.plusDays(29)).underlying("SOL"));
    UnderlyingMarket sol = SHIPPED.on(firstSol.plusDays(30)).underlying("SOL");
    assertEquals(CLOSES.on("SOL", firstSol.plusDays(30)), sol.index());
    assertEquals(VolSource.REALISED, SHIPPED.on(firstSol.plusDays(30)).volSource("SOL"));
  }

  @Test
  void aDailyCloseIsValuedAtMidnightUtcAfterItsDayWithFlatVolInStrikeAndTenor() {
    LocalDate day = LocalDate.of(2023, 3, 10);
    DailyMarket m = SHIPPED.on(day);
    assertEquals(Instant.parse("2023-03-11T00:00:00Z"), m.asOf());
    UnderlyingMarket btc = m.underlying("BTC");
    assertEquals(CLOSES.on("BTC", day), btc.index());
    assertEquals(btc.index(), btc.forward(Instant.parse("2023-06-30T08:00:00Z")), 0.0);
    assertNull(btc.dataError());
    double atm = DVOL.on("BTC", day) / 100;
    for (double tenorDays : new double[] {0.3, 7, 30, 180}) {
      for (double k : new double[] {-0.5, 0, 0.4}) {
        Instant expiry = m.asOf().plusSeconds((long) (tenorDays * 86400));
        double tau = TimeConventions.yearFraction(m.asOf(), expiry);
        assertEquals(atm, btc.surfaceVol("x", expiry, tau, k), 1e-12, tenorDays + "d k=" + k);
      }
    }
  }

  @Test
  void anAtmIvColumnWinsOverTheVolIndexAndEmptyCellsFallBack() throws Exception {
    StringBuilder csv = new StringBuilder("date,underlying,close,atm_iv\n");
    LocalDate start = LocalDate.of(2024, 1, 1);
    for (int d = 0; d <= 40; d++) {
      csv.append(start.plusDays(d)).append(",XYZ,").append(100 + (d % 3)).append(',')
          .append(d == 35 ? "0.55" : "").append('\n');
    }
    HistoryImporter.Closes closes = HistoryImporter.readCloses(
        new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), "test.csv");
    DailyHistory index = DailyHistory.read(new ByteArrayInputStream(
        ("date,underlying,dvol\n" + start.plusDays(36) + ",XYZ,80\n" + start.plusDays(35) + ",XYZ,70\n")
            .getBytes(StandardCharsets.UTF_8)), "index.csv");
    MarketHistory h = HistoryImporter.fromCloses(closes.closes(), closes.atmIv(), index, 1.5);
    assertEquals(VolSource.ATM_IV, h.on(start.plusDays(35)).volSource("XYZ"));
    assertEquals(0.55, atmVol(h.on(start.plusDays(35)).underlying("XYZ")), 1e-15);
    assertEquals(VolSource.DVOL, h.on(start.plusDays(36)).volSource("XYZ"));
    assertEquals(0.80, atmVol(h.on(start.plusDays(36)).underlying("XYZ")), 1e-15);
    assertEquals(VolSource.REALISED, h.on(start.plusDays(37)).volSource("XYZ"));
    assertEquals(30, h.first().toEpochDay() - start.toEpochDay());
  }

  @Test
  void badInputNamesTheLineAndTheFix() {
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> HistoryImporter.readCloses(
        new ByteArrayInputStream("date,underlying,close\n2024-01-01,BTC,abc\n".getBytes(StandardCharsets.UTF_8)), "c.csv"));
    assertTrue(bad.getMessage().contains("c.csv line 2"), bad.getMessage());
    assertThrows(InvalidInputException.class, () -> HistoryImporter.fromCloses(CLOSES, null, null, 0));
  }

  /** The flat surface's vol: w at k = 0 over the slice's own tenor. */
  private static double atmVol(UnderlyingMarket m) {
    var slice = m.slices().get(0);
    double tau = TimeConventions.yearFraction(m.asOf(), slice.expiry());
    return Math.sqrt(slice.totalVariance(0) / tau);
  }

  /** Sample standard deviation of the 30 log returns ending on {@code day}, × √365, written out again. */
  private static double expectedRealised(String u, LocalDate day) {
    double[] r = new double[30];
    double mean = 0;
    for (int i = 0; i < 30; i++) {
      r[i] = Math.log(CLOSES.on(u, day.minusDays(i)) / CLOSES.on(u, day.minusDays(i + 1)));
      mean += r[i] / 30;
    }
    double var = 0;
    for (double x : r) {
      var += (x - mean) * (x - mean) / 29;
    }
    return Math.sqrt(var * 365);
  }
}
