package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.scenario.ScenarioKind;
import io.riskgrid.valuation.ContractValue;
import io.riskgrid.valuation.ValuedBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The per-underlying rules of DESIGN §3.4: scan loss with extreme cover, option and futures
 * contingencies, short option minimum, MM_u, and the Greeks; under a historical-es policy the margin of
 * {@link ExpectedShortfallRules}, which shares the risk arrays and labels kept here and the attribution of
 * {@link ContributionRules}. Add-ons are computed in USD at the unshocked S and divided by S for coin
 * accounts. Reuses scratch arrays: one instance per thread.
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
  /** The attribution of DESIGN §7.3 when {@link UnderlyingMargin#contributions()} are filled, else null. */
  private final ContributionRules contributions;
  /** Per underlying, its grid's labels ({@link #labels(int)}), made on first use. */
  private final List<String>[] labels;
  /** Per underlying, its grid's price shocks ({@link #priceShocks(int)}), made on first use. */
  private final double[][] priceShocks;
  /** Per underlying, the weight of each scenario's loss in the scan ({@link #lossWeights(int)}), made on first use. */
  private final double[][] lossWeights;
  /** The historical-ES path of DESIGN §7.6, when the policy's method is historical-es; null for the scan. */
  private final ExpectedShortfallRules expectedShortfall;
  /** Whether {@link UnderlyingMargin#riskArray()} is filled; else empty unless an entry is not finite. */
  private final boolean riskArrays;
  /** The risk array of a margin that does not carry one: shared, never written (length 0). */
  static final double[] NO_RISK_ARRAY = new double[0];

  UnderlyingRules(InstrumentBook book, boolean contributions, boolean riskArrays) {
    this.riskArrays = riskArrays;
    this.policy = book.policy();
    this.book = book.valued();
    this.tables = book.rules;
    this.bucketNet = new double[tables.bucketCount];
    this.touchedBuckets = new int[tables.bucketCount];
    this.bucketStamp = new int[tables.bucketCount];
    this.contributions = contributions ? new ContributionRules(book) : null;
    @SuppressWarnings("unchecked")
    List<String>[] perUnderlying = new List[this.book.underlyings().size()];
    this.labels = perUnderlying;
    this.priceShocks = new double[this.book.underlyings().size()][];
    this.lossWeights = new double[this.book.underlyings().size()][];
    this.expectedShortfall = policy.expectedShortfall() == null ? null
        : new ExpectedShortfallRules(this.book, policy, contributions, this);
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
    /** A USD account's coin collateral per underlying, in coin: the balance, and what moves in scenarios. */
    final double[] collateralCoin;
    final double[] collateralScenarioCoin;
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
      collateralCoin = new double[underlyings];
      collateralScenarioCoin = new double[underlyings];
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

  /** Whether the margins carry contributions. */
  boolean contributions() {
    return contributions != null;
  }

  /** The contribution rules (DESIGN §7.3); only when {@link #contributions()}. */
  ContributionRules contributionRules() {
    return contributions;
  }

  /** Whether the margins carry their risk arrays. */
  boolean riskArrays() {
    return riskArrays;
  }

  /**
   * What a margin carries of risk array {@code ra}: all of it when the margins carry risk arrays or when
   * an entry is not finite (so that {@link FiniteFigures} names it), else {@link #NO_RISK_ARRAY}.
   */
  double[] carried(double[] ra) {
    return riskArrays || !allFinite(ra, 0, ra.length) ? ra : NO_RISK_ARRAY;
  }

  /** {@link #carried(double[])} of the risk array {@code sums[from .. to)}, copied only when carried. */
  private double[] carried(double[] sums, int from, int to) {
    return riskArrays || !allFinite(sums, from, to) ? Arrays.copyOfRange(sums, from, to) : NO_RISK_ARRAY;
  }

  /** Whether {@code values[from .. to)} are all finite. */
  static boolean allFinite(double[] values, int from, int to) {
    boolean finite = true;
    for (int k = from; k < to; k++) {
      // One predictable comparison an entry, no dependency between entries; false for NaN and ±Infinity.
      finite &= Math.abs(values[k]) <= Double.MAX_VALUE;
    }
    return finite;
  }

  List<UnderlyingMargin> perUnderlying(Account a, AccountValidator.Validated v, Sums s, double[] wide, int offset) {
    PnlMatrix pnl = book.pnl();
    double[] collateralCoin = s.collateralCoin;
    double[] collateralScenarioCoin = s.collateralScenarioCoin;
    collateralCoins(a, v, s, collateralCoin, collateralScenarioCoin);
    if (expectedShortfall != null) {
      return expectedShortfall.perUnderlying(a, v, s, wide, offset, collateralCoin, collateralScenarioCoin);
    }
    List<UnderlyingMargin> out = new ArrayList<>();
    for (int u = 0; u < pnl.underlyings(); u++) {
      if (s.touched[u]) {
        out.add(underlying(a, v, u, s, wide, offset + pnl.columnOffset(u), collateralCoin[u],
            collateralScenarioCoin[u]));
      }
    }
    return out;
  }

  /**
   * A USD account's coin collateral per underlying: the balance (for delta) and the haircut balance that
   * moves in scenarios (a loan moves in full: wrong-way risk); marks those underlyings touched.
   */
  void collateralCoins(Account a, AccountValidator.Validated v, Sums s, double[] collateralCoin,
      double[] collateralScenarioCoin) {
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
  }

  /** The scenario labels of underlying u's grid, in order: one immutable list per underlying, shared by every account. */
  List<String> labels(int u) {
    if (labels[u] == null) {
      ScenarioGrid grid = book.grid(u);
      List<String> list = new ArrayList<>(grid.size());
      for (int k = 0; k < grid.size(); k++) {
        list.add(grid.get(k).label());
      }
      labels[u] = List.copyOf(list);
    }
    return labels[u];
  }

  /** Underlying u's risk array: the kernel's sums plus its collateral's revaluation, margin currency. */
  double[] riskArray(int u, double[] wide, int from, double collateralScenarioCoin) {
    double spot = book.spot(u);
    double[] ra = Arrays.copyOfRange(wide, from, from + book.grid(u).size());
    // Without coin collateral every term is ±0, which leaves a kernel sum (never −0: sums start at +0)
    // as it is; skipped, unless a non-finite index would make the term NaN. At 3,063 joint windows this
    // loop was a tenth of an ES margin run.
    if (movesCollateral(collateralScenarioCoin, spot)) {
      double[] shock = priceShocks(u);
      for (int k = 0; k < ra.length; k++) {
        ra[k] += collateralScenarioCoin * spot * shock[k];
      }
    }
    return ra;
  }

  /** Whether a risk array adds its collateral's revaluation: coin that moves, or an index whose term would be NaN. */
  static boolean movesCollateral(double collateralScenarioCoin, double spot) {
    return collateralScenarioCoin != 0 || !Double.isFinite(spot);
  }

  /**
   * Adds underlying u's risk array, entry by entry the value {@link #riskArray} would hold, to
   * {@code into[0 .. n)}: {@code into[k] += RA[k]}, the sum a caller adding the copies would make, to the bit.
   */
  void addRiskArray(int u, double[] wide, int from, double collateralScenarioCoin, double[] into) {
    double spot = book.spot(u);
    int n = book.grid(u).size();
    if (movesCollateral(collateralScenarioCoin, spot)) {
      double[] shock = priceShocks(u);
      for (int k = 0; k < n; k++) {
        into[k] += wide[from + k] + collateralScenarioCoin * spot * shock[k];
      }
    } else {
      for (int k = 0; k < n; k++) {
        into[k] += wide[from + k];
      }
    }
  }

  /**
   * Underlying u's grid as the scan weighs each scenario's loss (DESIGN §3.4: −RA for a REGULAR scenario,
   * −RA·cover for an EXTREME one): the cover fraction, or 1, in grid order; shared, read only. The loss
   * {@code -ra[k] * weight[k]} is the rule's to the bit (× 1.0 is exact), without fetching 3,063 scenario
   * records per account and underlying: at the joint historical sets that look-up was 8% of stress's stage 2.
   */
  double[] lossWeights(int u) {
    return perScenario(lossWeights, u, sc -> sc.kind() == ScenarioKind.EXTREME ? sc.cover() : 1.0);
  }

  /** The price shocks p of underlying u's grid, in order: one array per underlying, shared, read only. */
  double[] priceShocks(int u) {
    return perScenario(priceShocks, u, Scenario::priceShock);
  }

  /** {@code of} each scenario of underlying u's grid, in order, kept in {@code cache[u]} from the first call. */
  private double[] perScenario(double[][] cache, int u, ToDoubleFunction<Scenario> of) {
    if (cache[u] == null) {
      ScenarioGrid grid = book.grid(u);
      double[] values = new double[grid.size()];
      for (int k = 0; k < values.length; k++) {
        values[k] = of.applyAsDouble(grid.get(k));
      }
      cache[u] = values;
    }
    return cache[u];
  }

  private UnderlyingMargin underlying(Account a, AccountValidator.Validated v, int u, Sums s, double[] wide, int from,
      double collateralCoin, double collateralScenarioCoin) {
    boolean coinAccount = v.coinAccount();
    ScenarioGrid grid = book.grid(u);
    double spot = book.spot(u);
    int n = grid.size();
    // Without arrays to carry and without collateral that moves, the risk array is the kernel's sums as
    // they stand: the scan reads them in place (ra[base + k]) instead of a copy made to be dropped.
    boolean inPlace = !riskArrays && !movesCollateral(collateralScenarioCoin, spot);
    double[] ra = inPlace ? wide : riskArray(u, wide, from, collateralScenarioCoin);
    int base = inPlace ? from : 0;
    double[] weight = lossWeights(u);
    List<String> labels = labels(u);
    double scanLoss = 0;
    int worst = -1;
    for (int k = 0; k < n; k++) {
      double loss = -ra[base + k] * weight[k];
      if (loss > scanLoss) {
        scanLoss = loss;
        worst = k;
      }
    }
    double toCurrency = coinAccount ? 1.0 / spot : 1.0;
    double notional = s.notionalUsd[u] * toCurrency;
    String binding = null;
    if (scanLoss > 0) {
      double tolerance = 1e-9 * scanLoss + 1e-9 * notional;
      for (int k = 0; k < n && binding == null; k++) {
        if (Math.abs(-ra[base + k] * weight[k] - scanLoss) <= tolerance) {
          binding = grid.get(k).label();
        }
      }
    }
    double cOpt = optionContingency(u, s, toCurrency);
    double cFut = futuresContingency(u, s, toCurrency);
    double som = shortOptionMinimum(u, s, toCurrency);
    double mm = Math.max(scanLoss + cOpt + cFut, som);
    double cover = worst < 0 ? 0.0 : weight[worst];
    List<Contribution> parts = contributions != null
        ? contributions.of(a, v, u, worst < 0 ? new int[0] : new int[] {worst}, cover, som > scanLoss + cOpt + cFut,
            toCurrency, collateralScenarioCoin)
        : List.of();
    return new UnderlyingMargin(book.underlyings().get(u), scanLoss, binding, cOpt, cFut, som, mm,
        s.delta[u] + collateralCoin, s.gamma[u], s.vega[u], s.theta[u], labels,
        inPlace ? carried(wide, from, from + n) : carried(ra), parts);
  }

  /** C_opt of underlying u (DESIGN §3.4), in the margin currency ({@code toCurrency}: 1/S for a coin account, else 1). */
  double optionContingency(int u, Sums s, double toCurrency) {
    return policy.margin().optionContingencyRate() * book.spot(u) * s.optionShortfall[u] * toCurrency;
  }

  /** C_fut of underlying u (DESIGN §3.4), in the margin currency. */
  double futuresContingency(int u, Sums s, double toCurrency) {
    return policy.margin().futuresContingencyRate() * book.spot(u) * s.futuresNet[u] * toCurrency;
  }

  /** SOM of underlying u (DESIGN §3.4), in the margin currency: the scan's and the historical-es floor's. */
  double shortOptionMinimum(int u, Sums s, double toCurrency) {
    return policy.margin().shortOptionMinimumRate() * book.spot(u) * Math.max(s.shortCalls[u], s.shortPuts[u])
        * toCurrency;
  }
}
