package io.riskgrid.margin;

import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.List;

/**
 * The margin of a historical-es policy (DESIGN §7.6), per account: the joint loss over every window,
 * its expected shortfall, the short option minimum floor and each underlying's Euler share. It uses the
 * risk arrays, scenario labels and contributions of the scan method's {@link UnderlyingRules}, whose
 * per-account sums it reads; one instance per {@link UnderlyingRules}, so one per thread.
 */
final class ExpectedShortfallRules {
  private final ValuedBook book;
  private final MarginPolicy policy;
  private final boolean contributions;
  private final UnderlyingRules shared;
  /** The tail's candidate indices, reused account after account (a calculator is one thread's). */
  private int[] tailScratch = new int[0];
  /** The account's joint loss per window, reused the same way (as long as {@link #tailScratch}). */
  private double[] jointScratch = new double[0];

  ExpectedShortfallRules(ValuedBook book, MarginPolicy policy, boolean contributions, UnderlyingRules shared) {
    this.book = book;
    this.policy = policy;
    this.contributions = contributions;
    this.shared = shared;
  }

  /**
   * The historical expected-shortfall margin of DESIGN §7.6. Every underlying's grid is the same sequence of
   * joint windows, so the account's joint loss in window j is L_j = −Σ_u RA_u[j]; ES is the mean of the
   * worst ⌈(1 − c)·N⌉ (ties broken by window order) and MM = max(ES, Σ_u SOM_u, 0). Per underlying the
   * row shows its Euler share of ES, the mean of −RA_u over those windows (so the shares add up to ES,
   * and a hedging underlying's share is negative), as {@code scan_loss}, and as {@code mm} when ES binds
   * (SOM_u when Σ SOM binds, 0 when neither is positive); {@code binding_scenario} is the worst window.
   * Contributions split each share by position and collateral the same way (DESIGN §7.3).
   */
  List<UnderlyingMargin> perUnderlying(Account a, AccountValidator.Validated v, UnderlyingRules.Sums s, double[] wide,
      int offset, double[] collateralCoin, double[] collateralScenarioCoin) {
    PnlMatrix pnl = book.pnl();
    List<Integer> touched = new ArrayList<>();
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (s.touched[u]) {
        touched.add(u);
      }
    }
    if (touched.isEmpty()) {
      return List.of();
    }
    int n = book.grid(touched.get(0)).size();
    double[][] ra = new double[pnl.underlyings()][];
    if (tailScratch.length < n) {
      tailScratch = new int[n];
      jointScratch = new double[n];
    }
    // The joint loss lives only until the tail is chosen, so one array serves every account: a fresh
    // 24 KB array per account was fresh (uncached) heap to zero and fill, account after account.
    double[] joint = n == jointScratch.length ? jointScratch : new double[n];
    for (int u : touched) {
      if (book.grid(u).size() != n) {
        throw new IllegalStateException("historical-es grids of one book differ in length: " + n + " and "
            + book.grid(u).size() + " for " + book.underlyings().get(u));
      }
    }
    boolean arrays = shared.riskArrays();
    if (!arrays) {
      jointFromSums(touched, wide, offset, collateralScenarioCoin, joint, n);
      // An entry that is not finite: the arrays after all, so that the account's DATA_ERROR names it.
      arrays = !UnderlyingRules.allFinite(joint, 0, n);
    }
    if (arrays) {
      boolean first = true;
      for (int u : touched) {
        ra[u] = shared.riskArray(u, wide, offset + pnl.columnOffset(u), collateralScenarioCoin[u]);
        double[] r = ra[u];
        if (first) {
          // 0.0 − RA, not −RA: the sum a zeroed array would give, +0 where RA is +0, to the bit.
          for (int j = 0; j < n; j++) {
            joint[j] = 0.0 - r[j];
          }
          first = false;
        } else {
          for (int j = 0; j < n; j++) {
            joint[j] -= r[j];
          }
        }
      }
    }
    int[] tail = ExpectedShortfallTail.worst(joint, policy.expectedShortfall().tailSize(n), tailScratch);
    double es = ExpectedShortfallTail.mean(joint, tail);
    int worstWindow = ExpectedShortfallTail.largest(joint, tail);
    double somSum = 0;
    double[] som = new double[pnl.underlyings()];
    for (int u : touched) {
      som[u] = shared.shortOptionMinimum(u, s, v.coinAccount() ? 1.0 / book.spot(u) : 1.0);
      somSum += som[u];
    }
    boolean somBinds = somSum > es && somSum > 0;
    boolean esBinds = !somBinds && es > 0;
    List<UnderlyingMargin> out = new ArrayList<>();
    for (int u : touched) {
      ScenarioGrid grid = book.grid(u);
      double share = 0;
      if (arrays) {
        for (int j : tail) {
          share -= ra[u][j];
        }
      } else {
        int from = offset + pnl.columnOffset(u);
        double c = collateralScenarioCoin[u];
        double spot = book.spot(u);
        double[] shock = shared.priceShocks(u);
        boolean moves = UnderlyingRules.movesCollateral(c, spot);
        for (int j : tail) {
          share -= moves ? wide[from + j] + c * spot * shock[j] : wide[from + j];
        }
      }
      share /= tail.length;
      double mm = somBinds ? som[u] : esBinds ? share : 0.0;
      List<String> labels = shared.labels(u);
      double toCurrency = v.coinAccount() ? 1.0 / book.spot(u) : 1.0;
      List<Contribution> parts = !contributions ? List.of()
          : shared.contributionRules().of(a, v, u, esBinds ? tail : new int[0], 1.0 / tail.length, somBinds,
              toCurrency, collateralScenarioCoin[u]);
      out.add(new UnderlyingMargin(book.underlyings().get(u), share, esBinds ? grid.get(worstWindow).label() : null, 0.0, 0.0,
          som[u], mm, s.delta[u] + collateralCoin[u], s.gamma[u], s.vega[u], s.theta[u], labels,
          arrays ? ra[u] : UnderlyingRules.NO_RISK_ARRAY, parts));
    }
    return out;
  }

  /**
   * The joint loss L_j = −Σ_u RA_u[j] straight from the kernel's sums, without copying each risk array
   * out first: entry by entry the value {@link UnderlyingRules#riskArray} would hold (the sum, plus the
   * collateral's revaluation where it moves), subtracted in the same order, so L is the same to the bit.
   */
  private void jointFromSums(List<Integer> touched, double[] wide, int offset, double[] collateralScenarioCoin,
      double[] joint, int n) {
    PnlMatrix pnl = book.pnl();
    boolean first = true;
    for (int u : touched) {
      int from = offset + pnl.columnOffset(u);
      double c = collateralScenarioCoin[u];
      double spot = book.spot(u);
      if (UnderlyingRules.movesCollateral(c, spot)) {
        double[] shock = shared.priceShocks(u);
        if (first) {
          for (int j = 0; j < n; j++) {
            joint[j] = 0.0 - (wide[from + j] + c * spot * shock[j]);
          }
        } else {
          for (int j = 0; j < n; j++) {
            joint[j] -= wide[from + j] + c * spot * shock[j];
          }
        }
      } else if (first) {
        for (int j = 0; j < n; j++) {
          joint[j] = 0.0 - wide[from + j];
        }
      } else {
        for (int j = 0; j < n; j++) {
          joint[j] -= wide[from + j];
        }
      }
      first = false;
    }
  }

}
