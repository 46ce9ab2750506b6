package io.riskgrid.backtest.history;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketDataException;
import io.riskgrid.market.UnderlyingMarket;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a {@link BacktestPortfolio} concrete on day t (DESIGN §3.6), so that its risk profile is the same on
 * every day of the backtest:
 * <ul>
 *   <li>a future or option of tenor n expires on day t + n at 08:00:00Z, the venues' expiry time (§3), or, for a
 *       leg anchored at the {@link PanelLeg.TenorAnchor#VALUATION_INSTANT} (a converted account), exactly n days
 *       after t's valuation instant, to the microsecond (the precision of the tables' timestamps);</li>
 *   <li>an option is struck at K = moneyness × F(expiry), on t's forward of its own expiry;</li>
 *   <li>linear instruments and inverse options have m = 1 coin per contract, so contracts = coin quantity;
 *       inverse futures and perpetuals have N = 1 USD per contract, so contracts = coin quantity × F;</li>
 *   <li>futures and perpetuals are entered at t's F (S for perpetuals): the position opens at mark, with no
 *       unrealised P&amp;L at t.</li>
 * </ul>
 * Instrument ids are {@code <portfolio id>/L<leg index>} for panel legs. A converted account's leg
 * ({@link PanelLeg.TenorAnchor#VALUATION_INSTANT}) has the id of its shape ({@link #sharedId}), so the legs of
 * every account that held one listed instrument are one instrument again on each day, and a day values each
 * once rather than once per account.
 */
public final class PanelInstantiator {
  /** Hour of day (UTC) at which instantiated futures and options expire. */
  public static final int EXPIRY_HOUR_UTC = 8;

  private PanelInstantiator() {}

  /** The expiry of a leg of tenor {@code tenorDays} instantiated on day {@code date}. */
  public static Instant expiry(LocalDate date, int tenorDays) {
    return date.plusDays(tenorDays).atTime(EXPIRY_HOUR_UTC, 0).toInstant(ZoneOffset.UTC);
  }

  /** The expiry of {@code leg} instantiated on {@code day}; null for a perpetual. */
  public static Instant expiry(PanelLeg leg, DailyMarket day) {
    if (leg.kind() == InstrumentKind.PERPETUAL) {
      return null;
    }
    if (leg.anchor() == PanelLeg.TenorAnchor.EXPIRY_DAY) {
      return expiry(day.date(), (int) leg.tenorDays());
    }
    return day.asOf().plus(Math.round(leg.tenorDays() * MICROS_PER_DAY), java.time.temporal.ChronoUnit.MICROS);
  }

  /**
   * The instrument id of a converted leg: everything that decides the instrument on a day (underlying,
   * settlement, kind, tenor, option type, moneyness; doubles in their exact shortest form), and nothing of its
   * quantity, so two legs of one shape are one instrument.
   */
  static String sharedId(PanelLeg leg) {
    StringBuilder id = new StringBuilder("book/").append(leg.underlying()).append('/').append(leg.settlement())
        .append('/').append(leg.kind());
    if (leg.kind() != InstrumentKind.PERPETUAL) {
      id.append("/T").append(leg.tenorDays());
    }
    if (leg.kind() == InstrumentKind.OPTION) {
      id.append('/').append(leg.optionType()).append("/KF").append(leg.moneyness());
    }
    return id.toString();
  }

  /** Microseconds in a day: converted tenors round to whole microseconds, so they give back the listed expiry. */
  static final double MICROS_PER_DAY = 86_400e6;

  /**
   * The portfolio on {@code day}'s market.
   *
   * @throws MarketDataException when the day has no usable market for an underlying of a leg
   */
  public static InstantiatedPortfolio instantiate(BacktestPortfolio portfolio, DailyMarket day) {
    List<Instrument> instruments = new ArrayList<>();
    List<Position> positions = new ArrayList<>();
    for (int i = 0; i < portfolio.legs().size(); i++) {
      PanelLeg leg = portfolio.legs().get(i);
      String id = leg.anchor() == PanelLeg.TenorAnchor.VALUATION_INSTANT ? sharedId(leg) : portfolio.id() + "/L" + i;
      UnderlyingMarket market = day.underlying(leg.underlying());
      if (market == null || market.dataError() != null) {
        throw new MarketDataException(id, "no usable " + leg.underlying() + " market on " + day.date()
            + (market == null ? "" : ": " + market.dataError()));
      }
      Instant expiry = expiry(leg, day);
      double forward = expiry == null ? market.index() : market.forward(expiry);
      boolean inverseDelta1 = leg.settlement() == Settlement.INVERSE && leg.kind() != InstrumentKind.OPTION;
      double contracts = inverseDelta1 ? leg.coinQuantity() * forward : leg.coinQuantity();
      Instrument instrument = switch (leg.kind()) {
        case PERPETUAL -> Instrument.perpetual(id, leg.underlying(), leg.settlement(), 1.0);
        case FUTURE -> Instrument.future(id, leg.underlying(), leg.settlement(), expiry, 1.0);
        case OPTION -> Instrument.option(id, leg.underlying(), leg.settlement(), leg.optionType(),
            leg.moneyness() * forward, expiry, 1.0);
      };
      instruments.add(instrument);
      positions.add(new Position(id, contracts, instrument.isOption() ? Double.NaN : forward));
    }
    Account account = new Account(portfolio.id(), null, portfolio.marginMode(), portfolio.marginCurrency(), positions,
        portfolio.collateral());
    return new InstantiatedPortfolio(portfolio, day.date(), account, instruments);
  }
}
