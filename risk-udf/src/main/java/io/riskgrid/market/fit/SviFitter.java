package io.riskgrid.market.fit;

import io.riskgrid.market.SviSlice;
import io.riskgrid.pricing.Black76;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Fits one raw SVI slice per expiry to mark implied vols (DESIGN §7.1), quasi-explicitly: for fixed
 * (m, σ) the best (a, b, ρ) is solved exactly ({@link SviLinearSolve}); (m, σ) is searched on a coarse
 * grid over the whole domain, and BOBYQA refines from every local minimum of that grid, so the result
 * is the optimum and not the nearest local minimum.
 *
 * <p>Data: total variances w_i = iv_i²·T at k_i = ln(K_i/F) of the options with 0 < iv < 5 and
 * |k| ≤ 4·iv·√T (every option when fewer than 5 pass). Objective: Σ ω_i (w(k_i) − w_i)², with
 * ω_i = sqrt(vega_i), vega_i the Black-76 vega (USD per 1.00 vol) at the mark iv: the weight multiplies
 * the squared error. (Weighting the squared error by vega itself was measured too: it fits the wings
 * less and doubles the calm day's POOR_FIT expiries, 6 of 24 instead of 3.) The RMSE reported is in
 * decimal vol, unweighted, over the fitted options.
 *
 * <p>Domain, in terms of the fitted k range [k_lo, k_hi] and its span s = max(k_hi − k_lo, 0.01):
 * m ∈ [k_lo − s, k_hi + s], σ ∈ [10⁻³·s, 2·s] (searched in ln σ); b ≥ 0, |ρ| ≤ 1 − 10⁻⁶ and a minimum
 * total variance ≥ 0 are exact constraints of the inner solve. Stateless; {@link #DEFAULT} is shared.
 */
public final class SviFitter {
  public static final SviFitter DEFAULT = new SviFitter();
  /** Fewer options than this make the slice {@link SliceFlag#FEW_POINTS}. */
  public static final int MIN_POINTS = 5;
  /** Options at or above this vol (500%) are left out of the fit. */
  public static final double MAX_IV = 5.0;
  /** Options beyond this many standard deviations, |k| > 4·iv·√T, are left out of the fit. */
  public static final double MAX_STDDEVS = 4.0;
  /** RMSE above this (1 vol point) makes the slice {@link SliceFlag#POOR_FIT}. */
  public static final double POOR_FIT_RMSE = 0.01;

  private static final int GRID_M = 13;
  private static final int GRID_SIGMA = 11;
  private static final int MAX_STARTS = 6;
  private static final int MAX_EVAL = 4000;
  private static final double INITIAL_RADIUS = 0.04;
  private static final double STOPPING_RADIUS = 1e-11;

  /** Fits every expiry, in expiry order, and flags CALENDAR against the previous fitted slice. */
  public List<SviFit> fitSurface(List<ExpiryQuotes> expiries) {
    List<ExpiryQuotes> sorted = new ArrayList<>(expiries);
    sorted.sort(Comparator.comparing(ExpiryQuotes::expiry));
    List<SviFit> fits = new ArrayList<>();
    SviSlice previous = null;
    for (ExpiryQuotes q : sorted) {
      SviFit fit = fit(q);
      if (fit.hasSlice()) {
        if (previous != null && ArbitrageChecks.hasCalendar(previous, fit.slice())) {
          fit = fit.withFlag(SliceFlag.CALENDAR);
        }
        previous = fit.slice();
      }
      fits.add(fit);
    }
    return fits;
  }

  /** Fits one expiry. Never throws for bad data: a failed fit is {@link SliceFlag#NO_FIT}. */
  public SviFit fit(ExpiryQuotes q) {
    EnumSet<SliceFlag> flags = EnumSet.noneOf(SliceFlag.class);
    if (q.size() < MIN_POINTS) {
      flags.add(SliceFlag.FEW_POINTS);
    }
    boolean[] used = fitSelection(q);
    FitData data = FitData.of(q, used);
    if (data.size() == 0 || !(data.weightSum() > 0)) {
      flags.add(SliceFlag.NO_FIT);
      return new SviFit(q.expiry(), null, Double.NaN, flags, q.size(), data.size(), Double.NaN);
    }
    SviLinearSolve.Solution best = search(data);
    SviSlice slice = best == null ? null
        : new SviSlice(q.expiry(), best.a(), best.b(), best.rho(), best.m(), best.sigma());
    double rmse = slice == null ? Double.NaN : data.rmse(slice);
    if (slice == null || slice.invalidReason() != null || !Double.isFinite(rmse)) {
      flags.add(SliceFlag.NO_FIT);
      return new SviFit(q.expiry(), null, Double.NaN, flags, q.size(), data.size(), Double.NaN);
    }
    if (rmse > POOR_FIT_RMSE) {
      flags.add(SliceFlag.POOR_FIT);
    }
    if (ArbitrageChecks.hasButterfly(slice)) {
      flags.add(SliceFlag.BUTTERFLY);
    }
    return new SviFit(q.expiry(), slice, rmse, flags, q.size(), data.size(), best.objective());
  }

  /** Which options the fit uses: 0 < iv < 5 and |k| ≤ 4·iv·√T, or all of them when fewer than 5 pass. */
  public static boolean[] fitSelection(ExpiryQuotes q) {
    double[] ivs = q.ivs();
    boolean[] used = new boolean[q.size()];
    int count = 0;
    for (int i = 0; i < used.length; i++) {
      double iv = ivs[i];
      used[i] = iv > 0 && iv < MAX_IV && Math.abs(q.logMoneyness(i)) <= MAX_STDDEVS * iv * Math.sqrt(q.tau());
      count += used[i] ? 1 : 0;
    }
    if (count < MIN_POINTS) {
      java.util.Arrays.fill(used, true);
    }
    return used;
  }

  /** Grid over the domain, then BOBYQA from each local minimum of the grid; null when none converges. */
  private static SviLinearSolve.Solution search(FitData data) {
    Domain domain = Domain.of(data);
    double[][] grid = new double[GRID_M][GRID_SIGMA];
    for (int i = 0; i < GRID_M; i++) {
      for (int j = 0; j < GRID_SIGMA; j++) {
        grid[i][j] = domain.objective(data, (double) i / (GRID_M - 1), (double) j / (GRID_SIGMA - 1));
      }
    }
    SviLinearSolve.Solution best = null;
    for (double[] start : localMinima(grid)) {
      try {
        PointValuePair p = new BOBYQAOptimizer(5, INITIAL_RADIUS, STOPPING_RADIUS).optimize(
            new MaxEval(MAX_EVAL), GoalType.MINIMIZE, new InitialGuess(start),
            new SimpleBounds(new double[] {0, 0}, new double[] {1, 1}),
            new ObjectiveFunction(u -> domain.objective(data, u[0], u[1])));
        SviLinearSolve.Solution s = domain.solve(data, p.getPoint()[0], p.getPoint()[1]);
        if (best == null || s.objective() < best.objective()) {
          best = s;
        }
      } catch (MathIllegalStateException e) {
        // This start did not converge (evaluation budget); the others decide.
      }
    }
    return best;
  }

  /** Grid cells no higher than their neighbours, lowest first, at most MAX_STARTS, as (u, v). */
  private static List<double[]> localMinima(double[][] grid) {
    List<double[]> minima = new ArrayList<>();
    for (int i = 0; i < GRID_M; i++) {
      for (int j = 0; j < GRID_SIGMA; j++) {
        boolean lowest = true;
        for (int di = -1; di <= 1 && lowest; di++) {
          for (int dj = -1; dj <= 1; dj++) {
            int ni = i + di;
            int nj = j + dj;
            if ((di != 0 || dj != 0) && ni >= 0 && ni < GRID_M && nj >= 0 && nj < GRID_SIGMA && grid[ni][nj] < grid[i][j]) {
              lowest = false;
              break;
            }
          }
        }
        if (lowest) {
          minima.add(new double[] {(double) i / (GRID_M - 1), (double) j / (GRID_SIGMA - 1), grid[i][j]});
        }
      }
    }
    minima.sort(Comparator.comparingDouble(c -> c[2]));
    return minima.subList(0, Math.min(MAX_STARTS, minima.size())).stream().map(c -> new double[] {c[0], c[1]}).toList();
  }

  /** The search box in unit coordinates: u → m linear, v → ln σ linear. */
  record Domain(double mLow, double mHigh, double lnSigmaLow, double lnSigmaHigh) {
    static Domain of(FitData data) {
      return of(data.kLow(), data.kHigh());
    }

    /** The box for fitted log-moneyness in [kLow, kHigh] (class Javadoc). */
    static Domain of(double kLow, double kHigh) {
      double span = Math.max(kHigh - kLow, 0.01);
      return new Domain(kLow - span, kHigh + span, Math.log(1e-3 * span), Math.log(2 * span));
    }

    boolean contains(double m, double sigma) {
      return m >= mLow && m <= mHigh && Math.log(sigma) >= lnSigmaLow && Math.log(sigma) <= lnSigmaHigh;
    }

    SviLinearSolve.Solution solve(FitData data, double u, double v) {
      double m = mLow + (mHigh - mLow) * clamp(u);
      double sigma = Math.exp(lnSigmaLow + (lnSigmaHigh - lnSigmaLow) * clamp(v));
      return SviLinearSolve.solve(data.k(), data.w(), data.weight(), m, sigma);
    }

    double objective(FitData data, double u, double v) {
      return solve(data, u, v).objective();
    }

    private static double clamp(double x) {
      return Math.min(1, Math.max(0, x));
    }
  }

  /** The fitted options: k, total variance, weight, and what the RMSE needs. */
  private record FitData(double[] k, double[] w, double[] weight, double[] iv, double tau) {
    static FitData of(ExpiryQuotes q, boolean[] used) {
      int n = 0;
      for (boolean u : used) {
        n += u ? 1 : 0;
      }
      double[] strikes = q.strikes();
      double[] ivs = q.ivs();
      double[] k = new double[n];
      double[] w = new double[n];
      double[] weight = new double[n];
      double[] iv = new double[n];
      int j = 0;
      for (int i = 0; i < used.length; i++) {
        if (used[i]) {
          k[j] = q.logMoneyness(i);
          iv[j] = ivs[i];
          w[j] = ivs[i] * ivs[i] * q.tau();
          // Each squared error is weighted by sqrt(vega) (DESIGN §7.1). Vega is the same for a call and a put;
          // the discount factor is common to the expiry and drops out.
          weight[j] = Math.sqrt(Black76.vega(true, q.forward(), strikes[i], q.tau(), ivs[i], 0.0));
          j++;
        }
      }
      return new FitData(k, w, weight, iv, q.tau());
    }

    int size() {
      return k.length;
    }

    double weightSum() {
      double s = 0;
      for (double c : weight) {
        s += c;
      }
      return s;
    }

    double kLow() {
      double lo = Double.POSITIVE_INFINITY;
      for (double x : k) {
        lo = Math.min(lo, x);
      }
      return lo;
    }

    double kHigh() {
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : k) {
        hi = Math.max(hi, x);
      }
      return hi;
    }

    /** Unweighted RMSE in decimal vol of the slice's vol sqrt(w/T) against the mark ivs. */
    double rmse(SviSlice slice) {
      double sum = 0;
      for (int i = 0; i < k.length; i++) {
        double vol = Math.sqrt(Math.max(slice.totalVariance(k[i]), 0) / tau);
        sum += (vol - iv[i]) * (vol - iv[i]);
      }
      return Math.sqrt(sum / k.length);
    }
  }
}
