package io.riskgrid.instrument;

import io.riskgrid.InvalidInputException;
import java.util.Locale;

/** What an instrument is. Spot holdings are collateral, not an instrument kind (DESIGN §3.2). */
public enum InstrumentKind {
  FUTURE, PERPETUAL, OPTION;

  /** Parses a case-insensitive name, naming the field on failure. */
  public static InstrumentKind parse(String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, "is missing; expected FUTURE, PERPETUAL or OPTION");
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, "unknown kind '" + text + "'; expected FUTURE, PERPETUAL or OPTION");
    }
  }
}
