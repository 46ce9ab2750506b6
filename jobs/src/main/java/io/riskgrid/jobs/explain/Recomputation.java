package io.riskgrid.jobs.explain;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.CollateralEquity;
import io.riskgrid.margin.Contribution;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.Position;
import io.riskgrid.margin.UnderlyingMargin;
import io.riskgrid.policy.CollateralRules;
import io.riskgrid.policy.MarginPolicy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's side of an explanation: one account margined on the driver from its inputs of the date,
 * on a stage-1 book of its own instruments (each instrument is valued on its own, so this is the run's
 * book restricted to them), with contributions; then each position's incremental margin, the
 * collateral's figures, and the check of the {@code margins} row (DESIGN §3.4 agreement).
 */
final class Recomputation {
  /** DESIGN §3.4 agreement: |a − b| ≤ 1e-9·max(|a|, |b|) + 1e-9·N. */
  static final double AGREEMENT = 1e-9;

  private final Account account;
  private final MarginCalculator calculator;
  private final AccountMargin margin;
  private final double notional;

  private Recomputation(Account account, MarginCalculator calculator, AccountMargin margin, double notional) {
    this.account = account;
    this.calculator = calculator;
    this.margin = margin;
    this.notional = notional;
  }

  static Recomputation of(Account account, MarketTables.MarketOfDate market, MarginPolicy policy, RiskKernel kernel) {
    Set<String> held = new HashSet<>();
    for (Position p : account.positions()) {
      held.add(p.instrumentId());
    }
    List<Instrument> instruments = new ArrayList<>();
    for (Instrument i : market.instruments().instruments()) {
      if (held.contains(i.id())) {
        instruments.add(i);
      }
    }
    Map<String, String> malformed = new HashMap<>(market.instruments().malformed());
    malformed.keySet().retainAll(held);
    InstrumentBook book = StageOne.book(new MarketTables.MarketOfDate(new MarketTables.InstrumentSet(instruments, malformed),
        market.snapshot()), policy, kernel);
    MarginCalculator calculator = new MarginCalculator(book, kernel, true);
    AccountMargin margin = calculator.margin(account);
    return new Recomputation(account, calculator, margin, notional(account, book, margin.marginCurrency()));
  }

  AccountMargin margin() {
    return margin;
  }

  /** N of DESIGN §3.4 in the margin currency. */
  double notional() {
    return notional;
  }

  /**
   * Σ|q|·(USD notional per contract), divided by the underlying's S for a coin account; NaN when a
   * position's instrument cannot be valued.
   */
  private static double notional(Account account, InstrumentBook book, String currency) {
    boolean coin = currency != null && !"USD".equalsIgnoreCase(currency.trim());
    double n = 0;
    for (Position p : account.positions()) {
      int i = book.valued().indexOf(p.instrumentId());
      if (i < 0) {
        return Double.NaN;
      }
      double usd = Math.abs(p.quantity()) * book.valued().notionalUsd(i);
      n += coin ? usd / book.valued().spot(book.valued().underlyingOf(i)) : usd;
    }
    return n;
  }

  /** Every contribution of {@code underlying}, largest first; empty when the account has none there. */
  List<Contribution> contributions(String underlying) {
    for (UnderlyingMargin u : margin.byUnderlying()) {
      if (u.underlying().equals(underlying)) {
        return u.contributions();
      }
    }
    return List.of();
  }

  /** MM(account) − MM(account without every position in {@code instrumentId}); null when either is not margined. */
  Double incrementalMm(String instrumentId) {
    if (!margin.isValid()) {
      return null;
    }
    List<Position> without = new ArrayList<>(account.positions().size());
    for (Position p : account.positions()) {
      if (!p.instrumentId().equals(instrumentId)) {
        without.add(p);
      }
    }
    AccountMargin rest = calculator.margin(new Account(account.accountId(), account.parentId(), account.marginMode(),
        account.marginCurrency(), without, account.collateral()));
    return rest.isValid() ? margin.mm() - rest.mm() : null;
  }

  /** Whether the recomputed MM agrees with the row's (DESIGN §3.4); a warning for each way the two differ. */
  Explanation.Recomputed check(Explanation.RowFigures row, String runId, LocalDate date, List<String> warnings) {
    Double tolerance = null;
    boolean agrees;
    if (row.mm() == null || margin.mm() == null) {
      agrees = row.mm() == null && margin.mm() == null;
    } else {
      tolerance = AGREEMENT * Math.max(Math.abs(row.mm()), Math.abs(margin.mm())) + AGREEMENT * notional;
      agrees = Math.abs(row.mm() - margin.mm()) <= tolerance;
    }
    if (!agrees) {
      warnings.add("recomputed MM " + margin.mm() + " does not agree with the margins row's " + row.mm()
          + (tolerance == null ? "" : " (|difference| " + Math.abs(row.mm() - margin.mm()) + " > tolerance " + tolerance + ")")
          + ": the inputs, market or policy of " + date + " changed after run " + runId
          + ", so the incremental margins and collateral figures, which come from the recomputation, do not explain the row;"
          + " rerun 'riskgrid margin --as-of " + date + "'");
    }
    if (!margin.status().name().equals(row.status())) {
      warnings.add("recomputed status " + margin.status() + " differs from the row's " + row.status()
          + (margin.reason() == null ? "" : " (" + margin.reason() + ")"));
    }
    return new Explanation.Recomputed(margin.status().name(), margin.reason(), margin.equity(), margin.im(), margin.mm(),
        notional, tolerance, agrees);
  }

  /**
   * Each collateral asset of {@code account} (merged by asset): its balance, haircut, value in equity and
   * part of MM; the figures are null when the account could not be recomputed or is not margined.
   */
  static List<Explanation.CollateralPart> collateral(Account account, Recomputation r) {
    List<Explanation.CollateralPart> out = new ArrayList<>();
    if (account == null) {
      return out;
    }
    Map<String, Double> quantities = new LinkedHashMap<>();
    for (CollateralBalance c : account.collateral()) {
      quantities.merge(CollateralEquity.normalisedAsset(c), c.quantity(), Double::sum);
    }
    boolean valued = r != null && r.margin.isValid();
    for (Map.Entry<String, Double> e : quantities.entrySet()) {
      out.add(valued ? r.collateralPart(e.getKey(), e.getValue())
          : new Explanation.CollateralPart(e.getKey(), e.getValue(), null, null, null));
    }
    return out;
  }

  private Explanation.CollateralPart collateralPart(String asset, double quantity) {
    InstrumentBook book = calculator.book();
    CollateralRules rules = book.policy().collateral();
    MarginCurrency currency = MarginCurrency.parse(margin.marginCurrency());
    Double haircut = null;
    if (!currency.isCoin()) {
      double h = rules.haircut(asset);
      haircut = Double.isNaN(h) ? (rules.isStablecoin(asset) ? 0.0 : null) : h;
    }
    double equity = CollateralEquity.of(List.of(new CollateralBalance(asset, quantity)), currency, rules,
        a -> book.valued().spot(book.valued().underlyingIndexOf(a)));
    // A coin's revaluation loss is attributed under its own underlying (UnderlyingRules).
    double mm = 0;
    for (Contribution c : contributions(asset)) {
      if (c.source().equals(asset)) {
        mm += c.amount();
      }
    }
    return new Explanation.CollateralPart(asset, quantity, haircut, equity, mm);
  }

  /** The account's net quantity in {@code instrumentId}, contracts; null when it holds none. */
  static Double positionQuantity(Account account, String instrumentId) {
    double q = 0;
    boolean held = false;
    for (Position p : account.positions()) {
      if (p.instrumentId().equals(instrumentId)) {
        q += p.quantity();
        held = true;
      }
    }
    return held ? q : null;
  }

  /** The account's balance of {@code asset}, units; null when it holds none. */
  static Double collateralQuantity(Account account, String asset) {
    double q = 0;
    boolean held = false;
    for (CollateralBalance c : account.collateral()) {
      if (CollateralEquity.normalisedAsset(c).equals(asset)) {
        q += c.quantity();
        held = true;
      }
    }
    return held ? q : null;
  }
}
