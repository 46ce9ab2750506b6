package io.riskgrid.stress;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.AccountValuation;
import io.riskgrid.margin.CollateralEquity;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Per-account stress P&L over a joint stress set (DESIGN §3.5). The set's moves become per-underlying
 * grids of the same policy, so revaluation and aggregation are the margin engine's own; an account's
 * P&L in scenario j is the sum over underlyings of its risk array (collateral included, after haircut).
 */
public final class StressEvaluator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final StressSet set;
  private final InstrumentBook book;
  private final RiskKernel kernel;
  private final double[][] shockedSpot;
  /** Per stablecoin asset (normalised), its price move in each scenario; filled on first use. */
  private final java.util.concurrent.ConcurrentHashMap<String, double[]> assetMoves =
      new java.util.concurrent.ConcurrentHashMap<>();

  public StressEvaluator(StressSet set, MarketSnapshot market, Collection<Instrument> instruments, MarginPolicy policy,
      RiskKernel kernel) {
    this.set = set;
    List<String> underlyings = new ArrayList<>(market.underlyings().keySet());
    instruments.forEach(i -> {
      if (!underlyings.contains(i.underlying())) {
        underlyings.add(i.underlying());
      }
    });
    MarginPolicy stressPolicy = policy.withGrids(set.gridsFor(List.of("*")).get("*"), set.gridsFor(underlyings));
    this.book = InstrumentBook.build(market, instruments, stressPolicy, kernel);
    this.kernel = kernel;
    List<String> names = book.valued().underlyings();
    this.shockedSpot = new double[names.size()][set.size()];
    for (int u = 0; u < names.size(); u++) {
      for (int j = 0; j < set.size(); j++) {
        shockedSpot[u][j] = book.valued().spot(u) * (1 + set.scenarios().get(j).move(names.get(u)).p());
      }
    }
  }

  public StressSet set() {
    return set;
  }

  /** The set's book: stage 1 over the set's moves, on which stage 2 margins accounts for {@link #evaluate}. */
  public InstrumentBook book() {
    return book;
  }

  /** The stress outcome of one account; {@code valid} false for REJECTED/DATA_ERROR accounts (no figures). */
  public record AccountStress(String memberId, boolean valid, double[] pnlUsd, double[] netUsd, double[] shortfallUsd)
      implements Serializable {}

  /**
   * A calculator for one thread. The evaluator itself is shared (a broadcast value is one object for
   * every task of an executor), so the scratch-reusing calculator must not live in it.
   */
  public MarginCalculator newCalculator() {
    return new MarginCalculator(book, kernel);
  }

  /** Evaluates one account with a new calculator: convenient, but allocates; batch callers pass their own. */
  public AccountStress evaluate(Account account) {
    return evaluate(account, newCalculator());
  }

  /** Evaluates one account with {@code calculator}, which must belong to the calling thread. */
  public AccountStress evaluate(Account account, MarginCalculator calculator) {
    return evaluate(account, calculator.margin(account));
  }

  /**
   * The stress outcome of one account from {@code m}, its margin on {@link #book()} by any kernel: how a
   * caller that margins accounts in batches (the Spark job) evaluates them.
   */
  public AccountStress evaluate(Account account, AccountMargin m) {
    String member = account.parentId() == null ? account.accountId() : account.parentId();
    int n = set.size();
    double[] pnlUsd = new double[n];
    double[] netUsd = new double[n];
    double[] shortfall = new double[n];
    double[] pnl = new double[n];
    if (!pnlInto(account, m, pnl)) {
      return new AccountStress(member, false, pnlUsd, netUsd, shortfall);
    }
    double usd = usdPerUnit(m);
    double[] shocked = shockedUsdPerUnit(m);
    for (int j = 0; j < n; j++) {
      // Totals convert coin amounts at the unshocked S; shortfalls at the shocked S'.
      pnlUsd[j] = pnl[j] * usd;
      netUsd[j] = netUsd(m.equity(), pnl[j], shocked, j);
      shortfall[j] = Math.max(0, -netUsd[j]);
    }
    return new AccountStress(member, true, pnlUsd, netUsd, shortfall);
  }

  /**
   * The account's P&amp;L in each scenario, in its margin currency, into {@code pnl} (length
   * {@code set().size()}, overwritten): its risk arrays summed over underlyings, plus the de-peg moves
   * of stablecoin collateral for a USD account. False, with {@code pnl} untouched, for a REJECTED or
   * DATA_ERROR account, which has no figures. For batch callers that reuse one buffer per thread.
   */
  public boolean pnlInto(Account account, AccountMargin m, double[] pnl) {
    if (!m.isValid()) {
      return false;
    }
    java.util.Arrays.fill(pnl, 0, set.size(), 0.0);
    for (UnderlyingMargin um : m.byUnderlying()) {
      double[] risk = um.riskArray();
      for (int j = 0; j < set.size(); j++) {
        pnl[j] += risk[j];
      }
    }
    if (!isCoin(m)) {
      addStablecoinMoves(account, pnl);
    }
    return true;
  }

  /**
   * {@link #pnlInto(Account, AccountMargin, double[])} for account {@code k} of {@code calculator}'s last
   * batch, valued or margined ({@link AccountValuation#of}), read from the calculator's sums
   * ({@link MarginCalculator#scenarioPnl}) rather than from a margin's risk arrays, so it holds whether or
   * not margins carry them; the same values to the bit.
   */
  public boolean pnlInto(Account account, AccountValuation valuation, MarginCalculator calculator, int k,
      double[] pnl) {
    if (!valuation.isValid() || !calculator.scenarioPnl(k, pnl)) {
      return false;
    }
    if (!MarginCurrency.parse(valuation.marginCurrency()).isCoin()) {
      addStablecoinMoves(account, pnl);
    }
    return true;
  }

  /** USD per unit of the account's margin currency at the unshocked index (1 for USD): how totals convert. */
  public double usdPerUnit(AccountMargin m) {
    return usdPerUnit(m.marginCurrency());
  }

  /** USD per unit of {@code marginCurrency} (a margin currency code) at the unshocked index, 1 for USD. */
  public double usdPerUnit(String marginCurrency) {
    MarginCurrency currency = MarginCurrency.parse(marginCurrency);
    return currency.isCoin() ? book.valued().spot(book.valued().underlyingIndexOf(currency.code())) : 1.0;
  }

  /**
   * USD per unit of a coin account's currency at each scenario's shocked index S'_s, how its equity plus
   * P&amp;L converts before the shortfall (DESIGN §3.5); null for a USD account (factor 1). Shared: do not write.
   */
  public double[] shockedUsdPerUnit(AccountMargin m) {
    return shockedUsdPerUnit(m.marginCurrency());
  }

  /** {@link #shockedUsdPerUnit(AccountMargin)} for {@code marginCurrency}, a margin currency code. */
  public double[] shockedUsdPerUnit(String marginCurrency) {
    MarginCurrency currency = MarginCurrency.parse(marginCurrency);
    return currency.isCoin() ? shockedSpot[book.valued().underlyingIndexOf(currency.code())] : null;
  }

  /**
   * An account's equity plus its P&amp;L in scenario j (both in its margin currency) in USD at that
   * scenario's shocked index, {@code shocked} from {@link #shockedUsdPerUnit} (null: USD, factor 1): the
   * figure whose negative part is the account's shortfall (DESIGN §3.5).
   */
  public static double netUsd(double equity, double pnl, double[] shocked, int j) {
    return (equity + pnl) * (shocked == null ? 1.0 : shocked[j]);
  }

  private static boolean isCoin(AccountMargin m) {
    return MarginCurrency.parse(m.marginCurrency()).isCoin();
  }

  /**
   * A de-peg scenario moves stablecoin collateral by its own price shock (DESIGN §3.5): a positive
   * balance after its haircut, as in equity; a loan in full. Stablecoins are never shocked otherwise.
   */
  private void addStablecoinMoves(Account account, double[] pnl) {
    MarginPolicy policy = book.policy();
    for (var c : account.collateral()) {
      String asset = CollateralEquity.normalisedAsset(c);
      if (c.quantity() == 0 || !policy.collateral().isStablecoin(asset)) {
        continue;
      }
      double value = policy.collateral().balanceAfterHaircut(asset, c.quantity());
      double[] moves = assetMoves.computeIfAbsent(asset, this::movesOf);
      for (int j = 0; j < moves.length; j++) {
        pnl[j] += value * moves[j];
      }
    }
  }

  /**
   * An asset's price move in each scenario: looked up once per asset, not once per account and scenario.
   * Empty when no scenario moves it (every set but a de-peg one): adding value × 0 changes no P&amp;L but
   * the sign of an exact zero, so the loop over the scenarios is left out.
   */
  private double[] movesOf(String asset) {
    double[] moves = new double[set.size()];
    boolean moved = false;
    for (int j = 0; j < moves.length; j++) {
      moves[j] = set.scenarios().get(j).move(asset).p();
      moved |= moves[j] != 0;
    }
    return moved ? moves : new double[0];
  }
}
