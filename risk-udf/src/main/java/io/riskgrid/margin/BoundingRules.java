package io.riskgrid.margin;

import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-underlying figures that bound an account's margin in magnitude, computed without the margin rules'
 * passes over the grid, for {@link MarginCalculator#valueAll}: when all of them are finite, so are the
 * margin's, and the account is valid without the scan (or the expected shortfall) of its 3,063 joint
 * windows. Shares the per-account sums, scenario data and add-ons of {@link UnderlyingRules}; one
 * instance per {@link UnderlyingRules}, so one per thread.
 */
final class BoundingRules {
  private final ValuedBook book;
  private final MarginPolicy policy;
  private final UnderlyingRules shared;
  /** Per underlying, the largest of {@link UnderlyingRules#lossWeights(int)}; NaN until first used. */
  private final double[] largestWeights;

  BoundingRules(ValuedBook book, MarginPolicy policy, UnderlyingRules shared) {
    this.book = book;
    this.policy = policy;
    this.shared = shared;
    this.largestWeights = new double[book.underlyings().size()];
    Arrays.fill(largestWeights, Double.NaN);
  }

  /**
   * Per touched underlying, figures no smaller in magnitude than the margin's: {@code scanLoss} is
   * B_u = max_k |RA_u[k]| × max(1, largest loss weight) × 2t, t the tail size of a historical-es policy
   * (1 for the scan). It bounds the scan loss (the largest −RA·weight) and the magnitude of an Euler share
   * (a mean of −RA_u over t windows) together with every partial sum the share is computed from, with room
   * to spare for rounding (the factor 2). {@code mm} is B_u + C_opt + C_fut + SOM, which bounds either
   * rule's MM_u (max(L + C_opt + C_fut, SOM); or one of SOM_u, the share, 0). B_u is NaN or infinite when
   * an entry of RA_u is. Every other figure is the margin's own, so the account's sums, products and
   * ratios of these bound the margin's in magnitude, and this margin's figures are all finite only if the
   * real margin's are. Never a margin to be read or written.
   */
  List<UnderlyingMargin> perUnderlying(Account a, AccountValidator.Validated v, UnderlyingRules.Sums s, double[] wide,
      int offset) {
    PnlMatrix pnl = book.pnl();
    shared.collateralCoins(a, v, s, s.collateralCoin, s.collateralScenarioCoin);
    List<UnderlyingMargin> out = new ArrayList<>();
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (s.touched[u]) {
        double toCurrency = v.coinAccount() ? 1.0 / book.spot(u) : 1.0;
        int n = book.grid(u).size();
        double tail = policy.expectedShortfall() == null ? 1 : policy.expectedShortfall().tailSize(n);
        double largest = largestMagnitude(u, wide, offset + pnl.columnOffset(u), s.collateralScenarioCoin[u])
            * Math.max(1.0, largestWeight(u)) * 2 * tail;
        double cOpt = shared.optionContingency(u, s, toCurrency);
        double cFut = shared.futuresContingency(u, s, toCurrency);
        double som = shared.shortOptionMinimum(u, s, toCurrency);
        out.add(new UnderlyingMargin(book.underlyings().get(u), largest, null, cOpt, cFut, som,
            largest + cOpt + cFut + som, s.delta[u] + s.collateralCoin[u], s.gamma[u], s.vega[u], s.theta[u],
            shared.labels(u), UnderlyingRules.NO_RISK_ARRAY, List.of()));
      }
    }
    return out;
  }

  /**
   * max_k |RA_u[k]| over underlying u's risk array, entry by entry as {@link UnderlyingRules#riskArray}
   * would hold it, read from the kernel's sums {@code wide[from ..)}; NaN or +Infinity when an entry is not
   * finite ({@link Math#max} keeps a NaN).
   */
  private double largestMagnitude(int u, double[] wide, int from, double collateralScenarioCoin) {
    double spot = book.spot(u);
    int n = book.grid(u).size();
    double largest = 0;
    if (UnderlyingRules.movesCollateral(collateralScenarioCoin, spot)) {
      double[] shock = shared.priceShocks(u);
      for (int k = 0; k < n; k++) {
        largest = Math.max(largest, Math.abs(wide[from + k] + collateralScenarioCoin * spot * shock[k]));
      }
    } else {
      for (int k = 0; k < n; k++) {
        largest = Math.max(largest, Math.abs(wide[from + k]));
      }
    }
    return largest;
  }

  /** The largest weight of underlying u's scan, found on first use and kept. */
  private double largestWeight(int u) {
    if (Double.isNaN(largestWeights[u])) {
      double largest = 0;
      for (double w : shared.lossWeights(u)) {
        largest = Math.max(largest, w);
      }
      largestWeights[u] = largest;
    }
    return largestWeights[u];
  }
}
