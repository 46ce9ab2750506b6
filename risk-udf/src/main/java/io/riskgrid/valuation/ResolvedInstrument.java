package io.riskgrid.valuation;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;

/**
 * One instrument's market facts at one snapshot (DESIGN §3.1–§3.2): what every valuer of a contract
 * needs before it prices anything. Stage 1 ({@link ValuedBookBuilder}) and the backtest's portfolio
 * valuer resolve through here, so the forward, the year fraction and the vol lookup have one definition.
 *
 * @param spot the underlying's index S, USD per coin
 * @param forward F of the instrument's expiry, USD per coin; S for perpetuals (they are marked at the index)
 * @param tau time to expiry T in years (ACT/365 of {@link TimeConventions}); 0 for perpetuals
 * @param vol the option's base implied vol σ (decimal, annualised): its mark IV when the market lists one,
 *     else the surface at k = ln(K/F); NaN for futures and perpetuals
 * @param rate continuously compounded discount rate r of the underlying (decimal per year)
 */
public record ResolvedInstrument(Instrument instrument, double spot, double forward, double tau, double vol,
    double rate) {

  /**
   * Resolves {@code instrument} against {@code market}, whose underlying market {@code um} the caller has
   * checked is present and usable; the instrument must not have expired at {@code market.asOf()}.
   *
   * @throws io.riskgrid.InvalidInputException when the market cannot give a forward or a vol for it
   *     (the message names the instrument or the surface)
   */
  public static ResolvedInstrument resolve(MarketSnapshot market, UnderlyingMarket um, Instrument instrument) {
    double spot = um.index();
    double forward = instrument.kind() == InstrumentKind.PERPETUAL ? spot : um.forward(instrument.expiry());
    double tau = instrument.expiry() == null ? 0.0 : TimeConventions.yearFraction(market.asOf(), instrument.expiry());
    double vol = Double.NaN;
    if (instrument.isOption()) {
      double markIv = market.markIv(instrument.id());
      vol = Double.isNaN(markIv)
          ? um.surfaceVol(instrument.id(), instrument.expiry(), tau, Math.log(instrument.strike() / forward)) : markIv;
    }
    return new ResolvedInstrument(instrument, spot, forward, tau, vol, um.rate());
  }

  /** e^{−rT}: the discount of a payoff at expiry. */
  public double discount() {
    return Math.exp(-rate * tau);
  }
}
