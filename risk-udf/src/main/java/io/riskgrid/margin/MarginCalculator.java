package io.riskgrid.margin;

import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.kernel.PositionBatch;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.IndexMoveGrid;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.Arrays;
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
  /** The bounds {@link #valueAll} decides validity from, over the same sums as {@link #rules}. */
  private final BoundingRules bounding;
  private final PositionBatch batch = new PositionBatch(256, 4096);
  private double[] wide = new double[0];
  /** Whether margins carry their liquidation distances (DESIGN §7.5); one more aggregation per batch. */
  private final boolean liquidation;
  private final double[] moves = IndexMoveGrid.moves();
  /** The batch's P&amp;L over the joint moves, {@link IndexMoveGrid#SIZE} per valid account, collateral included. */
  private double[] moveWide = new double[0];
  private int[] lastSlot = new int[0];
  /** Per slot of the last batch, the valid account's sums (which underlyings it touches, its collateral coin). */
  private UnderlyingRules.Sums[] lastSums = new UnderlyingRules.Sums[0];
  private AccountValidator.Validated[] lastValidated = new AccountValidator.Validated[0];
  /** The index S of a collateral coin, USD per coin (validation has checked the market has it). */
  private final ToDoubleFunction<String> usdIndex;
  private MarginCalculator figuresOnly;

  public MarginCalculator(InstrumentBook book, RiskKernel kernel) {
    this(book, kernel, false);
  }

  /**
   * @param contributions whether each {@link UnderlyingMargin} carries its MM's split by position and
   *     collateral (DESIGN §7.3); a second pass over the account's positions, so off where unused
   */
  public MarginCalculator(InstrumentBook book, RiskKernel kernel, boolean contributions) {
    this(book, kernel, contributions, false);
  }

  /**
   * @param liquidation whether each margin carries its liquidation distances and {@link #movePnl} the
   *     account's P&amp;L over the joint index moves of DESIGN §7.5 (one more aggregation per batch)
   */
  public MarginCalculator(InstrumentBook book, RiskKernel kernel, boolean contributions, boolean liquidation) {
    this(book, kernel, contributions, liquidation, true);
  }

  /**
   * @param riskArrays whether each {@link UnderlyingMargin} carries its risk array; when false its
   *     {@link UnderlyingMargin#riskArray()} is empty, unless an entry is not finite (then it is kept, so
   *     that the account's DATA_ERROR names it). For a run that does not write {@code risk_arrays}: at the
   *     thousands of joint windows of a historical-es policy the arrays are 24 KB per account and
   *     underlying, copied out of the kernel's sums only to be thrown away.
   */
  public MarginCalculator(InstrumentBook book, RiskKernel kernel, boolean contributions, boolean liquidation,
      boolean riskArrays) {
    this.liquidation = liquidation;
    this.book = book;
    this.kernel = kernel;
    this.validator = new AccountValidator(book);
    this.rules = new UnderlyingRules(book, contributions, riskArrays);
    this.bounding = new BoundingRules(book.valued(), book.policy(), rules);
    ValuedBook valued = book.valued();
    this.usdIndex = asset -> valued.spot(valued.underlyingIndexOf(asset));
  }

  public InstrumentBook book() {
    return book;
  }

  /**
   * A calculator over the same book and kernel that computes the margin figures only: no contributions,
   * no liquidation distances (their columns null and empty). For the many margins whose MM alone is read,
   * such as a what-if's incremental margin of each top position, which otherwise paid for both (the joint
   * moves are a second aggregation as wide as the grid twice over). Made once and kept.
   */
  public MarginCalculator figuresOnly() {
    if (figuresOnly == null) {
      figuresOnly = rules.contributions() || liquidation
          ? new MarginCalculator(book, kernel, false, false, rules.riskArrays()) : this;
    }
    return figuresOnly;
  }

  public AccountMargin margin(Account account) {
    return marginAll(List.of(account)).get(0);
  }

  /** Margins of a batch, in input order; one result per account, always. */
  public List<AccountMargin> marginAll(List<Account> accounts) {
    AccountValidator.Validated[] validated = aggregate(accounts);
    List<AccountMargin> out = new ArrayList<>(accounts.size());
    for (int k = 0; k < accounts.size(); k++) {
      Account a = accounts.get(k);
      AccountValidator.Validated v = validated[k];
      out.add(v.valid() ? apply(a, v, lastSlot[k], false)
          : AccountMargin.invalid(a, v.status(), v.reason(), v.issues()));
    }
    return out;
  }

  /**
   * Valuations of a batch, in input order, one per account: what a stress run reads instead of the
   * margins, each account's equity, or its REJECTED/DATA_ERROR status and reason exactly as
   * {@link #marginAll} would give them, and (from {@link #scenarioPnl}) its P&amp;L per scenario. It skips
   * the margin rules' passes over the grid (at 3,063 joint windows the scan, its binding label and the
   * finite check of the arrays), which a stress run never reads: validity comes from figures that bound
   * the margin's ({@link BoundingRules#perUnderlying}); only an account whose bounds are not all finite is
   * margined in full to decide. For a calculator without contributions or liquidation distances, whose
   * validity they would otherwise also decide.
   */
  public List<AccountValuation> valueAll(List<Account> accounts) {
    if (rules.contributions() || liquidation) {
      throw new IllegalStateException("valuations come from a calculator without contributions or liquidation "
          + "distances; this one has " + (liquidation ? "liquidation distances" : "contributions"));
    }
    AccountValidator.Validated[] validated = aggregate(accounts);
    List<AccountValuation> out = new ArrayList<>(accounts.size());
    for (int k = 0; k < accounts.size(); k++) {
      Account a = accounts.get(k);
      AccountValidator.Validated v = validated[k];
      if (!v.valid()) {
        out.add(new AccountValuation(a.accountId(), a.marginCurrency(), null, v.status(), v.reason()));
        continue;
      }
      AccountMargin bounded = apply(a, v, lastSlot[k], true);
      out.add(AccountValuation.of(bounded.isValid() ? bounded : apply(a, v, lastSlot[k], false)));
    }
    return out;
  }

  /**
   * Validates the batch and aggregates its valid accounts' risk arrays (and joint-move P&amp;L) with the
   * kernel into the scratch sums; the slots and validations are kept for {@link #instrumentRows},
   * {@link #movePnl} and {@link #scenarioPnl}.
   */
  private AccountValidator.Validated[] aggregate(List<Account> accounts) {
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
    if (liquidation) {
      PnlMatrix moved = book.valued().movePnl();
      int movesNeeded = batch.accounts() * moved.width();
      if (moveWide.length < movesNeeded) {
        moveWide = new double[movesNeeded];
      }
      kernel.forSecondMatrix().aggregate(batch, moved, moveWide);
    }
    lastValidated = validated;
    lastSlot = slot;
    if (lastSums.length < batch.accounts()) {
      lastSums = new UnderlyingRules.Sums[batch.accounts()];
    }
    return validated;
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

  /**
   * The P&amp;L of account {@code k} of the last {@link #marginAll} batch under each joint index move of
   * {@link IndexMoveGrid} (DESIGN §7.5), positions and collateral, in its margin currency; exactly 0 at
   * x = 0. Null when that account was REJECTED or DATA_ERROR or the calculator was made without
   * liquidation. A view into a scratch array: valid until the next call, read only.
   */
  public double[] movePnl(int k) {
    if (!liquidation || lastSlot[k] < 0) {
      return null;
    }
    return Arrays.copyOfRange(moveWide, lastSlot[k] * IndexMoveGrid.SIZE, (lastSlot[k] + 1) * IndexMoveGrid.SIZE);
  }

  /**
   * The P&amp;L of account {@code k} of the last {@link #marginAll} batch in each scenario of a book whose
   * underlyings share one grid length n (a joint stress set), into {@code into[0 .. n)} (overwritten): its
   * risk arrays summed over the underlyings it touches, positions and coin collateral, in its margin
   * currency; the same sum, to the bit, as adding up {@link UnderlyingMargin#riskArray()} in order from 0,
   * whether or not the margins carry them. False, {@code into} untouched, when that account was REJECTED
   * or DATA_ERROR when validated. Valid until the next call.
   */
  public boolean scenarioPnl(int k, double[] into) {
    int slot = lastSlot[k];
    if (slot < 0) {
      return false;
    }
    UnderlyingRules.Sums s = lastSums[slot];
    PnlMatrix pnl = book.valued().pnl();
    int n = -1;
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (n < 0) {
        n = pnl.scenarioCount(u);
      } else if (pnl.scenarioCount(u) != n) {
        throw new IllegalStateException("a joint P&L needs one grid length, not " + n + " and " + pnl.scenarioCount(u));
      }
    }
    Arrays.fill(into, 0, n, 0.0);
    int offset = slot * pnl.width();
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (s.touched[u]) {
        rules.addRiskArray(u, wide, offset + pnl.columnOffset(u), s.collateralScenarioCoin[u], into);
      }
    }
    return true;
  }

  /**
   * The margin of a valid account, the {@code slot}-th of the batch's kernel sums; with {@code bounds},
   * the margin of {@link BoundingRules#perUnderlying} instead, without liquidation distances, whose only use
   * is its validity and equity ({@link #valueAll}).
   */
  private AccountMargin apply(Account a, AccountValidator.Validated v, int slot, boolean bounds) {
    int wideOffset = slot * book.valued().pnl().width();
    MarginPolicy policy = book.policy();
    UnderlyingRules.Sums sums = rules.accumulate(a, v);
    lastSums[slot] = sums;
    List<UnderlyingMargin> byUnderlying = bounds ? bounding.perUnderlying(a, v, sums, wide, wideOffset)
        : rules.perUnderlying(a, v, sums, wide, wideOffset);
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
    Double down = null;
    Double up = null;
    if (liquidation && !bounds) {
      double[] pnl = addCollateralMoves(a, v, slot * IndexMoveGrid.SIZE);
      down = LiquidationDistance.of(moves, pnl, equity, mm, LiquidationDistance.Direction.DOWN);
      up = LiquidationDistance.of(moves, pnl, equity, mm, LiquidationDistance.Direction.UP);
    }
    AccountMargin margin = new AccountMargin(a.accountId(), a.parentId(), v.mode().name(), v.currency().code(),
        status, null, equity, im, mm, pmIm, pmMm, sums.standardIm, sums.standardMm, saving, down, up, byUnderlying,
        v.issues());
    String nonFinite = FiniteFigures.firstNonFinite(margin);
    if (nonFinite == null) {
      return margin;
    }
    // Finite inputs can still overflow (a quantity of 1e300 times a finite price): never write Infinity or NaN.
    String reason = "a computed figure is not finite (" + nonFinite + "): " + FiniteFigures.largestInputs(a, v.rows(),
        book.valued());
    List<Issue> issues = new ArrayList<>(v.issues());
    issues.add(new Issue(AccountStatus.DATA_ERROR, "accounts", a.accountId(), reason));
    return AccountMargin.invalid(a, AccountStatus.DATA_ERROR, reason, issues);
  }

  /**
   * Adds the revaluation of a USD account's coin collateral under each joint move (its haircut balance ×
   * S × x, as equity counts it; a coin account's own coin has no P&amp;L in coin) to the account's block of
   * the batch's move P&amp;L, and returns that block.
   */
  private double[] addCollateralMoves(Account a, AccountValidator.Validated v, int from) {
    if (!v.coinAccount()) {
      ValuedBook valued = book.valued();
      for (CollateralBalance c : a.collateral()) {
        String asset = CollateralEquity.normalisedAsset(c);
        if (c.quantity() == 0 || book.policy().collateral().isStablecoin(asset)) {
          continue;
        }
        double usd = book.policy().collateral().balanceAfterHaircut(asset, c.quantity())
            * valued.spot(valued.underlyingIndexOf(asset));
        for (int k = 0; k < moves.length; k++) {
          moveWide[from + k] += usd * moves[k];
        }
      }
    }
    return Arrays.copyOfRange(moveWide, from, from + IndexMoveGrid.SIZE);
  }
}
