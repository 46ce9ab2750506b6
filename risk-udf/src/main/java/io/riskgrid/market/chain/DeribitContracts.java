package io.riskgrid.market.chain;

import io.riskgrid.instrument.DeribitNames;
import java.util.OptionalDouble;

/**
 * Contract sizes of Deribit's coin-settled instruments (DESIGN §3.2), as {@link DeribitNames} knows them:
 * every inverse option is 1 coin (m); inverse futures and perpetuals have a USD face value N per
 * contract, 10 USD for BTC and 1 USD for ETH. Futures of another underlying have no known size, so no
 * instrument is made for them.
 */
final class DeribitContracts {
  /** m, coin per inverse option contract. */
  static final double OPTION_COIN_PER_CONTRACT = DeribitNames.INVERSE_OPTION_COIN_PER_CONTRACT;

  private DeribitContracts() {}

  /** N, USD per inverse future or perpetual contract of the underlying, when known. */
  static OptionalDouble futureUsdPerContract(String underlying) {
    return DeribitNames.inverseFutureUsdPerContract(underlying);
  }
}
