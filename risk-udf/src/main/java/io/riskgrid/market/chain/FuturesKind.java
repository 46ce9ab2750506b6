package io.riskgrid.market.chain;

import java.util.Locale;

/** Rows of a futures file: the index, a perpetual, a listed dated future, or a synthetic forward. */
public enum FuturesKind {
  INDEX, PERPETUAL, FUTURE, SYNTHETIC;

  /** The kind named (case-insensitive), or null when unknown. */
  static FuturesKind parse(String text) {
    try {
      return text == null ? null : valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
