package io.riskgrid.margin;

import java.io.Serializable;
import java.util.List;

/**
 * The result for one account: one {@code margins} row. Amounts are in the margin currency.
 * {@code im}/{@code mm} are the requirement under the account's mode; {@code pmIm}/{@code pmMm} the
 * portfolio figures and {@code standardIm}/{@code standardMm} the per-position ones.
 * {@code pmSaving = 1 − pmIm/standardIm}, null when standardIm is 0. {@code liqMoveDown}/{@code liqMoveUp}
 * are the liquidation distances of DESIGN §7.5 (decimal |x|, 0.125 = a 12.5% joint index move; 0 when
 * already below MM; null when no move up to 50% reaches MM, or when the calculator was not asked for them,
 * as in stress and backtest). For REJECTED and DATA_ERROR every
 * figure is null and {@code reason} says why; {@code issues} lists the offending input rows.
 */
public record AccountMargin(String accountId, String parentId, String marginMode, String marginCurrency,
    AccountStatus status, String reason, Double equity, Double im, Double mm, Double pmIm, Double pmMm,
    Double standardIm, Double standardMm, Double pmSaving, Double liqMoveDown, Double liqMoveUp,
    List<UnderlyingMargin> byUnderlying, List<Issue> issues)
    implements Serializable {

  public boolean isValid() {
    return status != AccountStatus.REJECTED && status != AccountStatus.DATA_ERROR;
  }

  static AccountMargin invalid(Account a, AccountStatus status, String reason, List<Issue> issues) {
    return new AccountMargin(a.accountId(), a.parentId(), a.marginMode(), a.marginCurrency(), status, reason,
        null, null, null, null, null, null, null, null, null, null, List.of(), List.copyOf(issues));
  }
}
