package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.UnderlyingMarket;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A synthetic daily history, deterministic from a seed: index prices, forwards and SVI surfaces for
 * several underlyings (by default BTC, ETH and SOL), one {@link DailyMarket} per day, every vol
 * {@link VolSource#SURFACE}.
 *
 * <p>The model, one step per calendar day (dt = 1/365):
 * <ul>
 *   <li><b>Regimes:</b> a Markov chain CALM / NORMAL / STRESSED that sets drift, the long-run vol level and
 *       the jump intensity. A crash always switches to STRESSED.</li>
 *   <li><b>Stochastic vol:</b> log-vol mean-reverts to the regime's level with vol of vol; its shocks are
 *       correlated with the asset's own return ({@link Model#leverage()} &lt; 0: vol rises as prices fall).</li>
 *   <li><b>Returns:</b> diffusive returns correlated across underlyings by {@link Model#correlation()}, plus
 *       common jumps (N(−1%, 5%) scaled by each asset's jump beta) and crash days: a common draw c uniform in
 *       [30%, 40%], each asset falling by min(60%, c × crash beta) that day, so BTC (beta 1) falls 30–40%
 *       like on 2020-03-12, and its vol jumps by 80%.</li>
 *   <li><b>Surfaces:</b> per listed expiry (the next two Fridays, three month-ends and two quarter-ends, at
 *       08:00Z) a raw SVI slice with m = 0 and sigma_svi = 0.1. The 30-day ATM vol is the IV premium times
 *       a blend of the model's spot vol and the trailing 30-day realised vol, so its level follows realised
 *       vol; the term structure decays towards the long-run level; ρ and the wing slope steepen with the
 *       5-day drawdown (skew steepens in selloffs) and ρ rises in rallies.</li>
 *   <li><b>Forwards:</b> an annual basis per asset, mean-reverting to a regime level (contango in calm
 *       markets, backwardation when stressed) and knocked down by crashes; listed forwards are S·e^{bT} at
 *       each listed expiry, and the snapshot's basis is b for unlisted expiries.</li>
 * </ul>
 * The path starts {@link #BURN_IN_DAYS} before {@code from} at each asset's start price, so realised vol and
 * regimes are warmed up; the history of [from, to] depends on (seed, from, model) only, and extending
 * {@code to} leaves the earlier days unchanged. Random numbers come from commons-math3's Well19937c, whose
 * sequence is fixed across JVMs.
 */
public final class SyntheticMarketGenerator {
  /** Days simulated before {@code from}: warms up realised vol, log-vol and the regime chain. */
  public static final int BURN_IN_DAYS = 90;
  private static final double DT = 1.0 / 365.0;

  /** Per-underlying parameters. Vols and basis are annual decimals; prices USD per coin. */
  public record Asset(String underlying, double startPrice, double longRunVol, double jumpBeta, double crashBeta,
      double skewRho, double basisOffset) {}

  /**
   * The model's parameters.
   *
   * @param assets           the underlyings, in the order of {@code correlation}
   * @param correlation      correlation of the assets' diffusive return shocks (symmetric, positive definite)
   * @param volMeanReversion κ of log-vol, per year
   * @param volOfVol         ξ, the vol of log-vol, per √year
   * @param leverage         correlation of an asset's log-vol shock with its own return shock, in (−1, 1)
   * @param ivPremium        implied over realised vol, e.g. 1.1
   * @param crashesPerYear   expected crash days per year
   */
  public record Model(List<Asset> assets, double[][] correlation, double volMeanReversion, double volOfVol,
      double leverage, double ivPremium, double crashesPerYear) {
    public Model {
      assets = List.copyOf(assets);
      if (correlation.length != assets.size()) {
        throw new InvalidInputException("correlation", "needs one row per asset: " + assets.size());
      }
      if (!(Math.abs(leverage) < 1)) {
        throw new InvalidInputException("leverage", "must be in (-1, 1), got " + leverage);
      }
      if (!(crashesPerYear >= 0 && crashesPerYear < 365)) {
        throw new InvalidInputException("crashesPerYear", "must be in [0, 365), got " + crashesPerYear);
      }
    }
  }

  /** BTC, ETH and SOL with crypto-like vols and correlations; about one crash day every two years. */
  public static Model defaultModel() {
    return new Model(List.of(
        new Asset("BTC", 30_000, 0.45, 1.00, 1.00, -0.15, 0.00),
        new Asset("ETH", 2_000, 0.60, 1.15, 1.12, -0.15, 0.01),
        new Asset("SOL", 50, 0.80, 1.35, 1.25, -0.20, 0.02)),
        new double[][] {{1.00, 0.80, 0.65}, {0.80, 1.00, 0.72}, {0.65, 0.72, 1.00}},
        6.0, 0.9, -0.5, 1.10, 0.5);
  }

  /** Regime levels: drift of the log price (per year), multiplier of long-run vol, common jumps per year, basis (per year). */
  private enum Regime {
    CALM(0.8, 0.75, 2, 0.10), NORMAL(0.2, 1.0, 5, 0.06), STRESSED(-0.6, 1.6, 15, -0.02);

    final double drift;
    final double volMultiplier;
    final double jumpsPerYear;
    final double basis;

    Regime(double drift, double volMultiplier, double jumpsPerYear, double basis) {
      this.drift = drift;
      this.volMultiplier = volMultiplier;
      this.jumpsPerYear = jumpsPerYear;
      this.basis = basis;
    }

    /** One day of the chain: mean stays of about 120, 150 and 40 days. */
    Regime next(double u) {
      switch (this) {
        case CALM:
          return u < 1 / 120.0 ? NORMAL : CALM;
        case NORMAL:
          return u < 1 / 150.0 ? CALM : u < 1 / 150.0 + 1 / 200.0 ? STRESSED : NORMAL;
        default:
          return u < 1 / 40.0 ? NORMAL : STRESSED;
      }
    }
  }

  private SyntheticMarketGenerator() {}

  /** The default model's history of [from, to] for {@code seed}. */
  public static MarketHistory generate(LocalDate from, LocalDate to, long seed) {
    return generate(defaultModel(), from, to, seed);
  }

  public static MarketHistory generate(Model model, LocalDate from, LocalDate to, long seed) {
    if (from.isAfter(to)) {
      throw new InvalidInputException("from/to dates", "the first day " + from + " is after the last day " + to);
    }
    int n = model.assets().size();
    double[][] cholesky = cholesky(model.correlation());
    RandomGenerator rng = new Well19937c(seed);
    Path path = new Path(model);
    Regime regime = Regime.NORMAL;
    List<DailyMarket> days = new ArrayList<>();
    for (LocalDate d = from.minusDays(BURN_IN_DAYS); !d.isAfter(to); d = d.plusDays(1), path.step++) {
      // Draw every random number of the day in a fixed order, whatever happens, so days stay aligned.
      regime = regime.next(rng.nextDouble());
      boolean crash = rng.nextDouble() < model.crashesPerYear() * DT;
      double crashSize = 0.30 + 0.10 * rng.nextDouble();
      boolean jump = rng.nextDouble() < regime.jumpsPerYear * DT;
      double jumpSize = -0.01 + 0.05 * rng.nextGaussian();
      double[] w = gaussians(rng, n);
      double[] eta = gaussians(rng, n);
      double[] idio = gaussians(rng, n);
      double[] basisNoise = gaussians(rng, n);
      double[] ivNoise = gaussians(rng, n);
      double[] z = multiply(cholesky, w);
      if (crash) {
        regime = Regime.STRESSED;
      }
      for (int i = 0; i < n; i++) {
        Asset a = model.assets().get(i);
        double r = crash ? Math.log(1 - Math.min(0.60, crashSize * a.crashBeta()))
            : regime.drift * DT + Math.exp(path.logVol[i]) * Math.sqrt(DT) * z[i]
                + (jump ? a.jumpBeta() * jumpSize + 0.02 * idio[i] : 0);
        path.close(i, r);
        double volShock = model.leverage() * z[i] + Math.sqrt(1 - model.leverage() * model.leverage()) * eta[i];
        path.evolve(model, a, i, regime, volShock, basisNoise[i], crash);
      }
      if (!d.isBefore(from)) {
        days.add(day(model, d, path, ivNoise));
      }
    }
    return MarketHistory.of(days);
  }

  /** The simulated state of every asset: index, log-vol, basis, the last 30 returns and the last 6 closes. */
  private static final class Path {
    final double[] price;
    final double[] logVol;
    final double[] basis;
    final double[][] recent;
    final double[][] lastCloses;
    int step;

    Path(Model model) {
      int n = model.assets().size();
      price = new double[n];
      logVol = new double[n];
      basis = new double[n];
      recent = new double[n][HistoryImporter.REALISED_VOL_DAYS];
      lastCloses = new double[n][6];
      for (int i = 0; i < n; i++) {
        Asset a = model.assets().get(i);
        price[i] = a.startPrice();
        logVol[i] = Math.log(a.longRunVol());
        basis[i] = Regime.NORMAL.basis + a.basisOffset();
        java.util.Arrays.fill(lastCloses[i], a.startPrice());
      }
    }

    /** The day's log return r of asset i: the new close and the trailing windows. */
    void close(int i, double r) {
      price[i] *= Math.exp(r);
      recent[i][step % recent[i].length] = r;
      System.arraycopy(lastCloses[i], 1, lastCloses[i], 0, lastCloses[i].length - 1);
      lastCloses[i][lastCloses[i].length - 1] = price[i];
    }

    /** Log-vol and basis of asset i move to the next day, mean-reverting to the regime's levels. */
    void evolve(Model model, Asset a, int i, Regime regime, double volShock, double basisShock, boolean crash) {
      double target = Math.log(a.longRunVol() * regime.volMultiplier);
      logVol[i] += model.volMeanReversion() * (target - logVol[i]) * DT + model.volOfVol() * Math.sqrt(DT) * volShock;
      if (crash) {
        logVol[i] += Math.log(1.8);
      }
      logVol[i] = Math.max(Math.log(0.10), Math.min(Math.log(3.0), logVol[i]));
      basis[i] += 20 * (regime.basis + a.basisOffset() - basis[i]) * DT + 0.3 * Math.sqrt(DT) * basisShock;
      if (crash) {
        basis[i] -= 0.10;
      }
      basis[i] = Math.max(-0.30, Math.min(0.50, basis[i]));
    }
  }

  private static DailyMarket day(Model model, LocalDate date, Path path, double[] ivNoise) {
    Instant asOf = DailyMarket.closeInstant(date);
    List<Instant> expiries = SyntheticSurface.listedExpiries(date);
    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    Map<String, VolSource> sources = new LinkedHashMap<>();
    for (int i = 0; i < model.assets().size(); i++) {
      Asset a = model.assets().get(i);
      double realised = realised(path.recent[i], path.step + 1);
      double spotVol = Math.exp(path.logVol[i]);
      double atm30 = model.ivPremium() * Math.sqrt(0.5 * spotVol * spotVol + 0.5 * realised * realised)
          * Math.exp(0.03 * ivNoise[i]);
      double[] closes = path.lastCloses[i];
      double move5 = Math.log(closes[closes.length - 1] / closes[0]);
      markets.put(a.underlying(), SyntheticSurface.market(a, asOf, expiries, path.price[i], path.basis[i], atm30,
          model.ivPremium() * a.longRunVol(), move5));
      sources.put(a.underlying(), VolSource.SURFACE);
    }
    return new DailyMarket(date, new MarketSnapshot(asOf, markets, Map.of()), sources);
  }

  /** Realised vol of the last min(steps, 30) returns (zero mean), annualised; a floor of 5% for empty windows. */
  private static double realised(double[] returns, int steps) {
    int count = Math.min(steps, returns.length);
    double squares = 0;
    for (int k = 0; k < count; k++) {
      squares += returns[k] * returns[k];
    }
    return count == 0 ? 0.05 : Math.max(0.05, Math.sqrt(squares / count * 365));
  }

  private static double[] gaussians(RandomGenerator rng, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = rng.nextGaussian();
    }
    return g;
  }

  private static double[] multiply(double[][] lower, double[] w) {
    double[] z = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j <= i; j++) {
        z[i] += lower[i][j] * w[j];
      }
    }
    return z;
  }

  /** The lower Cholesky factor of a correlation matrix; refuses one that is not positive definite. */
  static double[][] cholesky(double[][] c) {
    int n = c.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (c[i].length != n) {
        throw new InvalidInputException("correlation", "row " + i + " has " + c[i].length + " entries, expected " + n);
      }
      for (int j = 0; j <= i; j++) {
        if (Math.abs(c[i][j] - c[j][i]) > 1e-12) {
          throw new InvalidInputException("correlation", "is not symmetric at (" + i + ", " + j + ")");
        }
        double s = c[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(s > 0)) {
            throw new InvalidInputException("correlation", "is not positive definite");
          }
          l[i][i] = Math.sqrt(s);
        } else {
          l[i][j] = s / l[j][j];
        }
      }
    }
    return l;
  }
}
