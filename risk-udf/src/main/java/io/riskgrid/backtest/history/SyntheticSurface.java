package io.riskgrid.backtest.history;

import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The synthetic generator's market of one underlying on one day: listed expiries, forwards with basis and a
 * raw SVI slice per expiry whose ATM level follows the day's 30-day vol and whose skew steepens after a
 * selloff (see {@link SyntheticMarketGenerator}).
 */
final class SyntheticSurface {
  private static final double SVI_SIGMA = 0.1;

  private SyntheticSurface() {}

  /**
   * The market of asset {@code a} at {@code asOf}.
   *
   * @param atm30   30-day ATM vol, decimal
   * @param longRun the long-run ATM vol the term structure decays to
   * @param move5   the 5-day log return: ρ and the wing slope steepen by its drawdown, ρ rises by its rally
   */
  static UnderlyingMarket market(SyntheticMarketGenerator.Asset a, Instant asOf, List<Instant> expiries, double price,
      double basis, double atm30, double longRun, double move5) {
    double selloff = Math.max(0, -move5);
    double rally = Math.max(0, move5);
    double rho = Math.max(-0.9, Math.min(0.4, a.skewRho() - 2.5 * selloff + 0.8 * rally));
    double slope = 0.3 * (1 + 3 * selloff);
    Map<Instant, Double> forwards = new TreeMap<>();
    List<SviSlice> slices = new ArrayList<>();
    for (Instant e : expiries) {
      double tau = TimeConventions.yearFraction(asOf, e);
      forwards.put(e, price * Math.exp(basis * tau));
      double atm = Math.max(0.25 * longRun, longRun + (atm30 - longRun) * Math.exp(-(tau * 365 - 30) / 120.0));
      slices.add(slice(e, tau, atm, rho, slope));
    }
    return new UnderlyingMarket(a.underlying(), asOf, price, 0.0, basis, forwards, slices);
  }

  /**
   * A raw SVI slice with ATM vol {@code atm} at k = 0 (m = 0, sigma_svi = 0.1): b = slope·atm·√τ, ρ as
   * given, a solving w(0) = atm²·τ. The wing slope is reduced if needed to keep the minimum variance ≥ 0.
   */
  static SviSlice slice(Instant expiry, double tau, double atm, double rho, double slope) {
    double w = atm * atm * tau;
    double b = slope * atm * Math.sqrt(tau);
    double dip = SVI_SIGMA * (1 - Math.sqrt(1 - rho * rho));
    if (b * dip > 0.5 * w) {
      b = 0.5 * w / dip;
    }
    return new SviSlice(expiry, w - b * SVI_SIGMA, b, rho, 0.0, SVI_SIGMA);
  }

  /** Deribit-like listings at 08:00Z after the close of {@code date}: 2 Fridays, 3 month-ends, 2 quarter-ends. */
  static List<Instant> listedExpiries(LocalDate date) {
    TreeSet<LocalDate> days = new TreeSet<>();
    LocalDate friday = date.with(TemporalAdjusters.next(DayOfWeek.FRIDAY));
    days.add(friday);
    days.add(friday.plusWeeks(1));
    int months = 0;
    int quarters = 0;
    for (LocalDate m = date.withDayOfMonth(1); months < 3 || quarters < 2; m = m.plusMonths(1)) {
      LocalDate last = m.with(TemporalAdjusters.lastInMonth(DayOfWeek.FRIDAY));
      if (!last.isAfter(date)) {
        continue;
      }
      if (months < 3) {
        days.add(last);
        months++;
      }
      if (m.getMonthValue() % 3 == 0) {
        days.add(last);
        quarters++;
      }
    }
    List<Instant> out = new ArrayList<>();
    for (LocalDate d : days) {
      out.add(d.atTime(8, 0).toInstant(ZoneOffset.UTC));
    }
    return out;
  }
}
