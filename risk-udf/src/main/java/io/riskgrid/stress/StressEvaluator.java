package io.riskgrid.stress;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
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
    if (!m.isValid()) {
      return new AccountStress(member, false, pnlUsd, netUsd, shortfall);
    }
    MarginCurrency currency = MarginCurrency.parse(m.marginCurrency());
    boolean coin = currency.isCoin();
    int coinIndex = coin ? book.valued().underlyingIndexOf(currency.code()) : -1;
    double[] pnl = new double[n];
    for (UnderlyingMargin um : m.byUnderlying()) {
      for (int j = 0; j < n; j++) {
        pnl[j] += um.riskArray()[j];
      }
    }
    if (!coin) {
      addStablecoinMoves(account, pnl);
    }
    for (int j = 0; j < n; j++) {
      // Totals convert coin amounts at the unshocked S; shortfalls at the shocked S'.
      pnlUsd[j] = coin ? pnl[j] * book.valued().spot(coinIndex) : pnl[j];
      netUsd[j] = (m.equity() + pnl[j]) * (coin ? shockedSpot[coinIndex][j] : 1.0);
      shortfall[j] = Math.max(0, -netUsd[j]);
    }
    return new AccountStress(member, true, pnlUsd, netUsd, shortfall);
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
      for (int j = 0; j < pnl.length; j++) {
        pnl[j] += value * set.scenarios().get(j).move(asset).p();
      }
    }
  }
}
