package io.riskgrid.market.chain;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.market.fit.ExpiryQuotes;
import io.riskgrid.market.fit.SliceFlag;
import io.riskgrid.market.fit.SviFit;
import io.riskgrid.market.fit.SviFitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link MarketSnapshot} from parsed chains and an optional futures file (DESIGN §7.1), per
 * underlying:
 * <ul>
 *   <li>index S: the median index_price of its options; where the format has none, the futures
 *       file's index row; else NaN, so the underlying is DATA_ERROR;
 *   <li>forwards per expiry: the listed future's price when the futures file has one (a bad one is NaN,
 *       DATA_ERROR, never replaced), else the median underlying_price of the chain at that expiry;
 *   <li>basis b: least squares of ln(F/S) = b·T over those forwards (0 without any);
 *   <li>rate: as given (0 on crypto venues);
 *   <li>mark IVs: mark_iv / 100 per option; SVI slices from {@link SviFitter}, CALENDAR checked in
 *       expiry order; an expiry that does not fit keeps its mark IVs only.
 * </ul>
 * Bad market data never fails the import: it becomes that underlying's dataError. Instruments are
 * the accepted options (inverse, m = 1 coin) and, for BTC and ETH, the listed futures and perpetuals
 * of the futures file (inverse, N USD per contract, {@link DeribitContracts}).
 */
public final class ChainMarketBuilder {
  private final SviFitter fitter;

  public ChainMarketBuilder(SviFitter fitter) {
    this.fitter = fitter;
  }

  public static final ChainMarketBuilder DEFAULT = new ChainMarketBuilder(SviFitter.DEFAULT);

  /** Builds the market at {@code asOf}; {@code futures} may be null; {@code rate} decimal per year. */
  public ImportedMarket build(Instant asOf, List<ChainFile> chains, FuturesFile futures, double rate) {
    InvalidInputException.requireFinite("rate", rate);
    List<RowReject> rejects = new ArrayList<>();
    long rowsIn = 0;
    Map<String, OptionQuote> byId = new LinkedHashMap<>();
    for (ChainFile chain : chains) {
      rowsIn += chain.rowsRead();
      rejects.addAll(chain.rejects());
      for (OptionQuote q : chain.options()) {
        OptionQuote first = byId.putIfAbsent(q.instrument(), q);
        if (first != null) {
          rejects.add(new RowReject(q.source(), q.line(), q.instrument(),
              "duplicate instrument, first in " + first.source() + " line " + first.line()));
        }
      }
    }
    List<FuturesQuote> futureRows = futures == null ? List.of() : futures.quotes();
    if (futures != null) {
      rowsIn += futures.rowsRead();
      rejects.addAll(futures.rejects());
    }
    Map<String, List<OptionQuote>> byUnderlying = new TreeMap<>();
    byId.values().forEach(q -> byUnderlying.computeIfAbsent(q.underlying(), u -> new ArrayList<>()).add(q));
    futureRows.forEach(f -> byUnderlying.computeIfAbsent(f.underlying(), u -> new ArrayList<>()));

    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    Map<String, List<SviFit>> fits = new LinkedHashMap<>();
    Map<String, String> dataErrors = new LinkedHashMap<>();
    for (Map.Entry<String, List<OptionQuote>> e : byUnderlying.entrySet()) {
      String u = e.getKey();
      List<FuturesQuote> own = futureRows.stream().filter(f -> f.underlying().equals(u)).toList();
      UnderlyingMarket market = underlying(u, asOf, rate, e.getValue(), own, fits, dataErrors);
      markets.put(u, market);
      if (market.dataError() != null) {
        dataErrors.merge(u, market.dataError(), (a, b) -> a + "; " + b);
      }
    }
    Map<String, Double> marks = new LinkedHashMap<>();
    byId.values().forEach(q -> marks.put(q.instrument(), q.markIv()));
    MarketSnapshot snapshot = new MarketSnapshot(asOf, markets, marks);
    return new ImportedMarket(snapshot, instruments(byId.values(), futureRows), fits, rejects, dataErrors, rowsIn);
  }

  private UnderlyingMarket underlying(String u, Instant asOf, double rate, List<OptionQuote> options,
      List<FuturesQuote> futures, Map<String, List<SviFit>> fits, Map<String, String> dataErrors) {
    double index = median(options.stream().mapToDouble(OptionQuote::indexPrice).filter(Double::isFinite).toArray());
    if (Double.isNaN(index)) {
      index = futures.stream().filter(f -> f.kind() == FuturesKind.INDEX).mapToDouble(FuturesQuote::price)
          .findFirst().orElse(Double.NaN);
      if (Double.isNaN(index)) {
        dataErrors.put(u, u + ": no usable index price (the chain has no index_price and the futures file no index row)");
      }
    }
    Map<Instant, List<OptionQuote>> byExpiry = new TreeMap<>();
    options.forEach(q -> byExpiry.computeIfAbsent(q.expiry(), x -> new ArrayList<>()).add(q));
    Map<Instant, Double> forwards = new TreeMap<>();
    futures.stream().filter(f -> f.kind() == FuturesKind.FUTURE).forEach(f -> forwards.put(f.expiry(), f.price()));
    byExpiry.forEach((expiry, quotes) -> forwards.computeIfAbsent(expiry,
        x -> median(quotes.stream().mapToDouble(OptionQuote::underlyingPrice).toArray())));
    double basis = basis(asOf, index, forwards);

    List<ExpiryQuotes> fittable = new ArrayList<>();
    List<SviFit> unfittable = new ArrayList<>();
    byExpiry.forEach((expiry, quotes) -> {
      double forward = forwards.get(expiry);
      if (forward > 0 && Double.isFinite(forward)) {
        fittable.add(new ExpiryQuotes(expiry, TimeConventions.yearFraction(asOf, expiry), forward,
            quotes.stream().mapToDouble(OptionQuote::strike).toArray(),
            quotes.stream().mapToDouble(OptionQuote::markIv).toArray()));
      } else {
        unfittable.add(new SviFit(expiry, null, Double.NaN, EnumSet.of(SliceFlag.NO_FIT), quotes.size(), 0, Double.NaN));
      }
    });
    List<SviFit> fitted = new ArrayList<>(fitter.fitSurface(fittable));
    fitted.addAll(unfittable);
    fitted.sort(Comparator.comparing(SviFit::expiry));
    fits.put(u, fitted);
    List<SviSlice> slices = fitted.stream().filter(SviFit::hasSlice).map(SviFit::slice).toList();
    return new UnderlyingMarket(u, asOf, index, rate, basis, forwards, slices);
  }

  /** b minimising Σ (ln(F/S) − b·T)² over the usable forwards; 0 when there are none. */
  static double basis(Instant asOf, double index, Map<Instant, Double> forwards) {
    double num = 0;
    double den = 0;
    for (Map.Entry<Instant, Double> f : forwards.entrySet()) {
      double tau = TimeConventions.yearFraction(asOf, f.getKey());
      double forward = f.getValue();
      if (tau > 0 && forward > 0 && Double.isFinite(forward) && index > 0 && Double.isFinite(index)) {
        num += tau * Math.log(forward / index);
        den += tau * tau;
      }
    }
    return den > 0 ? num / den : 0.0;
  }

  private static List<Instrument> instruments(Iterable<OptionQuote> options, List<FuturesQuote> futures) {
    List<Instrument> out = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    for (OptionQuote q : options) {
      out.add(Instrument.option(q.instrument(), q.underlying(), Settlement.INVERSE, q.type(), q.strike(), q.expiry(),
          DeribitContracts.OPTION_COIN_PER_CONTRACT));
      seen.put(q.instrument(), true);
    }
    for (FuturesQuote f : futures) {
      var size = DeribitContracts.futureUsdPerContract(f.underlying());
      if (size.isEmpty() || seen.containsKey(f.instrument())) {
        continue;
      }
      if (f.kind() == FuturesKind.FUTURE) {
        out.add(Instrument.future(f.instrument(), f.underlying(), Settlement.INVERSE, f.expiry(), size.getAsDouble()));
      } else if (f.kind() == FuturesKind.PERPETUAL) {
        out.add(Instrument.perpetual(f.instrument(), f.underlying(), Settlement.INVERSE, size.getAsDouble()));
      }
    }
    return out;
  }

  /** Median of the values; NaN when there are none. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }
}
