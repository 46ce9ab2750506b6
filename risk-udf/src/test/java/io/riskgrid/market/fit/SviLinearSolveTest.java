package io.riskgrid.market.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.market.SviSlice;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The inner solve at fixed (m, σ) is exact: on random smiles it matches {@link BruteForceSvi#atFixed}
 * (a different algorithm: ρ scanned, two unknowns in closed form), whether the valid-slice constraints
 * bind or not, and its answer is always a valid slice. Both use the same bound on |ρ|.
 */
class SviLinearSolveTest {
  private static final Instant EXPIRY = Instant.parse("2026-03-27T08:00:00Z");

  @Test
  void matchesTheIndependentReferenceOnRandomSmilesWithAndWithoutBindingConstraints() {
    Random random = new Random(17);
    int binding = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = 5 + random.nextInt(40);
      double[] k = new double[n];
      double[] w = new double[n];
      double[] weight = new double[n];
      double level = 0.001 + 0.2 * random.nextDouble();
      double skew = 0.3 * random.nextGaussian();
      double curve = Math.abs(0.4 * random.nextGaussian());
      for (int i = 0; i < n; i++) {
        k[i] = -0.8 + 1.6 * random.nextDouble();
        // Some smiles are concave or dip below zero, so that b ≥ 0 or the minimum-variance bound binds.
        double sign = trial % 3 == 0 ? -1 : 1;
        w[i] = Math.max(1e-6, level + skew * k[i] + sign * curve * k[i] * k[i] + 0.01 * level * random.nextGaussian());
        weight[i] = 0.1 + random.nextDouble();
      }
      double m = -0.5 + random.nextDouble();
      double sigma = Math.exp(-6 + 6 * random.nextDouble());
      SviLinearSolve.Solution s = SviLinearSolve.solve(k, w, weight, m, sigma);
      BruteForceSvi.Best ref = BruteForceSvi.atFixed(k, w, weight, m, sigma, SviLinearSolve.RHO_MAX);
      assertNull(new SviSlice(EXPIRY, s.a(), s.b(), s.rho(), m, sigma).invalidReason(), "trial " + trial);
      // Never worse than the reference, and the reference finds the same minimum.
      assertTrue(s.objective() <= ref.objective() * (1 + 1e-9) + 1e-18,
          "trial " + trial + ": " + s.objective() + " > reference " + ref.objective());
      assertEquals(ref.objective(), s.objective(), 1e-7 * ref.objective() + 1e-16, "trial " + trial);
      double minVariance = s.a() + s.b() * sigma * Math.sqrt(1 - s.rho() * s.rho());
      if (s.b() == 0 || minVariance < 1e-12 || Math.abs(s.rho()) >= SviLinearSolve.RHO_MAX - 1e-12) {
        binding++;
      }
    }
    assertTrue(binding > 50, "only " + binding + " trials had a binding constraint");
  }

  @Test
  void exactDataIsReproducedWithZeroError() {
    SviSlice truth = new SviSlice(EXPIRY, 0.02, 0.3, -0.4, 0.05, 0.15);
    double[] k = new double[21];
    double[] w = new double[21];
    double[] weight = new double[21];
    for (int i = 0; i < k.length; i++) {
      k[i] = -0.5 + 0.05 * i;
      w[i] = truth.totalVariance(k[i]);
      weight[i] = 1;
    }
    SviLinearSolve.Solution s = SviLinearSolve.solve(k, w, weight, truth.m(), truth.sigma());
    assertEquals(truth.a(), s.a(), 1e-12);
    assertEquals(truth.b(), s.b(), 1e-12);
    assertEquals(truth.rho(), s.rho(), 1e-12);
    assertEquals(0, s.objective(), 1e-28);
  }
}
