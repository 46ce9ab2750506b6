package io.riskgrid.margin;

import java.io.Serializable;

/**
 * What a stress run reads of one account in place of its margin ({@link MarginCalculator#valueAll}):
 * its equity in its margin currency, or, for an account that has no figures, why: {@code error} is
 * REJECTED or DATA_ERROR, exactly when its {@link AccountMargin} says so, with the same reason; null for a
 * valid account. Its P&amp;L per scenario is read from the calculator ({@link MarginCalculator#scenarioPnl}).
 */
public record AccountValuation(String accountId, String marginCurrency, Double equity, AccountStatus error,
    String reason) implements Serializable {

  public AccountValuation {
    if ((error == null) == (equity == null)) {
      throw new IllegalArgumentException("account " + accountId + ": a valuation has an equity or an error, not "
          + (error == null ? "neither" : "both"));
    }
    if (error != null && error != AccountStatus.REJECTED && error != AccountStatus.DATA_ERROR) {
      throw new IllegalArgumentException("account " + accountId + ": error must be REJECTED or DATA_ERROR, not " + error);
    }
  }

  /** The valuation a margin implies: its equity, or its REJECTED/DATA_ERROR status and reason. */
  public static AccountValuation of(AccountMargin m) {
    return m.isValid() ? new AccountValuation(m.accountId(), m.marginCurrency(), m.equity(), null, null)
        : new AccountValuation(m.accountId(), m.marginCurrency(), null, m.status(), m.reason());
  }

  public boolean isValid() {
    return error == null;
  }
}
