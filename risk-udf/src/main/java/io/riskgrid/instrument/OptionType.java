package io.riskgrid.instrument;

import io.riskgrid.InvalidInputException;
import java.util.Locale;

/** European option type. */
public enum OptionType {
  CALL, PUT;

  public static OptionType parse(String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, "is missing; expected CALL or PUT");
    }
    switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "CALL": case "C": return CALL;
      case "PUT": case "P": return PUT;
      default: throw new InvalidInputException(field, "unknown option type '" + text + "'; expected CALL or PUT");
    }
  }
}
