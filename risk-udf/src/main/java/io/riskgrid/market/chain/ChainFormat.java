package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import java.util.Locale;

/** The option-chain file formats that {@code import market} reads (DESIGN §7.1). */
public enum ChainFormat {
  /**
   * Book summary, one row per option: instrument, underlying, expiry (ISO instant), strike (USD),
   * option_type (call|put), mark_iv (percent), mark_price (coin), underlying_price (USD forward of the
   * expiry), index_price (USD), open_interest (contracts). The shipped Deribit chains.
   */
  CHAIN("chain"),
  /**
   * The {@code options_chain} CSV of historical-data vendors: exchange, symbol, timestamp (µs), type,
   * strike_price, expiration (µs), open_interest, mark_price (coin), mark_iv (percent),
   * underlying_index, underlying_price, and more columns that are ignored. Many rows per symbol over
   * time: the latest at or before the valuation instant is the snapshot. It carries no index price.
   */
  OPTIONS_CHAIN("options-chain");

  private final String cliName;

  ChainFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name on the command line: {@code chain} or {@code options-chain}. */
  public String cliName() {
    return cliName;
  }

  public static ChainFormat parse(String field, String text) {
    for (ChainFormat f : values()) {
      if (f.cliName.equals(text == null ? null : text.trim().toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new InvalidInputException(field, "unknown chain format '" + text + "'; expected chain or options-chain");
  }
}
