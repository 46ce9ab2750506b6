package io.riskgrid.instrument;

import io.riskgrid.InvalidInputException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deribit instrument names as {@link Instrument}s (DESIGN §3.2, §7.1). The forms:
 * <ul>
 *   <li>{@code BTC-PERPETUAL}, {@code BTC-27MAR26}: inverse perpetual and dated future; N, USD per
 *       contract, is Deribit's face value (10 USD for BTC, 1 USD for ETH; other coins have none known);
 *   <li>{@code BTC-27MAR26-60000-C}: inverse option, m = 1 coin per contract;
 *   <li>{@code BTC_USDC-PERPETUAL}, {@code BTC_USDC-27MAR26}, {@code ETH_USDC-27MAR26-3000-P}: linear
 *       (USDC-settled), m = 1 coin per contract, because Deribit states linear sizes in the coin
 *       ({@code size} 0.5 is half a coin); a strike may use {@code d} for the decimal point
 *       ({@code XRP_USDC-27MAR26-0d625-C}).
 * </ul>
 * Every dated instrument expires at 08:00 UTC of its date. A name of any other shape is an
 * {@link InvalidInputException} naming it and the forms accepted.
 */
public final class DeribitNames {
  /** Deribit's expiry time of day, UTC. */
  public static final LocalTime EXPIRY_TIME = LocalTime.of(8, 0);
  /** m of an inverse option, coin per contract. */
  public static final double INVERSE_OPTION_COIN_PER_CONTRACT = 1.0;
  /** m of a linear instrument, coin per contract: Deribit's linear sizes are in the coin. */
  public static final double LINEAR_COIN_PER_CONTRACT = 1.0;
  private static final Map<String, Double> INVERSE_FUTURE_USD_PER_CONTRACT = Map.of("BTC", 10.0, "ETH", 1.0);
  private static final String FORMS = "expected COIN-PERPETUAL, COIN-DDMMMYY, COIN-DDMMMYY-STRIKE-C|P, with COIN_USDC for "
      + "the linear variants (e.g. BTC-27MAR26-60000-C, BTC_USDC-PERPETUAL)";
  private static final Pattern BASE = Pattern.compile("([A-Z0-9]+)(_USDC)?");
  private static final Pattern DATE = Pattern.compile("(\\d{1,2})([A-Z]{3})(\\d{2})");
  private static final Pattern STRIKE = Pattern.compile("\\d+(d\\d+)?");
  private static final Map<String, Month> MONTHS = Map.ofEntries(Map.entry("JAN", Month.JANUARY),
      Map.entry("FEB", Month.FEBRUARY), Map.entry("MAR", Month.MARCH), Map.entry("APR", Month.APRIL),
      Map.entry("MAY", Month.MAY), Map.entry("JUN", Month.JUNE), Map.entry("JUL", Month.JULY),
      Map.entry("AUG", Month.AUGUST), Map.entry("SEP", Month.SEPTEMBER), Map.entry("OCT", Month.OCTOBER),
      Map.entry("NOV", Month.NOVEMBER), Map.entry("DEC", Month.DECEMBER));

  private DeribitNames() {}

  /** N, USD per contract, of an inverse future or perpetual on {@code coin}, when Deribit's is known. */
  public static OptionalDouble inverseFutureUsdPerContract(String coin) {
    Double n = INVERSE_FUTURE_USD_PER_CONTRACT.get(coin);
    return n == null ? OptionalDouble.empty() : OptionalDouble.of(n);
  }

  /** The instrument {@code name} denotes; the id is the name as given. */
  public static Instrument parse(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("instrument_name", "is missing");
    }
    String[] parts = name.split("-", -1);
    Matcher base = BASE.matcher(parts[0]);
    if (!base.matches() || (parts.length != 2 && parts.length != 4)) {
      throw bad(name, "not of a known form");
    }
    String coin = base.group(1);
    boolean linear = base.group(2) != null;
    Settlement settlement = linear ? Settlement.LINEAR : Settlement.INVERSE;
    if (parts.length == 2 && parts[1].equals("PERPETUAL")) {
      return Instrument.perpetual(name, coin, settlement, futureMultiplier(name, coin, linear));
    }
    java.time.Instant expiry = expiry(name, parts[1]);
    if (parts.length == 2) {
      return Instrument.future(name, coin, settlement, expiry, futureMultiplier(name, coin, linear));
    }
    if (!STRIKE.matcher(parts[2]).matches()) {
      throw bad(name, "strike '" + parts[2] + "' is not a number (digits, with d for a decimal point)");
    }
    double strike = Double.parseDouble(parts[2].replace('d', '.'));
    if (!(strike > 0)) {
      throw bad(name, "strike must be > 0");
    }
    OptionType type = switch (parts[3]) {
      case "C" -> OptionType.CALL;
      case "P" -> OptionType.PUT;
      default -> throw bad(name, "option type '" + parts[3] + "' must be C or P");
    };
    return Instrument.option(name, coin, settlement, type, strike, expiry,
        linear ? LINEAR_COIN_PER_CONTRACT : INVERSE_OPTION_COIN_PER_CONTRACT);
  }

  private static double futureMultiplier(String name, String coin, boolean linear) {
    if (linear) {
      return LINEAR_COIN_PER_CONTRACT;
    }
    return inverseFutureUsdPerContract(coin).orElseThrow(() -> bad(name, "no known USD face value per contract for "
        + "inverse futures on " + coin + " (known: " + new java.util.TreeSet<>(INVERSE_FUTURE_USD_PER_CONTRACT.keySet()) + ")"));
  }

  private static java.time.Instant expiry(String name, String text) {
    Matcher m = DATE.matcher(text);
    if (!m.matches()) {
      throw bad(name, "'" + text + "' is neither PERPETUAL nor a date like 27MAR26");
    }
    Month month = MONTHS.get(m.group(2).toUpperCase(Locale.ROOT));
    if (month == null) {
      throw bad(name, "unknown month '" + m.group(2) + "'");
    }
    try {
      LocalDate day = LocalDate.of(2000 + Integer.parseInt(m.group(3)), month, Integer.parseInt(m.group(1)));
      return day.atTime(EXPIRY_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw bad(name, "'" + text + "' is not a calendar date");
    }
  }

  private static InvalidInputException bad(String name, String why) {
    return new InvalidInputException("instrument name '" + name + "'", why + "; " + FORMS);
  }
}
