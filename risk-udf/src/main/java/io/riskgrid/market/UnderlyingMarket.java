package io.riskgrid.market;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The market of one underlying at a valuation instant: index S (USD), rate r and annual basis b
 * (decimals), listed forwards by expiry, and the SVI vol surface (DESIGN §3.1).
 *
 * <p>Construction never throws for bad data: the first problem is kept in {@link #dataError()}, and
 * every account touching this underlying becomes DATA_ERROR with that reason. Slices and forwards
 * whose expiry is at or before {@code asOf} are ignored, as the methodology says.
 */
public final class UnderlyingMarket implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String underlying;
  private final Instant asOf;
  private final double index;
  private final double rate;
  private final double basis;
  private final TreeMap<Instant, Double> listedForwards = new TreeMap<>();
  private final List<SviSlice> slices;
  private final double[] sliceTau;
  private final String dataError;

  public UnderlyingMarket(String underlying, Instant asOf, double index, double rate, double basis,
      Map<Instant, Double> forwards, List<SviSlice> allSlices) {
    this(underlying, asOf, index, rate, basis, forwards, allSlices, null);
  }

  /**
   * The market of an underlying whose data could not even be read (a malformed slice or forward
   * expiry, say): it carries {@code reason} as its {@link #dataError()}, so only accounts touching
   * this underlying become DATA_ERROR (DESIGN §3.1) and the rest of the snapshot stays usable.
   */
  public static UnderlyingMarket unreadable(String underlying, Instant asOf, double index, String reason) {
    return new UnderlyingMarket(underlying, asOf, index, 0.0, 0.0, Map.of(), List.of(), underlying + ": " + reason);
  }

  private UnderlyingMarket(String underlying, Instant asOf, double index, double rate, double basis,
      Map<Instant, Double> forwards, List<SviSlice> allSlices, String readError) {
    this.underlying = underlying;
    this.asOf = asOf;
    this.index = index;
    this.rate = rate;
    this.basis = basis;
    String error = readError != null ? readError : scalarError(underlying, index, rate, basis);
    for (Map.Entry<Instant, Double> f : forwards.entrySet()) {
      if (!f.getKey().isAfter(asOf)) {
        continue;
      }
      double value = f.getValue() == null ? Double.NaN : f.getValue();
      if (error == null && (!(value > 0) || Double.isInfinite(value))) {
        error = underlying + ": forward for " + f.getKey() + " must be finite and > 0, got " + value;
      }
      listedForwards.put(f.getKey(), value);
    }
    List<SviSlice> live = new ArrayList<>();
    for (SviSlice s : allSlices) {
      if (!s.expiry().isAfter(asOf)) {
        continue;
      }
      String why = s.invalidReason();
      if (error == null && why != null) {
        error = underlying + ": " + why;
      }
      live.add(s);
    }
    live.sort(Comparator.comparing(SviSlice::expiry));
    for (int i = 1; i < live.size(); i++) {
      if (error == null && live.get(i).expiry().equals(live.get(i - 1).expiry())) {
        error = underlying + ": two SVI slices for expiry " + live.get(i).expiry();
      }
    }
    this.slices = Collections.unmodifiableList(live);
    this.sliceTau = new double[live.size()];
    for (int i = 0; i < live.size(); i++) {
      sliceTau[i] = TimeConventions.yearFraction(asOf, live.get(i).expiry());
    }
    this.dataError = error;
  }

  private static String scalarError(String underlying, double index, double rate, double basis) {
    if (!(index > 0) || Double.isInfinite(index)) {
      return underlying + ": index price must be finite and > 0, got " + index;
    } else if (!Double.isFinite(rate)) {
      return underlying + ": rate must be finite, got " + rate;
    } else if (!Double.isFinite(basis)) {
      return underlying + ": basis must be finite, got " + basis;
    }
    return null;
  }

  public String underlying() { return underlying; }
  public Instant asOf() { return asOf; }
  /** Index price S, USD per coin. */
  public double index() { return index; }
  /** Continuously compounded discount rate, decimal per year. */
  public double rate() { return rate; }
  /** Annual basis b for expiries without a listed forward, decimal per year. */
  public double basis() { return basis; }
  public List<SviSlice> slices() { return slices; }
  public Map<Instant, Double> listedForwards() { return Collections.unmodifiableMap(listedForwards); }
  /** Null when the data is usable, else the first reason it is not. */
  public String dataError() { return dataError; }

  /** Forward F(T) for an expiry: the listed forward, else S·exp(b·T); never interpolated. */
  public double forward(Instant expiry) {
    Double listed = listedForwards.get(expiry);
    double f = listed != null ? listed : index * Math.exp(basis * TimeConventions.yearFraction(asOf, expiry));
    if (!(f > 0) || Double.isInfinite(f)) {
      throw new MarketDataException(underlying + ".forward",
          "forward for " + expiry + " is " + f + "; it must be finite and > 0");
    }
    return f;
  }

  /**
   * Surface implied vol (decimal) at log-moneyness k for an option expiring at {@code expiry}
   * (year fraction tau > 0): own slice, else linear in total variance between the neighbouring
   * slices at the same k, else flat vol at the nearest edge slice (DESIGN §3.1 steps 2–4).
   */
  public double surfaceVol(String instrumentId, Instant expiry, double tau, double k) {
    if (slices.isEmpty()) {
      throw new MarketDataException(instrumentId, "no usable vol slice for " + underlying + " and no mark IV");
    }
    int after = 0;
    while (after < slices.size() && slices.get(after).expiry().isBefore(expiry)) {
      after++;
    }
    double w;
    if (after < slices.size() && slices.get(after).expiry().equals(expiry)) {
      w = slices.get(after).totalVariance(k);
      return volFromVariance(instrumentId, w, tau);
    }
    if (after == 0) {
      w = slices.get(0).totalVariance(k);
      return volFromVariance(instrumentId, w, sliceTau[0]);
    }
    if (after == slices.size()) {
      int last = slices.size() - 1;
      w = slices.get(last).totalVariance(k);
      return volFromVariance(instrumentId, w, sliceTau[last]);
    }
    double t1 = sliceTau[after - 1];
    double t2 = sliceTau[after];
    double w1 = slices.get(after - 1).totalVariance(k);
    double w2 = slices.get(after).totalVariance(k);
    w = w1 + (w2 - w1) * (tau - t1) / (t2 - t1);
    return volFromVariance(instrumentId, w, tau);
  }

  private double volFromVariance(String instrumentId, double w, double tau) {
    if (!(w > 0) || !Double.isFinite(w)) {
      throw new MarketDataException(instrumentId, "total variance w(k) = " + w + " <= 0 on the " + underlying + " surface");
    }
    return Math.sqrt(w / tau);
  }
}
