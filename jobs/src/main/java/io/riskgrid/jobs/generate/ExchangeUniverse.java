package io.riskgrid.jobs.generate;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Deribit-style listed universe and market snapshot for one day: BTC, ETH and SOL with daily,
 * weekly, monthly and quarterly expiries at 08:00Z, strikes around the forward at realistic spacing,
 * dated futures and perpetuals (linear and inverse; SOL linear only), forwards with basis, and SVI
 * slices with put skew and a term structure. Spots are the 2026-01-05 closes of the shipped history.
 */
public final class ExchangeUniverse implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Per-underlying listing parameters. */
  record Listing(String underlying, double spot, double atmVol, double basis, double skewRho, double strikeStep,
      boolean inverse, double linearOptionMultiplier, double linearFutureMultiplier, double inverseFutureUsd) implements Serializable {}

  static final List<Listing> LISTINGS = List.of(
      new Listing("BTC", 93_859.71, 0.45, 0.05, -0.30, 1_000, true, 0.01, 0.001, 10),
      new Listing("ETH", 3_224.99, 0.62, 0.045, -0.28, 50, true, 0.1, 0.01, 1),
      new Listing("SOL", 137.9, 0.78, 0.04, -0.35, 2, false, 1, 1, 0));
  private static final int STRIKES_PER_SIDE = 10;

  private final Instant asOf;
  private final List<Instrument> instruments;
  private final MarketSnapshot market;

  private ExchangeUniverse(Instant asOf, List<Instrument> instruments, MarketSnapshot market) {
    this.asOf = asOf;
    this.instruments = List.copyOf(instruments);
    this.market = market;
  }

  public Instant asOf() { return asOf; }
  public List<Instrument> instruments() { return instruments; }
  public MarketSnapshot market() { return market; }

  /** The generator's valuation instant: {@code asOfDate} at 08:00:00Z (DESIGN §3). */
  public static Instant valuationInstant(LocalDate asOfDate) {
    return asOfDate.atTime(8, 0).toInstant(ZoneOffset.UTC);
  }

  public static ExchangeUniverse of(LocalDate asOfDate) {
    Instant asOf = valuationInstant(asOfDate);
    List<Instant> expiries = expiries(asOfDate);
    List<Instrument> instruments = new ArrayList<>();
    Map<String, UnderlyingMarket> markets = new LinkedHashMap<>();
    for (Listing l : LISTINGS) {
      Map<Instant, Double> forwards = new TreeMap<>();
      List<SviSlice> slices = new ArrayList<>();
      for (Instant e : expiries) {
        double tau = TimeConventions.yearFraction(asOf, e);
        double fwd = l.spot() * Math.exp(l.basis() * tau);
        forwards.put(e, fwd);
        slices.add(slice(l, e, tau));
        addOptions(instruments, l, e, tau, fwd);
      }
      addFutures(instruments, l, expiries, asOfDate);
      markets.put(l.underlying(), new UnderlyingMarket(l.underlying(), asOf, l.spot(), 0.0, l.basis(), forwards, slices));
    }
    return new ExchangeUniverse(asOf, instruments, new MarketSnapshot(asOf, markets, Map.of()));
  }

  /** ATM vol with a short-dated premium; raw SVI with m = 0 and sigma_svi = 0.1 matching it at k = 0. */
  static SviSlice slice(Listing l, Instant expiry, double tau) {
    double atm = l.atmVol() * (1 + 0.15 * Math.exp(-tau * 12));
    double w = atm * atm * tau;
    double sigma = 0.1;
    double b = 0.2 * atm * Math.sqrt(tau);
    return new SviSlice(expiry, w - b * sigma, b, l.skewRho(), 0.0, sigma);
  }

  private static void addOptions(List<Instrument> out, Listing l, Instant expiry, double tau, double fwd) {
    String tag = tag(expiry);
    double step = l.strikeStep() * (tau > 60 / 365.0 ? 5 : 1);
    double atm = Math.round(fwd / step) * step;
    double width = Math.max(0.05, 2.5 * l.atmVol() * Math.sqrt(tau));
    double spacing = Math.max(step, Math.round(fwd * width / STRIKES_PER_SIDE / step) * step);
    for (int k = -STRIKES_PER_SIDE; k <= STRIKES_PER_SIDE; k++) {
      double strike = atm + k * spacing;
      if (strike <= 0) {
        continue;
      }
      String s = Long.toString(Math.round(strike));
      for (OptionType type : OptionType.values()) {
        String cp = type == OptionType.CALL ? "C" : "P";
        if (l.inverse()) {
          out.add(Instrument.option(l.underlying() + "-" + tag + "-" + s + "-" + cp, l.underlying(), Settlement.INVERSE,
              type, strike, expiry, 1));
        }
        out.add(Instrument.option(l.underlying() + "_USDC-" + tag + "-" + s + "-" + cp, l.underlying(), Settlement.LINEAR,
            type, strike, expiry, l.linearOptionMultiplier()));
      }
    }
  }

  private static void addFutures(List<Instrument> out, Listing l, List<Instant> expiries, LocalDate asOfDate) {
    if (l.inverse()) {
      out.add(Instrument.perpetual(l.underlying() + "-PERPETUAL", l.underlying(), Settlement.INVERSE, l.inverseFutureUsd()));
    }
    out.add(Instrument.perpetual(l.underlying() + "_USDC-PERPETUAL", l.underlying(), Settlement.LINEAR, l.linearFutureMultiplier()));
    for (Instant e : expiries) {
      LocalDate d = e.atZone(ZoneOffset.UTC).toLocalDate();
      if (d.getDayOfWeek() != DayOfWeek.FRIDAY || !d.equals(d.with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY)))) {
        continue; // futures list on the monthly and quarterly expiries only
      }
      if (l.inverse()) {
        out.add(Instrument.future(l.underlying() + "-" + tag(e), l.underlying(), Settlement.INVERSE, e, l.inverseFutureUsd()));
      }
      out.add(Instrument.future(l.underlying() + "_USDC-" + tag(e), l.underlying(), Settlement.LINEAR, e, l.linearFutureMultiplier()));
    }
  }

  /** Dailies (next 3 days), weeklies (next 4 Fridays), monthlies (3 last Fridays), quarterlies (next 4). */
  static List<Instant> expiries(LocalDate asOfDate) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (int d = 1; d <= 3; d++) {
      days.add(asOfDate.plusDays(d));
    }
    LocalDate friday = asOfDate.with(TemporalAdjusters.next(DayOfWeek.FRIDAY));
    for (int w = 0; w < 4; w++) {
      days.add(friday.plusWeeks(w));
    }
    for (int m = 0; m < 3; m++) {
      days.add(lastFriday(asOfDate.plusMonths(m), asOfDate));
    }
    LocalDate q = asOfDate;
    int quarters = 0;
    while (quarters < 4) {
      if (q.getMonthValue() % 3 == 0) {
        LocalDate lf = lastFriday(q, asOfDate);
        if (lf.isAfter(asOfDate)) {
          days.add(lf);
          quarters++;
        }
      }
      q = q.plusMonths(1).withDayOfMonth(1);
    }
    List<Instant> out = new ArrayList<>();
    for (LocalDate d : days) {
      if (d.isAfter(asOfDate)) {
        out.add(d.atTime(8, 0).toInstant(ZoneOffset.UTC));
      }
    }
    return out;
  }

  private static LocalDate lastFriday(LocalDate inMonth, LocalDate after) {
    LocalDate lf = inMonth.with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY));
    return lf.isAfter(after) ? lf : inMonth.plusMonths(1).with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY));
  }

  /** Deribit's expiry tag, e.g. 30JAN26. */
  static String tag(Instant expiry) {
    LocalDate d = expiry.atZone(ZoneOffset.UTC).toLocalDate();
    return d.getDayOfMonth() + d.getMonth().name().substring(0, 3) + String.format("%02d", d.getYear() % 100);
  }
}
