package io.riskgrid.valuation;

import io.riskgrid.instrument.Instrument;

/**
 * The value of one contract in its settlement currency (USD for linear, coin for inverse; DESIGN §3.2):
 * the formulas every valuer shares, so the inverse conversion and the unrealised P&amp;L have one
 * definition. Pure functions of their arguments; prices are USD per coin.
 */
public final class ContractValue {
  private ContractValue() {}

  /**
   * An option's mark per contract from its Black-76 value {@code usdPrice} (USD per coin) at forward
   * {@code forward}: m·V linear, m·V/F inverse (Deribit's coin mark price times m).
   */
  public static double optionMark(Instrument option, double usdPrice, double forward) {
    return option.multiplier() * usdPrice * toSettlement(option, forward);
  }

  /** The factor from a USD amount per coin to the instrument's settlement currency: 1, or 1/F for inverse. */
  public static double toSettlement(Instrument instrument, double forward) {
    return instrument.isInverse() ? 1.0 / forward : 1.0;
  }

  /**
   * Unrealised P&amp;L of {@code quantity} contracts of a future or perpetual entered at {@code entry} and
   * marked at {@code price} (USD per coin): q·m·(price − entry) linear, q·N·(1/entry − 1/price) inverse
   * (coin). With q = 1 and entry = the unshocked price this is the P&amp;L matrix row of a scenario.
   */
  public static double deltaOneValue(Instrument instrument, double quantity, double entry, double price) {
    double m = instrument.multiplier();
    return instrument.isInverse() ? quantity * m * (1 / entry - 1 / price) : quantity * m * (price - entry);
  }

  /**
   * An option's P&amp;L per contract from value {@code basePrice} at forward {@code baseForward} to value
   * {@code shockedPrice} at {@code shockedForward} (all USD per coin): m·(V' − V) linear, m·(V'/F' − V/F)
   * inverse.
   */
  public static double optionPnl(Instrument option, double basePrice, double baseForward, double shockedPrice,
      double shockedForward) {
    double m = option.multiplier();
    return option.isInverse() ? m * (shockedPrice / shockedForward - basePrice / baseForward)
        : m * (shockedPrice - basePrice);
  }

  /**
   * An expired option settled on the index {@code settlementIndex} S* (USD per coin), per contract:
   * m·max(0, ±(S* − K)) linear, divided by S* for inverse.
   */
  public static double settledOption(Instrument option, double settlementIndex) {
    double intrinsic = option.isCall() ? Math.max(0, settlementIndex - option.strike())
        : Math.max(0, option.strike() - settlementIndex);
    return option.isInverse() ? option.multiplier() * intrinsic / settlementIndex : option.multiplier() * intrinsic;
  }
}
