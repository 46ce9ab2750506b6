package io.riskgrid.backtest.history;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.CollateralEquity;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketDataException;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.CollateralRules;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.pricing.Black76;
import io.riskgrid.valuation.ContractValue;
import io.riskgrid.valuation.ResolvedInstrument;
import java.time.Instant;
import java.util.List;

/**
 * The equity V of a frozen portfolio at any market (DESIGN §3.4 Equity, §3.6 Loss), in its margin currency:
 * collateral after haircuts ({@link CollateralEquity}: USD accounts; a coin account's own coin at face
 * value) plus the positions valued at that market with their expiries as instantiated, so every T has
 * aged to the market's valuation instant. Market facts come from {@link ResolvedInstrument} and the
 * contract formulas from {@link ContractValue}, as in stage 1:
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
    boolean expired = ins.expiry() != null && !ins.expiry().isAfter(market.asOf());
    if (expired) {
      double s = settlement.at(ins.underlying(), ins.expiry());
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new MarketDataException(ins.id(), "no settlement index for " + ins.underlying() + " at " + ins.expiry());
      }
      return ins.isOption() ? q * ContractValue.settledOption(ins, s)
          : ContractValue.deltaOneValue(ins, q, position.entryPrice(), s);
    }
    ResolvedInstrument r = ResolvedInstrument.resolve(market, usable(market, ins.underlying(), ins.id()), ins);
    if (!ins.isOption()) {
      return ContractValue.deltaOneValue(ins, q, position.entryPrice(), r.forward());
    }
    double price = Black76.price(ins.isCall(), r.forward(), ins.strike(), r.tau(), r.vol(), r.rate());
    return q * ContractValue.optionMark(ins, price, r.forward());
  }

  private static double collateral(InstantiatedPortfolio portfolio, MarketSnapshot market, MarginPolicy policy) {
    String id = portfolio.portfolio().id();
    CollateralRules rules = policy.collateral();
    for (CollateralBalance c : portfolio.account().collateral()) {
      String asset = CollateralEquity.normalisedAsset(c);
      if (c.quantity() > 0 && !rules.isStablecoin(asset) && Double.isNaN(rules.haircut(asset))) {
        throw new MarketDataException(id + " collateral " + asset, "policy " + policy.name() + " has no haircut for " + asset);
      }
    }
    return CollateralEquity.of(portfolio.account().collateral(), MarginCurrency.parse(portfolio.account().marginCurrency()),
        rules, asset -> usable(market, asset, id + " collateral " + asset).index());
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
