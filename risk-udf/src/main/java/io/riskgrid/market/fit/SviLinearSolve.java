package io.riskgrid.market.fit;

/**
 * The inner problem of the quasi-explicit SVI fit (DESIGN §7.1): for fixed (m, σ) raw SVI is linear in
 * (a, p, b) with p = b·ρ, {@code w(k) = a + p·x + b·r}, x = k − m, r = sqrt(x² + σ²). The best
 * (a, b, ρ) in weighted least squares is a convex quadratic over the convex set of valid slices
 * (DESIGN §3.1): b ≥ 0, |p| ≤ ρ_max·b, a + σ·sqrt(b² − p²) ≥ 0. It is solved exactly:
 * <ol>
 *   <li>the unconstrained optimum, when it is valid, is the answer (convexity);
 *   <li>otherwise the optimum lies on the boundary, whose faces are each solved and compared:
 *       b = 0 (a flat slice, a ≥ 0); ρ = ±ρ_max (two unknowns a, b); and a = −b·σ·sqrt(1−ρ²)
 *       (minimum total variance 0), where b has a closed form for each ρ and ρ is searched on a
 *       grid refined by golden section.
 * </ol>
 * Every sum over the options is taken once per (m, σ) as weighted moments, so each face costs O(1).
 * A singular system (too few distinct strikes) skips its candidate: the set of valid slices contains
 * no line, so the minimum is then reached on a face that is still solved.
 */
final class SviLinearSolve {
  /** |ρ| < 1 strictly (DESIGN §3.1); the fit allows up to this bound. */
  static final double RHO_MAX = 1 - 1e-6;
  private static final int FACE_GRID = 64;
  private static final int GOLDEN_STEPS = 60;
  private static final double SINGULAR = 1e-13;

  /** The best valid (a, b, ρ) for the given (m, σ) and its weighted squared error in total variance. */
  record Solution(double a, double b, double rho, double m, double sigma, double objective) {}

  private final double sigma;
  private double s1, sx, sr, sxx, sxr, srr, sw, sxw, srw, sww;

  private SviLinearSolve(double[] k, double[] w, double[] weight, double m, double sigma) {
    this.sigma = sigma;
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
  }

  /**
   * Solves for log-moneyness {@code k}, market total variance {@code w} and weights {@code weight}
   * (all of one length, weights ≥ 0 with a positive sum) at fixed m and σ > 0.
   */
  static Solution solve(double[] k, double[] w, double[] weight, double m, double sigma) {
    double[] abr = new SviLinearSolve(k, w, weight, m, sigma).best();
    double a = abr[0];
    double b = abr[1];
    double rho = abr[2];
    double objective = 0;
    for (int i = 0; i < k.length; i++) {
      double x = k[i] - m;
      double e = a + b * (rho * x + Math.sqrt(x * x + sigma * sigma)) - w[i];
      objective += weight[i] * e * e;
    }
    return new Solution(a, b, rho, m, sigma, objective);
  }

  /** {a, b, ρ} of the best valid candidate. */
  private double[] best() {
    double[] interior = interior();
    if (interior != null && valid(interior)) {
      return interior;
    }
    double[] best = flat();
    best = better(best, rhoFace(RHO_MAX));
    best = better(best, rhoFace(-RHO_MAX));
    return better(best, minimumVarianceFace());
  }

  private double[] better(double[] current, double[] candidate) {
    if (candidate == null || !valid(candidate)) {
      return current;
    }
    return error(candidate) < error(current) ? candidate : current;
  }

  /** The slice validity of DESIGN §3.1 for the bounded ρ, written as SviSlice checks it. */
  private boolean valid(double[] abr) {
    double a = abr[0];
    double b = abr[1];
    double rho = abr[2];
    return b >= 0 && Math.abs(rho) <= RHO_MAX && a + b * sigma * Math.sqrt(1 - rho * rho) >= 0;
  }

  /** Weighted squared error from the moments (used only to compare candidates). */
  private double error(double[] abr) {
    double a = abr[0];
    double b = abr[1];
    double p = b * abr[2];
    return sww - 2 * (a * sw + p * sxw + b * srw)
        + a * a * s1 + p * p * sxx + b * b * srr + 2 * (a * p * sx + a * b * sr + p * b * sxr);
  }

  /** The unconstrained least-squares optimum, or null when the normal equations are singular. */
  private double[] interior() {
    double[][] m = {{s1, sx, sr, sw}, {sx, sxx, sxr, sxw}, {sr, sxr, srr, srw}};
    double scale = Math.max(s1, Math.max(sxx, srr));
    for (int col = 0; col < 3; col++) {
      int pivot = col;
      for (int row = col + 1; row < 3; row++) {
        if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
          pivot = row;
        }
      }
      if (!(Math.abs(m[pivot][col]) > SINGULAR * scale)) {
        return null;
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int row = col + 1; row < 3; row++) {
        double f = m[row][col] / m[col][col];
        for (int c = col; c < 4; c++) {
          m[row][c] -= f * m[col][c];
        }
      }
    }
    double b = m[2][3] / m[2][2];
    double p = (m[1][3] - m[1][2] * b) / m[1][1];
    double a = (m[0][3] - m[0][1] * p - m[0][2] * b) / m[0][0];
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(p))) {
      return null;
    }
    return new double[] {a, b, b > 0 ? p / b : (p == 0 ? 0 : Math.signum(p) * Double.POSITIVE_INFINITY)};
  }

  /** b = 0: a flat slice at the weighted mean total variance, floored at 0. */
  private double[] flat() {
    return new double[] {Math.max(0, sw / s1), 0, 0};
  }

  /** ρ fixed at a bound: w = a + b·g with g = ρ·x + r; null when singular. */
  private double[] rhoFace(double rho) {
    double sg = rho * sx + sr;
    double sgg = rho * rho * sxx + 2 * rho * sxr + srr;
    double sgw = rho * sxw + srw;
    double det = s1 * sgg - sg * sg;
    if (!(det > SINGULAR * s1 * sgg)) {
      return null;
    }
    double a = (sgg * sw - sg * sgw) / det;
    double b = (s1 * sgw - sg * sw) / det;
    return new double[] {a, b, rho};
  }

  /**
   * Minimum total variance 0: a = −b·σ·sqrt(1−ρ²), so w = b·g with g = ρ·x + r − σ·sqrt(1−ρ²) and the
   * best b ≥ 0 is Σωgw / Σωg². ρ = ρ_max·sin θ is searched on a grid in θ, then by golden section.
   */
  private double[] minimumVarianceFace() {
    double lo = -Math.PI / 2;
    double step = Math.PI / FACE_GRID;
    int bestIndex = 0;
    double bestError = Double.POSITIVE_INFINITY;
    for (int j = 0; j <= FACE_GRID; j++) {
      double e = faceError(lo + j * step);
      if (e < bestError) {
        bestError = e;
        bestIndex = j;
      }
    }
    double left = lo + Math.max(0, bestIndex - 1) * step;
    double right = lo + Math.min(FACE_GRID, bestIndex + 1) * step;
    double ratio = (Math.sqrt(5) - 1) / 2;
    double x1 = right - ratio * (right - left);
    double x2 = left + ratio * (right - left);
    double f1 = faceError(x1);
    double f2 = faceError(x2);
    for (int i = 0; i < GOLDEN_STEPS; i++) {
      if (f1 <= f2) {
        right = x2;
        x2 = x1;
        f2 = f1;
        x1 = right - ratio * (right - left);
        f1 = faceError(x1);
      } else {
        left = x1;
        x1 = x2;
        f1 = f2;
        x2 = left + ratio * (right - left);
        f2 = faceError(x2);
      }
    }
    double theta = f1 <= f2 ? x1 : x2;
    if (faceError(theta) > bestError) {
      theta = lo + bestIndex * step;
    }
    return faceSolution(theta);
  }

  private double faceError(double theta) {
    double[] abr = faceSolution(theta);
    return error(abr);
  }

  private double[] faceSolution(double theta) {
    double rho = RHO_MAX * Math.sin(theta);
    double s = Math.sqrt(1 - rho * rho);
    double sgw = rho * sxw + srw - sigma * s * sw;
    double sgg = rho * rho * sxx + srr + sigma * sigma * s * s * s1
        + 2 * rho * sxr - 2 * rho * sigma * s * sx - 2 * sigma * s * sr;
    double b = sgw > 0 && sgg > 0 ? sgw / sgg : 0;
    double a = -(b * sigma * Math.sqrt(1 - rho * rho));
    return new double[] {a, b, rho};
  }
}
