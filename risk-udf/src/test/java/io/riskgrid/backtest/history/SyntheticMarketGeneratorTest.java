package io.riskgrid.backtest.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;

/** The seeded synthetic history: deterministic, with crashes, correlated, vol following realised, skew steepening. */
class SyntheticMarketGeneratorTest {
  private static final LocalDate FROM = LocalDate.of(2021, 1, 1);
  private static final LocalDate TO = LocalDate.of(2024, 12, 31);
  private static final long SEED = 42;
  private static final MarketHistory HISTORY = SyntheticMarketGenerator.generate(FROM, TO, SEED);

  @Test
  void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() {
    MarketHistory again = SyntheticMarketGenerator.generate(FROM, TO, SEED);
    MarketHistory other = SyntheticMarketGenerator.generate(FROM, TO, SEED + 1);
    assertEquals(HISTORY.size(), again.size());
    for (DailyMarket m : HISTORY.markets()) {
      DailyMarket n = again.on(m.date());
      for (String u : m.snapshot().underlyings().keySet()) {
        assertEquals(m.index(u), n.index(u), 0.0);
        assertEquals(m.underlying(u).basis(), n.underlying(u).basis(), 0.0);
        assertEquals(m.underlying(u).slices(), n.underlying(u).slices());
        assertEquals(m.underlying(u).listedForwards(), n.underlying(u).listedForwards());
      }
    }
    assertNotEquals(HISTORY.on(TO).index("BTC"), other.on(TO).index("BTC"));
    MarketHistory shorter = SyntheticMarketGenerator.generate(FROM, LocalDate.of(2022, 6, 30), SEED);
    assertEquals(HISTORY.on(LocalDate.of(2022, 6, 30)).index("SOL"), shorter.on(LocalDate.of(2022, 6, 30)).index("SOL"), 0.0);
  }

  @Test
  void everyDayHasEveryUnderlyingWithAValidSurfaceAtTheCloseInstant() {
    assertEquals(TO.toEpochDay() - FROM.toEpochDay() + 1, HISTORY.size());
    for (DailyMarket m : HISTORY.markets()) {
      assertEquals(DailyMarket.closeInstant(m.date()), m.asOf());
      assertEquals(List.of("BTC", "ETH", "SOL"), new ArrayList<>(m.snapshot().underlyings().keySet()));
      for (UnderlyingMarket u : m.snapshot().underlyings().values()) {
        assertNull(u.dataError(), m.date() + " " + u.underlying());
        assertEquals(VolSource.SURFACE, m.volSource(u.underlying()));
        assertTrue(u.slices().size() >= 5, m.date() + " has " + u.slices().size() + " slices");
        for (SviSlice s : u.slices()) {
          assertTrue(s.totalVariance(-1.5) > 0 && s.totalVariance(1.5) > 0, m.date() + " " + s);
        }
      }
    }
  }

  @Test
  void crashDaysFallThirtyToFortyPercentOnBitcoinAndHitEveryUnderlying() {
    NavigableMap<LocalDate, Double> btc = HISTORY.logReturns("BTC");
    List<LocalDate> crashes = new ArrayList<>();
    btc.forEach((d, r) -> {
      if (Math.expm1(r) <= -0.30) {
        crashes.add(d);
      }
    });
    assertTrue(crashes.size() >= 1, "seed " + SEED + " has no crash day in four years");
    for (LocalDate d : crashes) {
      double move = Math.expm1(btc.get(d));
      assertTrue(move >= -0.40 - 1e-12, d + ": " + move);
      for (String u : new String[] {"ETH", "SOL"}) {
        assertTrue(Math.expm1(HISTORY.logReturns(u).get(d)) <= -0.30, u + " on " + d);
      }
    }
    // Outside crashes, daily moves stay in a crypto-like range.
    long big = btc.values().stream().filter(r -> Math.abs(r) > 0.25).count();
    assertEquals(crashes.size(), big, "only crash days move BTC by more than 25%");
  }

  @Test
  void returnsAreCorrelatedAcrossUnderlyings() {
    double[][] r = alignedReturns("BTC", "ETH", "SOL");
    PearsonsCorrelation pearson = new PearsonsCorrelation();
    double btcEth = pearson.correlation(r[0], r[1]);
    double btcSol = pearson.correlation(r[0], r[2]);
    assertTrue(btcEth > 0.6 && btcEth < 0.95, "BTC/ETH " + btcEth);
    assertTrue(btcSol > 0.45 && btcSol < 0.9, "BTC/SOL " + btcSol);
  }

  @Test
  void atmImpliedVolFollowsRealisedVolAndSkewSteepensInSelloffs() {
    List<Double> iv = new ArrayList<>();
    List<Double> rv = new ArrayList<>();
    List<double[]> skewByMove = new ArrayList<>();
    NavigableMap<LocalDate, Double> close = HISTORY.indexSeries("BTC");
    for (DailyMarket m : HISTORY.markets()) {
      LocalDate d = m.date();
      if (d.isBefore(FROM.plusDays(40))) {
        continue;
      }
      iv.add(atm30(m.underlying("BTC")));
      rv.add(HistoryImporter.realisedVol(close, d));
      double move5 = Math.log(close.get(d) / close.get(d.minusDays(5)));
      skewByMove.add(new double[] {move5, skew(m.underlying("BTC"))});
    }
    double corr = new PearsonsCorrelation().correlation(unbox(iv), unbox(rv));
    assertTrue(corr > 0.6, "ATM IV vs 30-day realised vol correlation " + corr);
    double selloffSkew = skewByMove.stream().filter(x -> x[0] < -0.15).mapToDouble(x -> x[1]).average().orElseThrow();
    double calmSkew = skewByMove.stream().filter(x -> Math.abs(x[0]) < 0.02).mapToDouble(x -> x[1]).average().orElseThrow();
    assertTrue(selloffSkew > 1.5 * calmSkew && calmSkew > 0,
        "90% put minus 110% call vol after >15% 5-day selloffs " + selloffSkew + " vs calm " + calmSkew);
  }

  @Test
  void forwardsCarryTheBasisAndListedExpiriesAreVenueLike() {
    DailyMarket m = HISTORY.on(LocalDate.of(2023, 5, 17));
    UnderlyingMarket btc = m.underlying("BTC");
    assertNotEquals(0.0, btc.basis());
    for (Map.Entry<Instant, Double> f : btc.listedForwards().entrySet()) {
      double tau = TimeConventions.yearFraction(m.asOf(), f.getKey());
      assertEquals(btc.index() * Math.exp(btc.basis() * tau), f.getValue(), 1e-9 * f.getValue());
      assertEquals(8, f.getKey().atZone(java.time.ZoneOffset.UTC).getHour());
    }
    Instant unlisted = Instant.parse("2023-08-01T08:00:00Z");
    assertEquals(btc.index() * Math.exp(btc.basis() * TimeConventions.yearFraction(m.asOf(), unlisted)),
        btc.forward(unlisted), 1e-9 * btc.index());
    // 2023-05-17 is a Wednesday: next Fridays 19 and 26 May, month-ends 26 May, 30 Jun, 28 Jul; quarter 29 Sep.
    List<Instant> expected = List.of("2023-05-19", "2023-05-26", "2023-06-30", "2023-07-28", "2023-09-29").stream()
        .map(s -> Instant.parse(s + "T08:00:00Z")).toList();
    assertEquals(expected, new ArrayList<>(btc.listedForwards().keySet()));
    long positive = HISTORY.markets().stream().filter(d -> d.underlying("BTC").basis() > 0).count();
    assertTrue(positive > HISTORY.size() / 2 && positive < HISTORY.size(), "contango on " + positive + " days");
  }

  private static double atm30(UnderlyingMarket m) {
    Instant e = m.asOf().plusSeconds(30 * 86400L);
    double tau = TimeConventions.yearFraction(m.asOf(), e);
    return m.surfaceVol("x", e, tau, 0);
  }

  /** 30-day vol of the 90% strike minus the 110% strike (in forward moneyness): positive is put skew. */
  private static double skew(UnderlyingMarket m) {
    Instant e = m.asOf().plusSeconds(30 * 86400L);
    double tau = TimeConventions.yearFraction(m.asOf(), e);
    return m.surfaceVol("x", e, tau, Math.log(0.9)) - m.surfaceVol("x", e, tau, Math.log(1.1));
  }

  private static double[][] alignedReturns(String... underlyings) {
    List<LocalDate> days = new ArrayList<>(HISTORY.logReturns(underlyings[0]).keySet());
    double[][] out = new double[underlyings.length][days.size()];
    for (int u = 0; u < underlyings.length; u++) {
      NavigableMap<LocalDate, Double> r = HISTORY.logReturns(underlyings[u]);
      for (int i = 0; i < days.size(); i++) {
        out[u][i] = r.get(days.get(i));
      }
    }
    return out;
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
