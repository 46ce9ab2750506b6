package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.MarginRules;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.valuation.ContractValue;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-underlying rules of DESIGN §3.4: scan loss with extreme cover, option and futures
 * contingencies, short option minimum, MM_u, and the Greeks. Add-ons are computed in USD at the
 * unshocked S and divided by S for coin accounts. Reuses scratch arrays: one instance per thread.
 */
final class UnderlyingRules {
  private final MarginPolicy policy;
  private final ValuedBook book;
  private final RuleTables tables;
  private final double[] bucketNet;
  private final int[] touchedBuckets;
  /** bucketStamp[b] == stamp marks bucket b as touched by the current account: O(1), no clearing. */
  private final int[] bucketStamp;
  private int stamp;

  UnderlyingRules(InstrumentBook book) {
    this.policy = book.policy();
    this.book = book.valued();
    this.tables = book.rules;
    this.bucketNet = new double[tables.bucketCount];
    this.touchedBuckets = new int[tables.bucketCount];
    this.bucketStamp = new int[tables.bucketCount];
  }

  /** Per-account sums over positions, per underlying index. */
  static final class Sums {
    final boolean[] touched;
    final double[] delta;
    final double[] gamma;
    final double[] vega;
    final double[] theta;
    final double[] notionalUsd;
    final double[] optionShortfall;
    final double[] futuresNet;
    final double[] shortCalls;
    final double[] shortPuts;
    double positionEquity;
    double standardIm;
    double standardMm;

    Sums(int underlyings) {
      touched = new boolean[underlyings];
      delta = new double[underlyings];
      gamma = new double[underlyings];
      vega = new double[underlyings];
      theta = new double[underlyings];
      notionalUsd = new double[underlyings];
      optionShortfall = new double[underlyings];
      futuresNet = new double[underlyings];
      shortCalls = new double[underlyings];
      shortPuts = new double[underlyings];
    }
  }

  Sums accumulate(Account a, AccountValidator.Validated v) {
    PnlMatrix pnl = book.pnl();
    Sums s = new Sums(pnl.underlyings());
    int touchedCount = 0;
    stamp++;
    List<Position> positions = a.positions();
    for (int j = 0; j < positions.size(); j++) {
      int i = v.rows()[j];
      double q = positions.get(j).quantity();
      Instrument ins = book.instrument(i);
      int u = pnl.underlyingOf(i);
      s.touched[u] = true;
      s.delta[u] += q * book.delta(i);
      s.gamma[u] += q * book.gamma(i);
      s.vega[u] += q * book.vega(i);
      s.theta[u] += q * book.theta(i);
      s.notionalUsd[u] += Math.abs(q) * book.notionalUsd(i);
      int bucket = tables.bucket[i];
      if (bucketStamp[bucket] != stamp) {
        bucketStamp[bucket] = stamp;
        touchedBuckets[touchedCount++] = bucket;
      }
      bucketNet[bucket] += q * book.coinPerContract(i);
      if (ins.isOption()) {
        s.positionEquity += q * book.markValue(i);
        if (q < 0) {
          if (ins.isCall()) {
            s.shortCalls[u] += -q * ins.multiplier();
          } else {
            s.shortPuts[u] += -q * ins.multiplier();
          }
        }
      } else {
        s.positionEquity += ContractValue.deltaOneValue(ins, q, positions.get(j).entryPrice(), book.forward(i));
      }
      s.standardIm += Math.abs(q) * (q >= 0 ? tables.standardImLong[i] : tables.standardImShort[i]);
      s.standardMm += Math.abs(q) * (q >= 0 ? tables.standardMmLong[i] : tables.standardMmShort[i]);
    }
    for (int t = 0; t < touchedCount; t++) {
      int bucket = touchedBuckets[t];
      int u = tables.bucketUnderlying[bucket];
      if (tables.bucketIsOption[bucket]) {
        s.optionShortfall[u] += Math.max(0, -bucketNet[bucket]);
      } else {
        s.futuresNet[u] += Math.abs(bucketNet[bucket]);
      }
      bucketNet[bucket] = 0;
    }
    return s;
  }

  List<UnderlyingMargin> perUnderlying(Account a, AccountValidator.Validated v, Sums s, double[] wide, int offset) {
    PnlMatrix pnl = book.pnl();
    double[] collateralCoin = new double[pnl.underlyings()];
    double[] collateralScenarioCoin = new double[pnl.underlyings()];
    if (!v.coinAccount()) {
      for (CollateralBalance c : a.collateral()) {
        String asset = CollateralEquity.normalisedAsset(c);
        if (c.quantity() == 0 || policy.collateral().isStablecoin(asset)) {
          continue;
        }
        int u = book.underlyingIndexOf(asset);
        s.touched[u] = true;
        collateralCoin[u] += c.quantity();
        // Haircut positive balances in the scenario P&L too; a loan moves in full (wrong-way risk).
        collateralScenarioCoin[u] += policy.collateral().balanceAfterHaircut(asset, c.quantity());
      }
    }
    List<UnderlyingMargin> out = new ArrayList<>();
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (s.touched[u]) {
        out.add(underlying(u, v.coinAccount(), s, wide, offset + pnl.columnOffset(u), collateralCoin[u],
            collateralScenarioCoin[u]));
      }
    }
    return out;
  }

  private UnderlyingMargin underlying(int u, boolean coinAccount, Sums s, double[] wide, int from,
      double collateralCoin, double collateralScenarioCoin) {
    ScenarioGrid grid = book.grid(u);
    double spot = book.spot(u);
    int n = grid.size();
    double[] ra = Arrays.copyOfRange(wide, from, from + n);
    List<String> labels = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      Scenario sc = grid.get(k);
      ra[k] += collateralScenarioCoin * spot * sc.priceShock();
      labels.add(sc.label());
    }
    double scanLoss = 0;
    for (int k = 0; k < n; k++) {
      scanLoss = Math.max(scanLoss, coveredLoss(grid.get(k), ra[k]));
    }
    double toCurrency = coinAccount ? 1.0 / spot : 1.0;
    double notional = s.notionalUsd[u] * toCurrency;
    String binding = null;
    if (scanLoss > 0) {
      double tolerance = 1e-9 * scanLoss + 1e-9 * notional;
      for (int k = 0; k < n && binding == null; k++) {
        if (Math.abs(coveredLoss(grid.get(k), ra[k]) - scanLoss) <= tolerance) {
          binding = grid.get(k).label();
        }
      }
    }
    MarginRules rules = policy.margin();
    double cOpt = rules.optionContingencyRate() * spot * s.optionShortfall[u] * toCurrency;
    double cFut = rules.futuresContingencyRate() * spot * s.futuresNet[u] * toCurrency;
    double som = rules.shortOptionMinimumRate() * spot * Math.max(s.shortCalls[u], s.shortPuts[u]) * toCurrency;
    double mm = Math.max(scanLoss + cOpt + cFut, som);
    return new UnderlyingMargin(book.underlyings().get(u), scanLoss, binding, cOpt, cFut, som, mm,
        s.delta[u] + collateralCoin, s.gamma[u], s.vega[u], s.theta[u], labels, ra);
  }

  /** The loss a scenario charges: −RA for REGULAR, −RA·cover for EXTREME. */
  static double coveredLoss(Scenario sc, double riskArrayValue) {
    return sc.kind() == ScenarioKind.EXTREME ? -riskArrayValue * sc.cover() : -riskArrayValue;
  }
}
