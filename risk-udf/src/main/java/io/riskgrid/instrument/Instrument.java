package io.riskgrid.instrument;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One listed contract, validated at construction.
 *
 * <p>{@code multiplier} is m, coin per contract, for linear instruments and inverse options, and N,
 * USD notional per contract, for inverse futures and perpetuals (DESIGN §3.2). {@code strike} is in
 * USD per coin and NaN for non-options; {@code expiry} is null for perpetuals (any given expiry of a
 * perpetual is ignored), and {@code optionType} is null for non-options.
 */
public record Instrument(String id, String underlying, InstrumentKind kind, Settlement settlement,
    OptionType optionType, double strike, Instant expiry, double multiplier) implements Serializable {

  public Instrument {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("instrument_id", "is missing");
    }
    String where = "instrument " + id;
    if (underlying == null || underlying.isBlank()) {
      throw new InvalidInputException(where + ".underlying", "is missing");
    }
    Objects.requireNonNull(kind, where + ".kind");
    Objects.requireNonNull(settlement, where + ".settlement");
    InvalidInputException.requirePositive(where + ".multiplier", multiplier);
    if (kind == InstrumentKind.PERPETUAL) {
      expiry = null;
    } else if (expiry == null) {
      throw new InvalidInputException(where + ".expiry", "a " + kind + " needs an expiry (UTC instant)");
    }
    if (kind == InstrumentKind.OPTION) {
      if (optionType == null) {
        throw new InvalidInputException(where + ".option_type", "an OPTION needs CALL or PUT");
      }
      InvalidInputException.requirePositive(where + ".strike", strike);
    } else {
      optionType = null;
      strike = Double.NaN;
    }
  }

  public static Instrument future(String id, String underlying, Settlement settlement, Instant expiry, double multiplier) {
    return new Instrument(id, underlying, InstrumentKind.FUTURE, settlement, null, Double.NaN, expiry, multiplier);
  }

  public static Instrument perpetual(String id, String underlying, Settlement settlement, double multiplier) {
    return new Instrument(id, underlying, InstrumentKind.PERPETUAL, settlement, null, Double.NaN, null, multiplier);
  }

  public static Instrument option(String id, String underlying, Settlement settlement, OptionType type,
      double strike, Instant expiry, double multiplier) {
    return new Instrument(id, underlying, InstrumentKind.OPTION, settlement, type, strike, expiry, multiplier);
  }

  public boolean isOption() {
    return kind == InstrumentKind.OPTION;
  }

  public boolean isInverse() {
    return settlement == Settlement.INVERSE;
  }

  public boolean isCall() {
    return optionType == OptionType.CALL;
  }
}
