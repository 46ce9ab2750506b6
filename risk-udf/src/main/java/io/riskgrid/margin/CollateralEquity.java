package io.riskgrid.margin;

import io.riskgrid.policy.CollateralRules;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The collateral part of an account's equity, in its margin currency (DESIGN §3.4 Equity): a USD
 * account's positive balances after their haircut and its loans in full, coins at their index and
 * stablecoins at 1 USD; a coin account's own coin at face value. The engine's equity and the
 * backtest's revaluation both count collateral here.
 */
public final class CollateralEquity {
  private CollateralEquity() {}

  /**
   * @param usdIndex the index S of a coin asset, USD per coin; it may throw when the market has none
   * @throws io.riskgrid.InvalidInputException when a USD account holds a non-stablecoin asset the policy
   *     has no haircut for
   */
  public static double of(List<CollateralBalance> balances, MarginCurrency currency, CollateralRules rules,
      ToDoubleFunction<String> usdIndex) {
    double equity = 0;
    for (CollateralBalance c : balances) {
      double q = c.quantity();
      if (q == 0) {
        continue;
      }
      if (currency.isCoin()) {
        equity += q;
        continue;
      }
      String asset = normalisedAsset(c);
      double price = rules.isStablecoin(asset) ? 1.0 : usdIndex.applyAsDouble(asset);
      equity += rules.balanceAfterHaircut(asset, q) * price;
    }
    return equity;
  }

  /** A balance's asset code, trimmed and upper case, as policies and markets name it. */
  public static String normalisedAsset(CollateralBalance balance) {
    return balance.asset() == null ? "" : balance.asset().trim().toUpperCase(Locale.ROOT);
  }
}
