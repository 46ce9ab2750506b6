package io.riskgrid.margin;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.util.Locale;

/**
 * The currency an account is margined in (DESIGN §3.4): USD, or a coin whose inverse instruments the
 * account holds and in which its figures are stated. The one place that normalises
 * {@code accounts.margin_currency} (trimmed, upper case) and decides "is this a coin account?".
 * Whether a coin code names a listed underlying, and that a stablecoin is no coin, is checked by the
 * validator against the book and the policy.
 */
public record MarginCurrency(String code) implements Serializable {
  public static final MarginCurrency USD = new MarginCurrency("USD");

  public MarginCurrency {
    if (code == null || code.isBlank() || !code.equals(code.trim().toUpperCase(Locale.ROOT))) {
      throw new InvalidInputException("margin_currency", "'" + code + "' is not a normalised currency code");
    }
  }

  /**
   * The currency named by a raw {@code margin_currency} value, trimmed and upper-cased.
   *
   * @throws InvalidInputException naming {@code margin_currency} when it is null or blank
   */
  public static MarginCurrency parse(String raw) {
    if (USD.code.equals(raw)) {
      return USD; // the common case, called per account in stage 2
    }
    if (raw == null || raw.isBlank()) {
      throw new InvalidInputException("margin_currency", "'" + raw + "' must be USD or a coin (e.g. BTC)");
    }
    String code = raw.trim().toUpperCase(Locale.ROOT);
    return code.equals(USD.code) ? USD : new MarginCurrency(code);
  }

  /** True for a coin-margined account: figures in coin, inverse instruments of that coin only. */
  public boolean isCoin() {
    return !USD.code.equals(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
