package io.riskgrid.market.fit;

/**
 * An independent reference for the best raw-SVI fit of one expiry, slow on purpose: a dense grid over
 * (m, σ) wider than the fitter's domain, refined by a finer grid around the best cell; at each (m, σ)
 * a scan over ρ (grid, then golden section), and at each ρ the best (a, b) of the two-unknown problem
 * w ≈ a + b·(ρ(k−m) + sqrt((k−m)² + σ²)) under b ≥ 0 and a + b·σ·sqrt(1−ρ²) ≥ 0 in closed form
 * (unconstrained, else the better of the two boundary rays b = 0 and a = −b·σ·sqrt(1−ρ²)).
 * It shares no code with {@link SviFitter} or {@link SviLinearSolve}.
 */
final class BruteForceSvi {
  static final double RHO_LIMIT = 1 - 1e-9;

  /** Parameters and weighted squared error in total variance of the best slice found. */
  record Best(double a, double b, double rho, double m, double sigma, double objective) {
    double totalVariance(double k) {
      double x = k - m;
      return a + b * (rho * x + Math.sqrt(x * x + sigma * sigma));
    }
  }

  private BruteForceSvi() {}

  static Best search(double[] k, double[] w, double[] weight, int mPoints, int sigmaPoints) {
    return search(k, w, weight, mPoints, sigmaPoints, RHO_LIMIT);
  }

  /** Grid search over the wide domain with |ρ| ≤ rhoLimit. */
  static Best search(double[] k, double[] w, double[] weight, int mPoints, int sigmaPoints, double rhoLimit) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : k) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    double span = Math.max(hi - lo, 0.01);
    double mLo = lo - 2 * span;
    double mHi = hi + 2 * span;
    double lnSLo = Math.log(1e-4 * span);
    double lnSHi = Math.log(5 * span);
    Best best = null;
    int bi = 0;
    int bj = 0;
    for (int i = 0; i < mPoints; i++) {
      for (int j = 0; j < sigmaPoints; j++) {
        double m = mLo + (mHi - mLo) * i / (mPoints - 1);
        double sigma = Math.exp(lnSLo + (lnSHi - lnSLo) * j / (sigmaPoints - 1));
        Best b = atFixed(k, w, weight, m, sigma, rhoLimit);
        if (best == null || b.objective() < best.objective()) {
          best = b;
          bi = i;
          bj = j;
        }
      }
    }
    // Finer grid over the neighbouring cells of the best one, twice.
    double dm = (mHi - mLo) / (mPoints - 1);
    double ds = (lnSHi - lnSLo) / (sigmaPoints - 1);
    double cm = mLo + bi * dm;
    double cs = lnSLo + bj * ds;
    for (int round = 0; round < 3; round++) {
      int fine = 41;
      Best local = best;
      for (int i = 0; i < fine; i++) {
        for (int j = 0; j < fine; j++) {
          double m = cm + dm * (2.0 * i / (fine - 1) - 1);
          double sigma = Math.exp(cs + ds * (2.0 * j / (fine - 1) - 1));
          Best b = atFixed(k, w, weight, m, sigma, rhoLimit);
          if (b.objective() < local.objective()) {
            local = b;
          }
        }
      }
      best = local;
      cm = best.m();
      cs = Math.log(best.sigma());
      dm /= 10;
      ds /= 10;
    }
    return best;
  }

  /** Best (a, b, ρ) at fixed (m, σ) with |ρ| ≤ rhoLimit, error recomputed from the residuals. */
  static Best atFixed(double[] k, double[] w, double[] weight, double m, double sigma, double rhoLimit) {
    double s1 = 0, sx = 0, sr = 0, sxx = 0, sxr = 0, srr = 0, sw = 0, sxw = 0, srw = 0, sww = 0;
    for (int i = 0; i < k.length; i++) {
      double x = k[i] - m;
      double r = Math.sqrt(x * x + sigma * sigma);
      double c = weight[i];
      s1 += c;
      sx += c * x;
      sr += c * r;
      sxx += c * x * x;
      sxr += c * x * r;
      srr += c * r * r;
      sw += c * w[i];
      sxw += c * x * w[i];
      srw += c * r * w[i];
      sww += c * w[i] * w[i];
    }
    double[] moments = {s1, sx, sr, sxx, sxr, srr, sw, sxw, srw, sww};
    int grid = 100;
    double bestRho = 0;
    double bestErr = Double.POSITIVE_INFINITY;
    for (int g = 0; g <= grid; g++) {
      double rho = rhoLimit * (2.0 * g / grid - 1);
      double e = twoUnknowns(moments, sigma, rho)[2];
      if (e < bestErr) {
        bestErr = e;
        bestRho = rho;
      }
    }
    double left = Math.max(-rhoLimit, bestRho - 2 * rhoLimit / grid);
    double right = Math.min(rhoLimit, bestRho + 2 * rhoLimit / grid);
    for (int it = 0; it < 80; it++) {
      double x1 = left + (right - left) * 0.381966;
      double x2 = left + (right - left) * 0.618034;
      if (twoUnknowns(moments, sigma, x1)[2] <= twoUnknowns(moments, sigma, x2)[2]) {
        right = x2;
      } else {
        left = x1;
      }
    }
    double rho = (left + right) / 2;
    if (twoUnknowns(moments, sigma, rho)[2] > bestErr) {
      rho = bestRho;
    }
    double[] ab = twoUnknowns(moments, sigma, rho);
    double objective = 0;
    for (int i = 0; i < k.length; i++) {
      double x = k[i] - m;
      double e = ab[0] + ab[1] * (rho * x + Math.sqrt(x * x + sigma * sigma)) - w[i];
      objective += weight[i] * e * e;
    }
    return new Best(ab[0], ab[1], rho, m, sigma, objective);
  }

  /** {a, b, error} of w ≈ a + b·g, g = ρx + r, under b ≥ 0 and a + b·c ≥ 0 with c = σ·sqrt(1−ρ²). */
  private static double[] twoUnknowns(double[] mo, double sigma, double rho) {
    double s1 = mo[0], sx = mo[1], sr = mo[2], sxx = mo[3], sxr = mo[4], srr = mo[5];
    double sw = mo[6], sxw = mo[7], srw = mo[8], sww = mo[9];
    double c = sigma * Math.sqrt(1 - rho * rho);
    double sg = rho * sx + sr;
    double sgg = rho * rho * sxx + 2 * rho * sxr + srr;
    double sgw = rho * sxw + srw;
    double det = s1 * sgg - sg * sg;
    if (det > 1e-14 * s1 * sgg) {
      double a = (sgg * sw - sg * sgw) / det;
      double b = (s1 * sgw - sg * sw) / det;
      if (b >= 0 && a + b * c >= 0) {
        return new double[] {a, b, err(sww, sw, sgw, s1, sg, sgg, a, b)};
      }
    }
    double aFlat = Math.max(0, sw / s1);
    double[] flat = {aFlat, 0, err(sww, sw, sgw, s1, sg, sgg, aFlat, 0)};
    // a = −b·c: w ≈ b·(g − c)
    double shw = sgw - c * sw;
    double shh = sgg - 2 * c * sg + c * c * s1;
    double b = shw > 0 && shh > 0 ? shw / shh : 0;
    double[] ray = {-b * c, b, err(sww, sw, sgw, s1, sg, sgg, -b * c, b)};
    return ray[2] < flat[2] ? ray : flat;
  }

  private static double err(double sww, double sw, double sgw, double s1, double sg, double sgg, double a, double b) {
    return sww - 2 * (a * sw + b * sgw) + a * a * s1 + 2 * a * b * sg + b * b * sgg;
  }
}
