package io.riskgrid.valuation;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.scenario.ScenarioGrid;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 1 of DESIGN §2, the valuation half: every instrument valued once against one market snapshot
 * and its underlying's scenario grid: mark, Greeks and the P&amp;L matrix R (§3.1–§3.3). It knows no
 * margin rule; {@code io.riskgrid.margin} builds its rule tables from it. Immutable once
 * {@link ValuedBookBuilder} has filled it; broadcast to executors.
 *
 * <p>Per-contract figures are in the instrument's settlement currency (USD for linear, coin for
 * inverse) unless the name says USD. An instrument that cannot be valued carries a {@link #dataError}
 * (bad market data: its accounts become DATA_ERROR) or a {@link #rejectReason} (it cannot be held:
 * REJECTED), and NaN figures, never zeros.
 */
public final class ValuedBook implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Instrument> instruments;
  /**
   * A HashMap, never modified after construction, rather than Map.copyOf: every position of every
   * account is looked up here, and Map.copyOf's linear probing calls equals on each key it passes,
   * where HashMap compares the cached hash first (14.7 against 25.5 ns a look-up of 1,920 ids).
   */
  private final HashMap<String, Integer> indexById;
  /** Instrument rows that could not be parsed, by id, with why: positions in them are REJECTED. */
  private final Map<String, String> malformed;
  private final List<String> underlyings;
  private final Map<String, Integer> underlyingIndex;
  private final ScenarioGrid[] grids;
  /** Unshocked index S per underlying, USD per coin (NaN when the market is missing). */
  private final double[] spot;
  /** Null when the underlying's market is usable. */
  private final String[] underlyingError;

  // Per instrument, filled by ValuedBookBuilder (package-private for that reason only).
  PnlMatrix pnl;
  /**
   * P&amp;L of one contract under each joint index move of {@link IndexMoveGrid} (DESIGN §7.5: forward
   * F·(1 + x), vol and T unchanged), settlement currency; every instrument in one column block of
   * {@link IndexMoveGrid#SIZE} columns, so that an account's sum is its P&amp;L across underlyings. The
   * column of x = 0 is exactly 0.
   */
  PnlMatrix movePnl;
  final String[] rejectReason;
  final String[] dataError;
  /** F of the expiry for options and futures, S for perpetuals; USD per coin. */
  final double[] forward;
  /** Black-76 value V of an option at F, USD per coin (NaN for futures and perpetuals). */
  final double[] optionPrice;
  /** Mark value per contract (options m·V or m·V/F); 0 for futures and perpetuals. */
  final double[] markValue;
  /**
   * Greeks per contract: delta (coin: m·∂V/∂F linear, F·∂(m·V/F)/∂F = m·(V′ − V/F) inverse, Deribit's
   * convention), gamma (∂delta/∂F, coin per USD), vega (settlement currency per vol point), theta
   * (settlement currency per day, F fixed).
   */
  final double[] delta;
  final double[] gamma;
  final double[] vega;
  final double[] theta;
  /** Exposure per contract on the USD-value basis (DESIGN §3.5): m·∂V/∂F for options, m or N/F for futures. */
  final double[] usdBasisDelta;
  /** ∂(usdBasisDelta)/∂F per contract, coin per USD. */
  final double[] usdBasisGamma;
  /** Coin quantity per contract: m for options and linear futures, N/F for inverse futures (F = S for perps). */
  final double[] coinPerContract;
  /** Notional per contract, USD: m·S, or N for inverse futures and perpetuals. */
  final double[] notionalUsd;

  ValuedBook(List<Instrument> instruments, Map<String, String> malformed, List<String> underlyings, ScenarioGrid[] grids,
      double[] spot, String[] underlyingError) {
    this.instruments = List.copyOf(instruments);
    this.indexById = new HashMap<>();
    for (int i = 0; i < this.instruments.size(); i++) {
      indexById.put(this.instruments.get(i).id(), i);
    }
    this.malformed = Map.copyOf(malformed);
    this.underlyings = List.copyOf(underlyings);
    Map<String, Integer> us = new HashMap<>();
    for (int u = 0; u < this.underlyings.size(); u++) {
      us.put(this.underlyings.get(u), u);
    }
    this.underlyingIndex = Map.copyOf(us);
    this.grids = grids;
    this.spot = spot;
    this.underlyingError = underlyingError;
    int n = this.instruments.size();
    rejectReason = new String[n];
    dataError = new String[n];
    forward = nan(n);
    optionPrice = nan(n);
    markValue = nan(n);
    delta = nan(n);
    gamma = nan(n);
    vega = nan(n);
    theta = nan(n);
    usdBasisDelta = nan(n);
    usdBasisGamma = nan(n);
    coinPerContract = nan(n);
    notionalUsd = nan(n);
  }

  public PnlMatrix pnl() { return pnl; }
  /** P&amp;L per contract under the joint index moves of {@link IndexMoveGrid}, settlement currency. */
  public PnlMatrix movePnl() { return movePnl; }
  public List<Instrument> instruments() { return instruments; }
  public Instrument instrument(int instrument) { return instruments.get(instrument); }
  public int instrumentCount() { return instruments.size(); }
  public List<String> underlyings() { return underlyings; }

  /** Row index of an instrument id, or −1 when the book does not list it. */
  public int indexOf(String instrumentId) {
    Integer i = indexById.get(instrumentId);
    return i == null ? -1 : i;
  }

  /** Why an instrument id listed in the input could not be parsed, or null. */
  public String malformedReason(String instrumentId) {
    return malformed.get(instrumentId);
  }

  /** Index of an underlying, or −1. */
  public int underlyingIndexOf(String underlying) {
    Integer u = underlyingIndex.get(underlying);
    return u == null ? -1 : u;
  }

  /** The underlying index of an instrument row. */
  public int underlyingOf(int instrument) { return pnl.underlyingOf(instrument); }
  public ScenarioGrid grid(int underlying) { return grids[underlying]; }
  /** Unshocked index S, USD per coin; NaN when the underlying has no market. */
  public double spot(int underlying) { return spot[underlying]; }
  /** Why the underlying's market cannot be used, or null. */
  public String underlyingError(int underlying) { return underlyingError[underlying]; }
  /** Why the instrument cannot be held (e.g. expired awaiting settlement), or null. */
  public String rejectReason(int instrument) { return rejectReason[instrument]; }
  /** Why the market cannot value the instrument, or null. */
  public String dataError(int instrument) { return dataError[instrument]; }
  /** True when the instrument has neither a reject reason nor a data error. */
  public boolean isValued(int instrument) { return rejectReason[instrument] == null && dataError[instrument] == null; }

  /** F of the expiry (S for perpetuals), USD per coin: the price futures are marked and filled at. */
  public double forward(int instrument) { return forward[instrument]; }
  /** An option's Black-76 value V at F, USD per coin; NaN for other instruments. */
  public double optionPrice(int instrument) { return optionPrice[instrument]; }
  /** Mark value per contract in the settlement currency; 0 for futures and perpetuals. */
  public double markValue(int instrument) { return markValue[instrument]; }
  /** Delta per contract, coin (settlement-currency value basis). */
  public double delta(int instrument) { return delta[instrument]; }
  /** Gamma per contract, coin per USD. */
  public double gamma(int instrument) { return gamma[instrument]; }
  /** Vega per contract per vol point, settlement currency. */
  public double vega(int instrument) { return vega[instrument]; }
  /** Theta per contract per day, settlement currency. */
  public double theta(int instrument) { return theta[instrument]; }
  /** Per-contract exposure on the USD-value basis (DESIGN §3.5), coin. */
  public double usdBasisDelta(int instrument) { return usdBasisDelta[instrument]; }
  /** ∂(usdBasisDelta)/∂F per contract, coin per USD. */
  public double usdBasisGamma(int instrument) { return usdBasisGamma[instrument]; }
  /** Coin quantity per contract: m, or N/F for inverse futures and perpetuals. */
  public double coinPerContract(int instrument) { return coinPerContract[instrument]; }
  /** Notional per contract, USD: m·S, or N for inverse futures and perpetuals. */
  public double notionalUsd(int instrument) { return notionalUsd[instrument]; }
  /** Vega per vol point per contract, USD (coin figures × S for inverse instruments). */
  public double vegaUsd(int instrument) { return vega[instrument] * usdPerSettlementUnit(instrument); }
  /** Theta per day per contract, USD (coin figures × S for inverse instruments). */
  public double thetaUsd(int instrument) { return theta[instrument] * usdPerSettlementUnit(instrument); }

  private double usdPerSettlementUnit(int instrument) {
    return instruments.get(instrument).isInverse() ? spot[pnl.underlyingOf(instrument)] : 1.0;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
