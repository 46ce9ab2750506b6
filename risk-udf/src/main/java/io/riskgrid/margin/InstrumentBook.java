package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.PnlMatrix;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.scenario.ScenarioGrid;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Stage 1 of DESIGN §2: everything the margin rules need about each instrument, valued once against
 * one market snapshot and policy, so that stage 2 is a sum over positions. Broadcast to executors.
 *
 * <p>Per-contract figures are in the instrument's settlement currency (USD for linear, coin for
 * inverse). An instrument that cannot be valued carries a {@code dataError} (its account becomes
 * DATA_ERROR) or a {@code rejectReason} (REJECTED), and NaN figures, never zeros.
 */
public final class InstrumentBook implements Serializable {
  private static final long serialVersionUID = 1L;

  final MarginPolicy policy;
  final List<Instrument> instruments;
  final Map<String, Integer> indexById;
  /** Instrument rows that could not be parsed, by id, with why: positions in them are REJECTED. */
  final Map<String, String> malformed;
  final List<String> underlyings;
  final Map<String, Integer> underlyingIndex;
  final ScenarioGrid[] grids;
  /** Unshocked index S per underlying (NaN when the market is missing). */
  final double[] spot;
  /** Null when the underlying's market is usable. */
  final String[] underlyingError;

  final PnlMatrix pnl;
  final String[] rejectReason;
  final String[] dataError;
  /** Price used to value the instrument in coin: F for options and futures, S for perpetuals. */
  final double[] coinPrice;
  /** Mark value per contract (options: m·V or m·V/F); 0 for futures and perpetuals. */
  final double[] markValue;
  /** Greeks per contract: delta (coin), gamma (coin per USD), vega (per vol point), theta (per day). */
  final double[] delta;
  final double[] gamma;
  final double[] vega;
  final double[] theta;
  /** Exposure per contract on the USD-value basis (DESIGN §3.5): m·∂V/∂F for options, m or N/F for futures. */
  final double[] usdBasisDelta;
  /** ∂(usdBasisDelta)/∂F per contract, coin per USD. */
  final double[] usdBasisGamma;
  /** Coin quantity per contract for the futures contingency: m linear, N/F inverse (S for perps); options: m. */
  final double[] coinPerContract;
  /** Notional per contract for the agreement tolerance, in USD: m·S, or N for inverse futures/perps. */
  final double[] notionalUsd;
  /** Standard margin per contract for a long and a short position. */
  final double[] standardImLong;
  final double[] standardMmLong;
  final double[] standardImShort;
  final double[] standardMmShort;
  /** Contingency bucket ids: futures by (underlying, expiry or perp); options by (underlying, expiry, strike). */
  final int[] futuresBucket;
  final int[] optionBucket;
  final int bucketCount;
  /** Underlying index of each bucket, and whether it is an option (expiry, strike) bucket. */
  final int[] bucketUnderlying;
  final boolean[] bucketIsOption;

  InstrumentBook(Builder b) {
    this.policy = b.policy;
    this.instruments = List.copyOf(b.instruments);
    this.indexById = Map.copyOf(b.indexById);
    this.malformed = Map.copyOf(b.malformed);
    this.underlyings = List.copyOf(b.underlyings);
    this.underlyingIndex = Map.copyOf(b.underlyingIndex);
    this.grids = b.grids;
    this.spot = b.spot;
    this.underlyingError = b.underlyingError;
    this.pnl = b.pnl;
    this.rejectReason = b.rejectReason;
    this.dataError = b.dataError;
    this.coinPrice = b.coinPrice;
    this.markValue = b.markValue;
    this.delta = b.delta;
    this.gamma = b.gamma;
    this.vega = b.vega;
    this.theta = b.theta;
    this.coinPerContract = b.coinPerContract;
    this.usdBasisDelta = b.usdBasisDelta;
    this.usdBasisGamma = b.usdBasisGamma;
    this.notionalUsd = b.notionalUsd;
    this.standardImLong = b.standardImLong;
    this.standardMmLong = b.standardMmLong;
    this.standardImShort = b.standardImShort;
    this.standardMmShort = b.standardMmShort;
    this.futuresBucket = b.futuresBucket;
    this.optionBucket = b.optionBucket;
    this.bucketCount = b.bucketCount;
    this.bucketUnderlying = b.bucketUnderlying;
    this.bucketIsOption = b.bucketIsOption;
  }

  public MarginPolicy policy() { return policy; }
  public PnlMatrix pnl() { return pnl; }
  public List<Instrument> instruments() { return instruments; }
  public List<String> underlyings() { return underlyings; }
  public int instrumentCount() { return instruments.size(); }

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

  public ScenarioGrid grid(int underlying) { return grids[underlying]; }
  public double spot(int underlying) { return spot[underlying]; }
  public String underlyingError(int underlying) { return underlyingError[underlying]; }
  public String rejectReason(int instrument) { return rejectReason[instrument]; }
  public String dataError(int instrument) { return dataError[instrument]; }
  public double markValue(int instrument) { return markValue[instrument]; }
  /** Per-contract exposure figures for {@code exposures}: USD-basis delta (coin) and gamma (coin per USD). */
  public double usdBasisDelta(int instrument) { return usdBasisDelta[instrument]; }
  public double usdBasisGamma(int instrument) { return usdBasisGamma[instrument]; }
  /** Vega per vol point and theta per day per contract, in USD (coin figures × S for inverse instruments). */
  public double vegaUsd(int instrument) { return vega[instrument] * usdPerSettlementUnit(instrument); }
  public double thetaUsd(int instrument) { return theta[instrument] * usdPerSettlementUnit(instrument); }
  /** Coin quantity per contract: m, or N/F for inverse futures and perpetuals. */
  public double coinPerContract(int instrument) { return coinPerContract[instrument]; }

  private double usdPerSettlementUnit(int instrument) {
    return instruments.get(instrument).isInverse() ? spot[pnl.underlyingOf(instrument)] : 1.0;
  }

  /** The price an order fills at (DESIGN §5 whatif): F for futures, S for perpetuals, USD per coin. */
  public double fillPrice(int instrument) { return coinPrice[instrument]; }

  /** Mutable fields filled by {@link InstrumentBookBuilder}. */
  static final class Builder {
    MarginPolicy policy;
    List<Instrument> instruments;
    Map<String, Integer> indexById;
    Map<String, String> malformed = Map.of();
    List<String> underlyings;
    Map<String, Integer> underlyingIndex;
    ScenarioGrid[] grids;
    double[] spot;
    String[] underlyingError;
    PnlMatrix pnl;
    String[] rejectReason;
    String[] dataError;
    double[] coinPrice;
    double[] markValue;
    double[] delta;
    double[] gamma;
    double[] vega;
    double[] theta;
    double[] coinPerContract;
    double[] usdBasisDelta;
    double[] usdBasisGamma;
    double[] notionalUsd;
    double[] standardImLong;
    double[] standardMmLong;
    double[] standardImShort;
    double[] standardMmShort;
    int[] futuresBucket;
    int[] optionBucket;
    int bucketCount;
    int[] bucketUnderlying;
    boolean[] bucketIsOption;
    int[] pnlScenarioCount;
  }
}
