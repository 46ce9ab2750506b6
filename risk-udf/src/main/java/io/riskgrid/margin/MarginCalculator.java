package io.riskgrid.margin;

import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Stage 2 of DESIGN §2 for a batch of accounts: validates them, aggregates their risk arrays with the
 * kernel in one CSR pass, then applies the margin rules of §3.4 account by account. Not thread-safe
 * (it reuses scratch arrays); use one per task thread.
 */
public final class MarginCalculator {
  private final InstrumentBook book;
  private final RiskKernel kernel;
  private final AccountValidator validator;
  private final UnderlyingRules rules;
  private final PositionBatch batch = new PositionBatch(256, 4096);
  private double[] wide = new double[0];
  private AccountValidator.Validated[] lastValidated = new AccountValidator.Validated[0];
  /** The index S of a collateral coin, USD per coin (validation has checked the market has it). */
  private final ToDoubleFunction<String> usdIndex;

  public MarginCalculator(InstrumentBook book, RiskKernel kernel) {
    this(book, kernel, false);
  }

  /**
   * @param contributions whether each {@link UnderlyingMargin} carries its MM's split by position and
   *     collateral (DESIGN §7.3); a second pass over the account's positions, so off where unused
   */
  public MarginCalculator(InstrumentBook book, RiskKernel kernel, boolean contributions) {
    this.book = book;
    this.kernel = kernel;
    this.validator = new AccountValidator(book);
    this.rules = new UnderlyingRules(book, contributions);
    ValuedBook valued = book.valued();
    this.usdIndex = asset -> valued.spot(valued.underlyingIndexOf(asset));
  }

  public InstrumentBook book() {
    return book;
  }

  public AccountMargin margin(Account account) {
    return marginAll(List.of(account)).get(0);
  }

  /** Margins of a batch, in input order; one result per account, always. */
  public List<AccountMargin> marginAll(List<Account> accounts) {
    AccountValidator.Validated[] validated = new AccountValidator.Validated[accounts.size()];
    int[] slot = new int[accounts.size()];
    batch.clear();
    for (int k = 0; k < accounts.size(); k++) {
      validated[k] = validator.validate(accounts.get(k));
      slot[k] = -1;
      if (validated[k].valid()) {
        List<Position> positions = accounts.get(k).positions();
        for (int j = 0; j < positions.size(); j++) {
          batch.addPosition(validated[k].rows()[j], positions.get(j).quantity());
        }
        slot[k] = batch.accounts();
        batch.endAccount();
      }
    }
    PnlMatrix pnl = book.valued().pnl();
    int needed = batch.accounts() * pnl.width();
    if (wide.length < needed) {
      wide = new double[needed];
    }
    kernel.aggregate(batch, pnl, wide);
    lastValidated = validated;
    List<AccountMargin> out = new ArrayList<>(accounts.size());
    for (int k = 0; k < accounts.size(); k++) {
      Account a = accounts.get(k);
      AccountValidator.Validated v = validated[k];
      out.add(v.valid() ? apply(a, v, slot[k] * pnl.width())
          : AccountMargin.invalid(a, v.status(), v.reason(), v.issues()));
    }
    return out;
  }

  /**
   * The book rows of the positions of account {@code k} of the last {@link #marginAll} batch, in
   * position order, so that a caller summing per-instrument figures need not look the ids up again;
   * null when that account was REJECTED or DATA_ERROR. Valid until the next call.
   */
  public int[] instrumentRows(int k) {
    AccountValidator.Validated v = lastValidated[k];
    return v.valid() ? v.rows() : null;
  }

  private AccountMargin apply(Account a, AccountValidator.Validated v, int wideOffset) {
    MarginPolicy policy = book.policy();
    UnderlyingRules.Sums sums = rules.accumulate(a, v);
    List<UnderlyingMargin> byUnderlying = rules.perUnderlying(a, v, sums, wide, wideOffset);
    double pmMm = 0;
    for (UnderlyingMargin um : byUnderlying) {
      pmMm += um.mm();
    }
    double pmIm = pmMm * policy.margin().imMultiplier();
    double equity = sums.positionEquity + CollateralEquity.of(a.collateral(), v.currency(), policy.collateral(), usdIndex);
    boolean portfolio = v.mode() == MarginMode.PORTFOLIO;
    double im = portfolio ? pmIm : sums.standardIm;
    double mm = portfolio ? pmMm : sums.standardMm;
    AccountStatus status = equity >= im ? AccountStatus.OK : equity >= mm ? AccountStatus.MARGIN_CALL
        : AccountStatus.LIQUIDATION;
    Double saving = sums.standardIm == 0 ? null : 1 - pmIm / sums.standardIm;
    return new AccountMargin(a.accountId(), a.parentId(), v.mode().name(), v.currency().code(),
        status, null, equity, im, mm, pmIm, pmMm, sums.standardIm, sums.standardMm, saving, byUnderlying, v.issues());
  }
}
