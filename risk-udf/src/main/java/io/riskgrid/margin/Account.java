package io.riskgrid.margin;

import java.io.Serializable;
import java.util.List;

/**
 * One margin account as input, before validation: {@code marginMode} is PORTFOLIO or STANDARD and
 * {@code marginCurrency} USD or a coin. Bad values are not thrown here: the calculator reports them as
 * a REJECTED row with a reason, because one bad account must not stop a run of millions.
 * {@code parentId} is null for an account that is its own member.
 */
public record Account(String accountId, String parentId, String marginMode, String marginCurrency,
    List<Position> positions, List<CollateralBalance> collateral) implements Serializable {

  public Account {
    positions = List.copyOf(positions);
    collateral = List.copyOf(collateral);
  }
}
