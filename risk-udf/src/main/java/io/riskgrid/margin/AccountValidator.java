package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks one account against the rules of DESIGN §3.4 "Validity is per account" and resolves its
 * positions to book rows. Every offending row becomes an {@link Issue}; REJECTED (bad account data)
 * takes precedence over DATA_ERROR (bad market data). An account is never margined on a subset.
 */
final class AccountValidator {
  private final ValuedBook book;
  private final MarginPolicy policy;

  AccountValidator(InstrumentBook book) {
    this.book = book.valued();
    this.policy = book.policy();
  }

  /**
   * The outcome of validation; {@code rows[j]} is the book row of position j when valid, and
   * {@code currency} is null only when the account's margin currency is missing.
   */
  record Validated(MarginMode mode, MarginCurrency currency, int coinUnderlying, int[] rows, List<Issue> issues,
      AccountStatus status, String reason) {
    boolean valid() {
      return status == null;
    }

    /** A coin account; a missing currency counts as one, so that none of its positions validates. */
    boolean coinAccount() {
      return currency == null || currency.isCoin();
    }
  }

  Validated validate(Account a) {
    List<Issue> issues = new ArrayList<>();
    String key = a.accountId();
    if (a.inputReject() != null) {
      // First, so that it is the reason given: the other issues may stem from the row the import rejected.
      issues.add(new Issue(AccountStatus.REJECTED, "accounts", key, a.inputReject()));
    }
    MarginMode mode = parseMode(a, issues);
    MarginCurrency margin = a.marginCurrency() == null || a.marginCurrency().isBlank() ? null
        : MarginCurrency.parse(a.marginCurrency());
    String currency = margin == null ? "" : margin.code();
    boolean coinAccount = margin == null || margin.isCoin();
    int coinUnderlying = -1;
    if (margin == null || (coinAccount && policy.collateral().isStablecoin(currency))) {
      issues.add(new Issue(AccountStatus.REJECTED, "accounts", key,
          "margin_currency '" + a.marginCurrency() + "' must be USD or a coin (e.g. BTC)"));
    } else if (coinAccount) {
      coinUnderlying = book.underlyingIndexOf(currency);
      if (coinUnderlying < 0) {
        // The account's own row is wrong (a coin the market does not have), and it is named first: its
        // positions' currency mismatches follow from it and would otherwise be the reason given.
        issues.add(new Issue(AccountStatus.REJECTED, "accounts", key, "margin_currency '" + a.marginCurrency()
            + "' is neither USD nor a coin of the market " + book.underlyings()));
      } else if (book.underlyingError(coinUnderlying) != null) {
        issues.add(new Issue(AccountStatus.DATA_ERROR, "accounts", key, book.underlyingError(coinUnderlying)));
      }
    }
    int[] rows = new int[a.positions().size()];
    for (int j = 0; j < rows.length; j++) {
      rows[j] = checkPosition(a, a.positions().get(j), coinAccount, currency, issues);
    }
    for (CollateralBalance c : a.collateral()) {
      checkCollateral(a, c, coinAccount, currency, issues);
    }
    AccountStatus status = null;
    String reason = null;
    for (AccountStatus s : new AccountStatus[] {AccountStatus.REJECTED, AccountStatus.DATA_ERROR}) {
      for (Issue i : issues) {
        if (status == null && i.status() == s) {
          status = s;
          reason = i.reason();
        }
      }
    }
    return new Validated(mode, margin, coinUnderlying, rows, issues, status, reason);
  }

  private static MarginMode parseMode(Account a, List<Issue> issues) {
    String m = a.marginMode() == null ? "" : a.marginMode().trim().toUpperCase(Locale.ROOT);
    try {
      return MarginMode.valueOf(m);
    } catch (IllegalArgumentException e) {
      issues.add(new Issue(AccountStatus.REJECTED, "accounts", a.accountId(),
          "margin_mode '" + a.marginMode() + "' must be PORTFOLIO or STANDARD"));
      return null;
    }
  }

  private int checkPosition(Account a, Position p, boolean coinAccount, String currency, List<Issue> issues) {
    // The rejects key is built only when there is an issue: this runs for every position of every account.
    int row = p.instrumentId() == null ? -1 : book.indexOf(p.instrumentId());
    if (row < 0) {
      String malformed = p.instrumentId() == null ? null : book.malformedReason(p.instrumentId());
      issues.add(new Issue(AccountStatus.REJECTED, malformed == null ? "positions" : "instruments", key(a, p), malformed != null
          ? "malformed instrument: " + malformed
          : "unknown instrument_id '" + p.instrumentId() + "': not in the instruments table"));
      return -1;
    }
    Instrument ins = book.instruments().get(row);
    if (!Double.isFinite(p.quantity())) {
      issues.add(new Issue(AccountStatus.REJECTED, "positions", key(a, p), quantityReason(p.quantity())));
    }
    if (book.rejectReason(row) != null) {
      issues.add(new Issue(AccountStatus.REJECTED, "positions", key(a, p), book.rejectReason(row)));
    }
    if (coinAccount && !(ins.isInverse() && ins.underlying().equals(currency))) {
      issues.add(new Issue(AccountStatus.REJECTED, "positions", key(a, p), "instrument " + ins.id() + " (" + ins.settlement()
          + " on " + ins.underlying() + ") cannot be held in a " + currency + "-margined account; coin accounts hold "
          + "inverse instruments of their own coin"));
    } else if (!coinAccount && ins.isInverse()) {
      issues.add(new Issue(AccountStatus.REJECTED, "positions", key(a, p), "inverse instrument " + ins.id()
          + " cannot be held in a USD-margined account; it belongs in a " + ins.underlying() + "-margined account"));
    }
    if (ins.kind() != InstrumentKind.OPTION && !(p.entryPrice() > 0 && Double.isFinite(p.entryPrice()))) {
      issues.add(new Issue(AccountStatus.REJECTED, "positions", key(a, p),
          "entry_price is required and must be finite and > 0 for a " + ins.kind() + ", got " + p.entryPrice()));
    }
    if (book.dataError(row) != null) {
      issues.add(new Issue(AccountStatus.DATA_ERROR, "positions", key(a, p), book.dataError(row)));
    }
    return row;
  }

  private static String key(Account a, Position p) {
    return a.accountId() + "/" + p.instrumentId();
  }

  private void checkCollateral(Account a, CollateralBalance c, boolean coinAccount, String currency, List<Issue> issues) {
    String asset = CollateralEquity.normalisedAsset(c);
    String key = a.accountId() + "/" + asset;
    if (!Double.isFinite(c.quantity())) {
      issues.add(new Issue(AccountStatus.REJECTED, "collateral", key, quantityReason(c.quantity())));
      return;
    }
    if (c.quantity() == 0) {
      return;
    }
    if (coinAccount) {
      if (!asset.equals(currency)) {
        issues.add(new Issue(AccountStatus.REJECTED, "collateral", key,
            "a " + currency + "-margined account can only hold " + currency + " collateral, not '" + c.asset() + "'"));
      }
      return;
    }
    if (policy.collateral().isStablecoin(asset)) {
      return;
    }
    if (Double.isNaN(policy.collateral().haircut(asset))) {
      issues.add(new Issue(AccountStatus.REJECTED, "collateral", key,
          "asset '" + c.asset() + "' has no haircut in policy " + policy.name() + " and is not a stablecoin"));
    }
    int u = book.underlyingIndexOf(asset);
    if (u < 0 || book.underlyingError(u) != null) {
      issues.add(new Issue(AccountStatus.DATA_ERROR, "collateral", key,
          u < 0 ? "no index price for collateral asset '" + c.asset() + "'" : book.underlyingError(u)));
    }
  }

  /**
   * Why a quantity is refused. The input layer reads a null number as NaN (never 0), so NaN means the
   * column was empty or held NaN; the reason says both rather than "got NaN" for a cell the user left empty.
   */
  static String quantityReason(double quantity) {
    return Double.isNaN(quantity) ? "quantity is missing (null) or NaN: a finite number is needed"
        : "quantity must be finite, got " + quantity;
  }
}
