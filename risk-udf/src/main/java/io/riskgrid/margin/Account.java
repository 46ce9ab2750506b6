package io.riskgrid.margin;

import java.io.Serializable;
import java.util.List;

/**
 * One margin account as input, before validation: {@code marginMode} is PORTFOLIO or STANDARD and
 * {@code marginCurrency} USD or a coin. Bad values are not thrown here: the calculator reports them as
 * a REJECTED row with a reason, because one bad account must not stop a run of millions.
 * {@code parentId} is null for an account that is its own member. {@code inputReject} is why its input as
 * a whole cannot be margined, found before the engine sees it: {@code import book} rejected a row of it
 * (file, line, reason; DESIGN §7.1), or its account_id has several rows in {@code accounts}; null
 * otherwise. The account is then REJECTED with that reason, whatever its rows, because the rows it holds
 * are not the book that was given.
 */
public record Account(String accountId, String parentId, String marginMode, String marginCurrency,
    List<Position> positions, List<CollateralBalance> collateral, String inputReject) implements Serializable {

  public Account {
    positions = List.copyOf(positions);
    collateral = List.copyOf(collateral);
  }

  /** An account whose input no importer rejected. */
  public Account(String accountId, String parentId, String marginMode, String marginCurrency, List<Position> positions,
      List<CollateralBalance> collateral) {
    this(accountId, parentId, marginMode, marginCurrency, positions, collateral, null);
  }

  /** This account, REJECTED with {@code reason} by the margin run (its import rejected a row of it, or its id repeats). */
  public Account withInputReject(String reason) {
    return new Account(accountId, parentId, marginMode, marginCurrency, positions, collateral, reason);
  }
}
