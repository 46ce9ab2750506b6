package io.riskgrid.backtest.history;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketDataException;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.CollateralRules;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.pricing.Black76;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The equity V of a frozen portfolio at any market (DESIGN §3.4 Equity, §3.6 Loss), in its margin currency:
 * collateral after haircuts (USD accounts; a coin account's own coin at face value) plus the positions
 * valued at that market with their expiries as instantiated, so every T has aged to the market's
 * valuation instant:
 * <ul>
 *   <li>options at Black-76 on the market's forward of their expiry and its surface at k = ln(K/F):
 *       q·m·V linear, q·m·V/F inverse;</li>
 *   <li>futures and perpetuals at unrealised P&amp;L against entry: q·m·(F − entry) linear,
 *       q·N·(1/entry − 1/F) inverse (F = S for perpetuals);</li>
 *   <li>an option or future whose expiry is at or before the valuation instant has settled on the realised
 *       index S* of {@link SettlementIndex}: options at intrinsic q·m·max(0, ±(S* − K)) linear, divided by S*
 *       for inverse; futures at F = S*.</li>
 * </ul>
 * At the day of instantiation this is exactly the engine's equity ({@code MarginCalculator}), which the
 * tests check.
 */
public final class PortfolioValuer {

  /** The realised index (USD per coin) an instrument of {@code underlying} that expired at {@code expiry} settles on. */
  @FunctionalInterface
  public interface SettlementIndex {
    double at(String underlying, Instant expiry);
  }

  private PortfolioValuer() {}

  /**
   * V of the portfolio at {@code market}, in its margin currency.
   *
   * @throws MarketDataException when the market cannot value a leg or a collateral coin
   */
  public static double equity(InstantiatedPortfolio portfolio, MarketSnapshot market, SettlementIndex settlement,
      MarginPolicy policy) {
    double v = collateral(portfolio, market, policy);
    List<Instrument> instruments = portfolio.instruments();
    List<Position> positions = portfolio.account().positions();
    for (int i = 0; i < instruments.size(); i++) {
      v += positionValue(instruments.get(i), positions.get(i), market, settlement);
    }
    return v;
  }

  /** One position's value at {@code market}, in its settlement currency. */
  static double positionValue(Instrument ins, Position position, MarketSnapshot market, SettlementIndex settlement) {
    double q = position.quantity();
    double m = ins.multiplier();
    boolean expired = ins.expiry() != null && !ins.expiry().isAfter(market.asOf());
    if (expired) {
      double s = settlement.at(ins.underlying(), ins.expiry());
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new MarketDataException(ins.id(), "no settlement index for " + ins.underlying() + " at " + ins.expiry());
      }
      if (ins.isOption()) {
        double intrinsic = ins.isCall() ? Math.max(0, s - ins.strike()) : Math.max(0, ins.strike() - s);
        return ins.isInverse() ? q * m * intrinsic / s : q * m * intrinsic;
      }
      return deltaOneValue(ins, q, s, position.entryPrice());
    }
    UnderlyingMarket um = usable(market, ins.underlying(), ins.id());
    if (ins.kind() == InstrumentKind.PERPETUAL) {
      return deltaOneValue(ins, q, um.index(), position.entryPrice());
    }
    double forward = um.forward(ins.expiry());
    if (!ins.isOption()) {
      return deltaOneValue(ins, q, forward, position.entryPrice());
    }
    double tau = TimeConventions.yearFraction(market.asOf(), ins.expiry());
    double markIv = market.markIv(ins.id());
    double vol = Double.isNaN(markIv)
        ? um.surfaceVol(ins.id(), ins.expiry(), tau, Math.log(ins.strike() / forward)) : markIv;
    double value = Black76.price(ins.isCall(), forward, ins.strike(), tau, vol, um.rate());
    return ins.isInverse() ? q * m * value / forward : q * m * value;
  }

  private static double deltaOneValue(Instrument ins, double q, double price, double entry) {
    return ins.isInverse() ? q * ins.multiplier() * (1 / entry - 1 / price) : q * ins.multiplier() * (price - entry);
  }

  private static double collateral(InstantiatedPortfolio portfolio, MarketSnapshot market, MarginPolicy policy) {
    boolean coinAccount = !portfolio.account().marginCurrency().equals("USD");
    CollateralRules rules = policy.collateral();
    double v = 0;
    for (CollateralBalance c : portfolio.account().collateral()) {
      double q = c.quantity();
      if (q == 0) {
        continue;
      }
      if (coinAccount) {
        v += q;
        continue;
      }
      String asset = c.asset().trim().toUpperCase(Locale.ROOT);
      if (!rules.isStablecoin(asset) && Double.isNaN(rules.haircut(asset))) {
        throw new MarketDataException(portfolio.portfolio().id() + " collateral " + asset,
            "policy " + policy.name() + " has no haircut for " + asset);
      }
      double units = rules.balanceAfterHaircut(asset, q);
      v += rules.isStablecoin(asset)
          ? units : units * usable(market, asset, portfolio.portfolio().id() + " collateral " + asset).index();
    }
    return v;
  }

  private static UnderlyingMarket usable(MarketSnapshot market, String underlying, String what) {
    UnderlyingMarket um = market.underlying(underlying);
    if (um == null || um.dataError() != null) {
      throw new MarketDataException(what, "no usable " + underlying + " market at " + market.asOf()
          + (um == null ? "" : ": " + um.dataError()));
    }
    return um;
  }
}
