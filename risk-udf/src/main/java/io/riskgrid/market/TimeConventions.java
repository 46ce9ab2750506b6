package io.riskgrid.market;

import io.riskgrid.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Valuation-time conventions of DESIGN §3: year fractions in ACT/365 seconds, UTC instants only. */
public final class TimeConventions {
  /** Seconds in the 365-day year that every T is measured in. */
  public static final double SECONDS_PER_YEAR = 365.0 * 86400.0;
  /** An expiry given as a date alone is at 08:00:00Z, as on Deribit. */
  public static final int DEFAULT_EXPIRY_HOUR_UTC = 8;

  private TimeConventions() {}

  /** T = (expiry − asOf) in seconds / (365·86400), unrounded; negative when expired. */
  public static double yearFraction(Instant asOf, Instant expiry) {
    long seconds = expiry.getEpochSecond() - asOf.getEpochSecond();
    double nanos = expiry.getNano() - asOf.getNano();
    return (seconds + nanos * 1e-9) / SECONDS_PER_YEAR;
  }

  /**
   * Parses an instant with an explicit zone ({@code 2026-01-05T08:00:00Z}, {@code ...+00:00}), or a
   * bare date, which means 08:00:00Z. A date-time without a zone is rejected: guessing the zone shifts T.
   */
  public static Instant parseInstant(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(field, "is missing");
    }
    String t = text.trim();
    if (t.length() == 10) {
      try {
        return LocalDate.parse(t).atTime(DEFAULT_EXPIRY_HOUR_UTC, 0).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new InvalidInputException(field, "not a date (YYYY-MM-DD): '" + text + "'");
      }
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field,
          "not a UTC instant with a zone (e.g. 2026-01-05T08:00:00Z): '" + text + "'; timestamps without a zone are rejected");
    }
  }
}
