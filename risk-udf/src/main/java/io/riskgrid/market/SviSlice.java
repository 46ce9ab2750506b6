package io.riskgrid.market;

import java.io.Serializable;
import java.time.Instant;

/**
 * One raw SVI slice: total implied variance {@code w(k) = a + b(ρ(k−m) + sqrt((k−m)² + σ²))} at
 * log-moneyness {@code k = ln(K/F(T))} on the option's own forward. Variance is in decimal vol² × years.
 */
public record SviSlice(Instant expiry, double a, double b, double rho, double m, double sigma) implements Serializable {

  /** Total variance at log-moneyness k. */
  public double totalVariance(double k) {
    double x = k - m;
    return a + b * (rho * x + Math.sqrt(x * x + sigma * sigma));
  }

  /**
   * Null when the slice is valid, else why not (DESIGN §3.1): parameters finite, b ≥ 0, |ρ| < 1,
   * σ > 0 and a + b·σ·sqrt(1−ρ²) ≥ 0 (the minimum total variance is non-negative).
   */
  public String invalidReason() {
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(rho) && Double.isFinite(m) && Double.isFinite(sigma))) {
      return "SVI slice " + expiry + " has a non-finite parameter";
    }
    if (b < 0) {
      return "SVI slice " + expiry + " has b = " + b + " < 0";
    }
    if (!(Math.abs(rho) < 1)) {
      return "SVI slice " + expiry + " has |rho| = " + Math.abs(rho) + " >= 1";
    }
    if (!(sigma > 0)) {
      return "SVI slice " + expiry + " has sigma_svi = " + sigma + " <= 0";
    }
    if (a + b * sigma * Math.sqrt(1 - rho * rho) < 0) {
      return "SVI slice " + expiry + " has negative minimum total variance a + b·sigma·sqrt(1-rho²) < 0";
    }
    return null;
  }

  /** A flat slice at implied vol {@code vol} for year fraction {@code tau}: w = vol²·tau everywhere. */
  public static SviSlice flat(Instant expiry, double vol, double tau) {
    // b = 0 makes w = a for all k; sigma must still be > 0 for validity.
    return new SviSlice(expiry, vol * vol * tau, 0.0, 0.0, 0.0, 1.0);
  }
}
