package io.riskgrid.market.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.chain.ChainFile;
import io.riskgrid.market.chain.ChainMarketBuilder;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.OptionQuote;
import io.riskgrid.market.chain.ShippedChains;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fitter on both shipped Deribit snapshots (calm 2026-01-05, crash 2026-02-05; BTC and ETH), against
 * an independent best raw-SVI fit per expiry ({@link BruteForceSvi}: a dense (m, σ) grid, wider than the
 * fitter's domain, with the exact inner solve by another algorithm). The data and the vega weights are
 * recomputed here from the chain rows, not taken from the fitter. Prints the per-expiry RMSE table and
 * the fit time.
 */
class SviShippedChainsTest {
  private static final double ONE_VOL_POINT = 0.01;
  private static final List<Row> ROWS = new ArrayList<>();

  /** One expiry: the fit, the reference, and the data as this test reads it. */
  private record Row(LocalDate date, String underlying, SviFit fit, BruteForceSvi.Best reference, double referenceRmse,
      boolean referenceInFitterDomain, Data data) {}

  private record Data(double[] k, double[] w, double[] weight, double[] iv, double tau) {}

  @BeforeAll
  static void fitAndSearch() {
    for (LocalDate date : ShippedChains.dates()) {
      printFitTime(date);
      ImportedMarket market = ShippedChains.market(date);
      List<OptionQuote> options = new ArrayList<>();
      ShippedChains.chains(date).forEach(c -> options.addAll(c.options()));
      market.fits().forEach((u, fits) -> {
        for (SviFit fit : fits) {
          Data data = data(ShippedChains.snapshotTime(date), market.snapshot().underlying(u).forward(fit.expiry()),
              options.stream().filter(q -> q.underlying().equals(u) && q.expiry().equals(fit.expiry())).toList());
          BruteForceSvi.Best ref = BruteForceSvi.search(data.k(), data.w(), data.weight(), 201, 101);
          double lo = java.util.Arrays.stream(data.k()).min().orElseThrow();
          double hi = java.util.Arrays.stream(data.k()).max().orElseThrow();
          boolean inDomain = SviFitter.Domain.of(lo, hi).contains(ref.m(), ref.sigma())
              && Math.abs(ref.rho()) <= SviLinearSolve.RHO_MAX;
          ROWS.add(new Row(date, u, fit, ref, rmse(ref, data), inDomain, data));
        }
      });
    }
    System.out.println("| date | underlying | expiry | options | fitted | fit RMSE (vol pts) | best raw SVI RMSE | objective / best | flags |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Row r : ROWS) {
      System.out.printf("| %s | %s | %s | %d | %d | %.3f | %.3f | %.6f | %s |%n", r.date(), r.underlying(),
          r.fit().expiry().toString().substring(0, 10), r.fit().options(), r.fit().fitted(), 100 * r.fit().rmse(),
          100 * r.referenceRmse(), r.fit().objective() / r.reference().objective(), String.join(" ", r.fit().flagNames()));
    }
  }

  /**
   * DESIGN §6: every expiry of a shipped chain fitted in under 1 s. Printed, not asserted: this machine
   * is shared. Per chain file: the market built from it alone (futures file included), best of 5 after
   * a warm-up, wall clock and this thread's CPU time.
   */
  private static void printFitTime(LocalDate date) {
    Instant asOf = ShippedChains.snapshotTime(date);
    var futures = ShippedChains.futures(date);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    for (ChainFile chain : ShippedChains.chains(date)) {
      double bestWall = Double.POSITIVE_INFINITY;
      double bestCpu = Double.POSITIVE_INFINITY;
      int expiries = 0;
      for (int run = 0; run < 6; run++) {
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        ImportedMarket m = ChainMarketBuilder.DEFAULT.build(asOf, List.of(chain), futures, 0.0);
        if (run > 0) {
          bestWall = Math.min(bestWall, (System.nanoTime() - wall) / 1e6);
          bestCpu = Math.min(bestCpu, (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        expiries = m.fits().values().stream().mapToInt(List::size).sum();
      }
      System.out.printf("fit time %s %s: %d expiries, %d options: %.0f ms wall, %.0f ms CPU (best of 5, warm)%n",
          date, chain.source().replaceAll(".*/", ""), expiries, chain.options().size(), bestWall, bestCpu);
    }
  }

  @Test
  void everyExpiryIsWithinOneVolPointOrTwiceTheBestRawSviFit() {
    assertEquals(48, ROWS.size());
    for (Row r : ROWS) {
      String what = r.date() + " " + r.underlying() + " " + r.fit().expiry();
      assertTrue(r.fit().hasSlice(), what);
      assertEquals(r.data().k().length, r.fit().fitted(), what);
      double bound = Math.max(ONE_VOL_POINT, 2 * r.referenceRmse());
      assertTrue(r.fit().rmse() <= bound, what + ": RMSE " + r.fit().rmse() + " > " + bound);
    }
  }

  @Test
  void theFitFindsTheOptimumOfItsDomainNotALocalMinimum() {
    int compared = 0;
    for (Row r : ROWS) {
      // Where the best slice on the wide grid lies inside the fitter's (m, σ, ρ) box, the fitter must reach it.
      if (r.referenceInFitterDomain()) {
        compared++;
        assertTrue(r.fit().objective() <= r.reference().objective() * (1 + 1e-6),
            r.date() + " " + r.underlying() + " " + r.fit().expiry() + ": objective " + r.fit().objective()
                + " > reference " + r.reference().objective());
      }
    }
    assertTrue(compared >= 40, "only " + compared + " references inside the fitter's domain");
  }

  @Test
  void poorFitIsFlaggedExactlyWhereTheRmseExceedsOneVolPoint() {
    for (Row r : ROWS) {
      assertEquals(r.fit().rmse() > ONE_VOL_POINT, r.fit().flags().contains(SliceFlag.POOR_FIT),
          r.date() + " " + r.underlying() + " " + r.fit().expiry() + " rmse " + r.fit().rmse());
    }
  }

  /**
   * DESIGN §6 asks for at least 90% of the calm day's expiries within 1 vol point. Raw SVI cannot
   * reach that on this snapshot: the expiries above 1 vol point are above it for the raw SVI slice with
   * the smallest RMSE too (searched directly on the RMSE, {@link RmseOptimalSvi}), so no fitter of
   * raw SVI could do better there. This checks that the fitter loses no expiry that raw SVI can fit.
   */
  @Test
  void onTheCalmDayEveryExpiryThatRawSviCanFitWithinOneVolPointIsFittedWithinIt() {
    long within = 0;
    long calm = 0;
    for (Row r : ROWS) {
      if (!r.date().equals(ShippedChains.CALM)) {
        continue;
      }
      calm++;
      if (r.fit().rmse() <= ONE_VOL_POINT) {
        within++;
        continue;
      }
      double best = RmseOptimalSvi.bestRmse(r.data().k(), r.data().iv(), r.data().tau(), 150, 7);
      System.out.printf("calm %s %s: fit RMSE %.3f vol pts; smallest raw-SVI RMSE found %.3f%n",
          r.underlying(), r.fit().expiry(), 100 * r.fit().rmse(), 100 * best);
      assertTrue(best > ONE_VOL_POINT, r.underlying() + " " + r.fit().expiry() + ": raw SVI reaches RMSE " + best
          + " but the fit has " + r.fit().rmse());
    }
    System.out.printf("calm day: %d of %d expiries within 1 vol point (%.1f%%)%n", within, calm, 100.0 * within / calm);
    assertEquals(24, calm);
  }

  /** The fitted options, recomputed from the chain rows: filter, k, w = iv²T, weights sqrt(vega). */
  private static Data data(Instant asOf, double forward, List<OptionQuote> quotes) {
    double tau = TimeConventions.yearFraction(asOf, quotes.get(0).expiry());
    List<OptionQuote> used = quotes.stream().filter(q -> q.markIv() < 5
        && Math.abs(Math.log(q.strike() / forward)) <= 4 * q.markIv() * Math.sqrt(tau)).toList();
    if (used.size() < 5) {
      used = quotes;
    }
    int n = used.size();
    double[] k = new double[n];
    double[] w = new double[n];
    double[] weight = new double[n];
    double[] iv = new double[n];
    for (int i = 0; i < n; i++) {
      OptionQuote q = used.get(i);
      k[i] = Math.log(q.strike() / forward);
      iv[i] = q.markIv();
      w[i] = iv[i] * iv[i] * tau;
      double sd = iv[i] * Math.sqrt(tau);
      double d1 = (-k[i] + sd * sd / 2) / sd;
      double vega = forward * Math.exp(-d1 * d1 / 2) / Math.sqrt(2 * Math.PI) * Math.sqrt(tau);
      weight[i] = Math.sqrt(vega);
    }
    return new Data(k, w, weight, iv, tau);
  }

  private static double rmse(BruteForceSvi.Best s, Data d) {
    double sum = 0;
    for (int i = 0; i < d.k().length; i++) {
      double e = Math.sqrt(Math.max(s.totalVariance(d.k()[i]), 0) / d.tau()) - d.iv()[i];
      sum += e * e;
    }
    return Math.sqrt(sum / d.k().length);
  }

}
