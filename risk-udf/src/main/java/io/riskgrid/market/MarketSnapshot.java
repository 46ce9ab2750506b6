package io.riskgrid.market;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every underlying's market at one valuation instant {@code asOf} (UTC), plus optional option mark
 * IVs (decimal) by instrument id, which override the surface for that instrument.
 */
public final class MarketSnapshot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Instant asOf;
  private final Map<String, UnderlyingMarket> underlyings;
  private final Map<String, Double> markIvs;

  public MarketSnapshot(Instant asOf, Map<String, UnderlyingMarket> underlyings, Map<String, Double> markIvs) {
    this.asOf = asOf;
    this.underlyings = Collections.unmodifiableMap(new LinkedHashMap<>(underlyings));
    this.markIvs = Collections.unmodifiableMap(new LinkedHashMap<>(markIvs));
    for (UnderlyingMarket m : underlyings.values()) {
      if (!m.asOf().equals(asOf)) {
        throw new IllegalArgumentException("market of " + m.underlying() + " is at " + m.asOf() + ", snapshot at " + asOf);
      }
    }
  }

  public Instant asOf() { return asOf; }
  public Map<String, UnderlyingMarket> underlyings() { return underlyings; }

  /** The underlying's market, or null when the snapshot has none. */
  public UnderlyingMarket underlying(String name) { return underlyings.get(name); }

  /** The mark IV of an instrument when given, finite and > 0; else NaN (the surface is used). */
  public double markIv(String instrumentId) {
    Double iv = markIvs.get(instrumentId);
    return iv != null && iv > 0 && Double.isFinite(iv) ? iv : Double.NaN;
  }

  public Map<String, Double> markIvs() { return markIvs; }
}
