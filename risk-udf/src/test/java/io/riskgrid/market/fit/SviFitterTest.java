package io.riskgrid.market.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.market.SviSlice;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fitter on smiles generated from known raw SVI slices: exact points give back the parameters,
 * noisy points give parameters near the truth and an RMSE at the noise level, and the flags fire on
 * hand-made cases (butterfly, calendar, few points, no fit).
 */
class SviFitterTest {
  private static final Instant E1 = Instant.parse("2026-03-27T08:00:00Z");
  private static final Instant E2 = Instant.parse("2026-06-26T08:00:00Z");
  private static final double FORWARD = 60_000;

  /** Named slices: a crypto-like put skew, a positive skew, a short expiry, and one with minimum total variance 0. */
  private static final SviSlice PUT_SKEW = new SviSlice(E1, 0.04, 0.4, -0.4, 0.05, 0.2);
  private static final SviSlice CALL_SKEW = new SviSlice(E1, 0.01, 0.25, 0.35, -0.1, 0.3);
  private static final SviSlice SHORT_DATED = new SviSlice(E1, 0.0004, 0.02, -0.6, 0.01, 0.03);
  private static final SviSlice ZERO_MINIMUM = new SviSlice(E1, -0.2 * 0.25 * Math.sqrt(1 - 0.3 * 0.3), 0.2, -0.3, 0.1, 0.25);
  /** Vogt's raw SVI slice (Gatheral and Jacquier, "Arbitrage-free SVI volatility surfaces", 2014): butterfly arbitrage. */
  private static final SviSlice VOGT = new SviSlice(E1, -0.0410, 0.1331, 0.3060, 0.3586, 0.4153);

  @Test
  void exactPointsGiveBackTheParameters() {
    for (SviSlice truth : List.of(PUT_SKEW, CALL_SKEW, ZERO_MINIMUM)) {
      SviFit fit = SviFitter.DEFAULT.fit(quotes(truth, 0.5, -0.6, 0.6, 41, 0, null));
      assertParameters(truth, fit.slice(), 1e-6);
      assertEquals(0, fit.rmse(), 1e-9, truth.toString());
      // A slice whose total variance touches 0 away from k = 0 has a negative density there.
      Set<SliceFlag> expected = minimumDensityFactor(truth) < 0 ? Set.of(SliceFlag.BUTTERFLY) : Set.of();
      assertEquals(expected, fit.flags(), truth.toString());
    }
    assertTrue(minimumDensityFactor(ZERO_MINIMUM) < 0);
    SviFit shortDated = SviFitter.DEFAULT.fit(quotes(SHORT_DATED, 2.0 / 365, -0.12, 0.12, 25, 0, null));
    assertParameters(SHORT_DATED, shortDated.slice(), 1e-6);
  }

  @Test
  void noisyPointsGiveParametersNearTheTruthAndAnRmseAtTheNoiseLevel() {
    double noise = 0.005;
    for (int seed = 1; seed <= 5; seed++) {
      SviFit fit = SviFitter.DEFAULT.fit(quotes(PUT_SKEW, 0.5, -0.6, 0.6, 61, noise, new Random(seed)));
      SviSlice s = fit.slice();
      // 61 points, 5 parameters: the residual RMSE is about noise·sqrt(56/61) ≈ 0.96·noise.
      assertTrue(fit.rmse() > 0.7 * noise && fit.rmse() < 1.2 * noise, "seed " + seed + " rmse " + fit.rmse());
      assertEquals(PUT_SKEW.rho(), s.rho(), 0.1, "seed " + seed);
      assertEquals(PUT_SKEW.m(), s.m(), 0.05, "seed " + seed);
      assertEquals(PUT_SKEW.b(), s.b(), 0.05, "seed " + seed);
      // The smile itself: 5 parameters from 61 points give a prediction error of about
      // noise·sqrt(5/61) ≈ 0.3·noise on average, and up to about 0.6·noise at the ends of the range.
      double sumSquares = 0;
      int points = 0;
      for (double k = -0.6; k <= 0.6 + 1e-12; k += 0.05) {
        double error = Math.sqrt(s.totalVariance(k) / 0.5) - Math.sqrt(PUT_SKEW.totalVariance(k) / 0.5);
        assertTrue(Math.abs(error) < 1.5 * noise, "seed " + seed + " k " + k + " error " + error);
        sumSquares += error * error;
        points++;
      }
      assertTrue(Math.sqrt(sumSquares / points) < 0.5 * noise, "seed " + seed + " rms " + Math.sqrt(sumSquares / points));
      assertFalse(fit.flags().contains(SliceFlag.POOR_FIT));
    }
  }

  @Test
  void butterflyArbitrageIsFlaggedAndTheDensityFactorMatchesFiniteDifferences() {
    SviFit fit = SviFitter.DEFAULT.fit(quotes(VOGT, 1.0, -1.0, 1.0, 41, 0, null));
    assertParameters(VOGT, fit.slice(), 1e-6);
    assertTrue(fit.flags().contains(SliceFlag.BUTTERFLY), fit.flags().toString());
    for (int j = 0; j < ArbitrageChecks.GRID_POINTS; j++) {
      double k = ArbitrageChecks.gridPoint(j);
      assertEquals(densityFactorByDifferences(VOGT, k), ArbitrageChecks.densityFactor(VOGT, k), 1e-5, "k " + k);
    }
    assertTrue(minimumDensityFactor(VOGT) < 0, "Vogt's slice has g < 0 somewhere");
    assertTrue(minimumDensityFactor(PUT_SKEW) > 0);
    assertFalse(ArbitrageChecks.hasButterfly(PUT_SKEW));
  }

  /** Gatheral's g(k) from central differences of w, independently of the analytic derivatives. */
  private static double densityFactorByDifferences(SviSlice s, double k) {
    double h = 1e-4;
    double w = s.totalVariance(k);
    double w1 = (s.totalVariance(k + h) - s.totalVariance(k - h)) / (2 * h);
    double w2 = (s.totalVariance(k + h) - 2 * w + s.totalVariance(k - h)) / (h * h);
    return Math.pow(1 - k * w1 / (2 * w), 2) - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
  }

  /** The smallest finite-difference g on k ∈ [−1.5, 1.5] every 0.001 (finer than the check's grid). */
  private static double minimumDensityFactor(SviSlice s) {
    double minimum = Double.POSITIVE_INFINITY;
    for (int j = 0; j <= 3000; j++) {
      minimum = Math.min(minimum, densityFactorByDifferences(s, -1.5 + 0.001 * j));
    }
    return minimum;
  }

  @Test
  void calendarArbitrageIsFlaggedOnTheLaterExpiry() {
    // The later slice is higher at the money but lower in the far put wing: w(k, T2) < w(k, T1) there.
    SviSlice early = new SviSlice(E1, 0.02, 0.3, -0.7, 0.0, 0.2);
    SviSlice late = new SviSlice(E2, 0.07, 0.1, 0.2, 0.0, 0.2);
    assertTrue(late.totalVariance(0) > early.totalVariance(0));
    assertTrue(late.totalVariance(-1.5) < early.totalVariance(-1.5));
    List<SviFit> fits = SviFitter.DEFAULT.fitSurface(List.of(
        quotes(late, 0.72, -0.6, 0.6, 41, 0, null), quotes(early, 0.47, -0.6, 0.6, 41, 0, null)));
    assertEquals(E1, fits.get(0).expiry());
    assertFalse(fits.get(0).flags().contains(SliceFlag.CALENDAR));
    assertTrue(fits.get(1).flags().contains(SliceFlag.CALENDAR), fits.get(1).flags().toString());

    SviSlice higherEverywhere = new SviSlice(E2, 0.05, 0.35, -0.6, 0.0, 0.25);
    List<SviFit> clean = SviFitter.DEFAULT.fitSurface(List.of(
        quotes(early, 0.47, -0.6, 0.6, 41, 0, null), quotes(higherEverywhere, 0.72, -0.6, 0.6, 41, 0, null)));
    assertFalse(clean.get(1).flags().contains(SliceFlag.CALENDAR));
  }

  @Test
  void fewerThanFiveOptionsAreFlaggedFewPoints() {
    SviFit four = SviFitter.DEFAULT.fit(quotes(PUT_SKEW, 0.5, -0.3, 0.3, 4, 0, null));
    assertTrue(four.flags().contains(SliceFlag.FEW_POINTS));
    assertTrue(four.hasSlice());
    assertEquals(4, four.fitted());
    assertEquals(0, four.rmse(), 1e-6);
    SviFit five = SviFitter.DEFAULT.fit(quotes(PUT_SKEW, 0.5, -0.3, 0.3, 5, 0, null));
    assertFalse(five.flags().contains(SliceFlag.FEW_POINTS));
  }

  @Test
  void anExpiryThatCannotBeFittedKeepsNoSlice() {
    // Far out of the money a minute before expiry: every vega underflows to 0, nothing weighs anything.
    ExpiryQuotes q = new ExpiryQuotes(E1, 60.0 / (365 * 86400), FORWARD,
        new double[] {FORWARD * 0.3, FORWARD * 0.4, FORWARD * 2.5}, new double[] {0.3, 0.3, 0.3});
    SviFit fit = SviFitter.DEFAULT.fit(q);
    assertNull(fit.slice());
    assertEquals(Set.of(SliceFlag.NO_FIT, SliceFlag.FEW_POINTS), fit.flags());
    assertTrue(Double.isNaN(fit.rmse()));
  }

  @Test
  void optionsOutsideFourStandardDeviationsOrAbove500PercentAreLeftOut() {
    double tau = 0.25;
    double[] strikes = {30_000, 50_000, 55_000, 60_000, 65_000, 70_000, 200_000};
    double[] ivs = {0.6, 0.55, 0.52, 0.5, 0.51, 0.53, 0.6};
    boolean[] used = SviFitter.fitSelection(new ExpiryQuotes(E1, tau, FORWARD, strikes, ivs));
    // |ln(30000/60000)| = 0.69 ≤ 4·0.6·0.5 = 1.2 is in; |ln(200000/60000)| = 1.20 > 1.2 is out.
    assertTrue(used[0]);
    assertFalse(used[6]);
    double[] wild = ivs.clone();
    wild[3] = 5.0;
    assertFalse(SviFitter.fitSelection(new ExpiryQuotes(E1, tau, FORWARD, strikes, wild))[3]);
  }

  /** n options on a strike grid with k from kLow to kHigh, at the slice's vol, plus Gaussian noise in vol. */
  private static ExpiryQuotes quotes(SviSlice truth, double tau, double kLow, double kHigh, int n, double noise,
      Random random) {
    double[] strikes = new double[n];
    double[] ivs = new double[n];
    for (int i = 0; i < n; i++) {
      double k = n == 1 ? kLow : kLow + (kHigh - kLow) * i / (n - 1);
      strikes[i] = FORWARD * Math.exp(k);
      ivs[i] = Math.sqrt(truth.totalVariance(k) / tau) + (random == null ? 0 : noise * random.nextGaussian());
    }
    return new ExpiryQuotes(truth.expiry(), tau, FORWARD, strikes, ivs);
  }

  private static void assertParameters(SviSlice truth, SviSlice fitted, double tolerance) {
    String what = "fitted " + fitted + " vs " + truth;
    assertEquals(truth.a(), fitted.a(), tolerance, what);
    assertEquals(truth.b(), fitted.b(), tolerance, what);
    assertEquals(truth.rho(), fitted.rho(), tolerance, what);
    assertEquals(truth.m(), fitted.m(), tolerance, what);
    assertEquals(truth.sigma(), fitted.sigma(), tolerance, what);
  }
}
