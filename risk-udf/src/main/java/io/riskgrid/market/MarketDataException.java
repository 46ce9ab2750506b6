package io.riskgrid.market;

import io.riskgrid.InvalidInputException;

/** Market data that cannot value a held instrument: the account becomes {@code DATA_ERROR}, never margin 0. */
public final class MarketDataException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public MarketDataException(String field, String message) {
    super(field, message);
  }
}
