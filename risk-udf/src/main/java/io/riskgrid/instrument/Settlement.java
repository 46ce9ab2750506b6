package io.riskgrid.instrument;

import io.riskgrid.InvalidInputException;
import java.util.Locale;

/** LINEAR: settles in USD/stablecoin. INVERSE: settles in the underlying coin (Deribit style). */
public enum Settlement {
  LINEAR, INVERSE;

  public static Settlement parse(String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, "is missing; expected LINEAR or INVERSE");
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, "unknown settlement '" + text + "'; expected LINEAR or INVERSE");
    }
  }
}
