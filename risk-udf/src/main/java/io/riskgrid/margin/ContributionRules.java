package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.MarginRules;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.valuation.ValuedBook;
import java.util.List;

/**
 * Contributions (DESIGN §7.3): an underlying's MM_u attributed to the account's positions and collateral,
 * for the scan ({@link UnderlyingRules}) and the historical-es margin ({@link ExpectedShortfallRules}) alike.
 * Made only when the margins carry contributions. Reuses scratch arrays: one instance per thread.
 */
final class ContributionRules {
  private final MarginPolicy policy;
  private final ValuedBook book;
  private final RuleTables tables;
  /** bucketStamp[b] == stamp marks bucket b as touched by the current call: O(1), no clearing. */
  private final int[] bucketStamp;
  private int stamp;
  /** Per bucket, net coin quantity and Σ|q|·m of the account's positions on the underlying. */
  private final double[] attributionNet;
  private final double[] attributionWeight;
  /** The current call's sources, by instrument row. */
  private final ContributionSources sources;

  ContributionRules(InstrumentBook book) {
    this.policy = book.policy();
    this.book = book.valued();
    this.tables = book.rules;
    this.bucketStamp = new int[tables.bucketCount];
    this.attributionNet = new double[tables.bucketCount];
    this.attributionWeight = new double[tables.bucketCount];
    this.sources = new ContributionSources(this.book.instrumentCount());
  }

  /**
   * Each position's and collateral asset's part of MM_u (DESIGN §7.3), merged by source and sorted by
   * decreasing absolute value. When the scan loss binds (MM_u = L + C_opt + C_fut): the loss at the
   * scenario s* that attains L, −q·PnL_i(s*) (× cover for an EXTREME s*; collateral its own revalued loss),
   * plus C_opt attributed to the options of each (expiry, strike) bucket and C_fut to the futures of
   * each bucket, pro rata |q|·m. When the short option minimum binds (MM_u = SOM > L + C_opt + C_fut):
   * SOM attributed to the short options of the side that sets it (calls or puts; both on a tie), pro
   * rata |q|·m. Σ contributions = MM_u up to the rounding of the sum. s* is the first scenario whose loss
   * is exactly L; {@code binding_scenario} names the first within the agreement tolerance of L, so the two
   * differ only where two scenarios' losses agree to that tolerance (a label stable across kernels).
   */
  List<Contribution> of(Account a, AccountValidator.Validated v, int u, int[] scenarios, double weight,
      boolean somBinds, double toCurrency, double collateralScenarioCoin) {
    PnlMatrix pnl = book.pnl();
    ScenarioGrid grid = book.grid(u);
    double spot = book.spot(u);
    MarginRules rules = policy.margin();
    List<Position> positions = a.positions();
    stamp++;
    double shortCalls = 0;
    double shortPuts = 0;
    for (int j = 0; j < positions.size(); j++) {
      int i = v.rows()[j];
      if (pnl.underlyingOf(i) != u) {
        continue;
      }
      double q = positions.get(j).quantity();
      Instrument ins = book.instrument(i);
      int bucket = tables.bucket[i];
      if (bucketStamp[bucket] != stamp) {
        bucketStamp[bucket] = stamp;
        attributionNet[bucket] = 0;
        attributionWeight[bucket] = 0;
      }
      attributionNet[bucket] += q * book.coinPerContract(i);
      attributionWeight[bucket] += Math.abs(q) * ins.multiplier();
      if (ins.isOption() && q < 0) {
        if (ins.isCall()) {
          shortCalls += -q * ins.multiplier();
        } else {
          shortPuts += -q * ins.multiplier();
        }
      }
    }
    double somSide = Math.max(shortCalls, shortPuts);
    sources.clear();
    for (int j = 0; j < positions.size(); j++) {
      int i = v.rows()[j];
      if (pnl.underlyingOf(i) != u) {
        continue;
      }
      double q = positions.get(j).quantity();
      Instrument ins = book.instrument(i);
      double share = Math.abs(q) * ins.multiplier();
      double c;
      if (somBinds) {
        boolean chargedSide = ins.isOption() && q < 0
            && ((ins.isCall() ? shortCalls : shortPuts) == somSide);
        double sideTotal = shortCalls == shortPuts ? shortCalls + shortPuts : somSide;
        c = chargedSide ? rules.shortOptionMinimumRate() * spot * somSide * toCurrency * share / sideTotal : 0.0;
      } else {
        int bucket = tables.bucket[i];
        double bucketCharge = ins.isOption()
            ? rules.optionContingencyRate() * spot * Math.max(0, -attributionNet[bucket]) * toCurrency
            : rules.futuresContingencyRate() * spot * Math.abs(attributionNet[bucket]) * toCurrency;
        double addOn = bucketCharge == 0 ? 0.0 : bucketCharge * share / attributionWeight[bucket];
        // Evaluated as (−q·ΣPnL)·weight: for one scenario, bit for bit the scan method's −q·PnL·cover.
        c = -q * pnlSum(pnl, i, scenarios) * weight + addOn;
      }
      sources.addInstrument(i, ins.id(), c);
    }
    if (collateralScenarioCoin != 0 && scenarios.length > 0 && !somBinds) {
      double shocks = 0;
      for (int k : scenarios) {
        shocks += grid.get(k).priceShock();
      }
      sources.addNamed(book.underlyings().get(u), -collateralScenarioCoin * spot * shocks * weight);
    }
    return sources.largestFirst();
  }

  /** Σ over {@code scenarios} of instrument i's P&amp;L per contract (0 for none). */
  private static double pnlSum(PnlMatrix pnl, int i, int[] scenarios) {
    double sum = 0;
    for (int k : scenarios) {
      sum += pnl.get(i, k);
    }
    return sum;
  }
}
