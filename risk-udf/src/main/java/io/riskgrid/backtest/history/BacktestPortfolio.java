package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.MarginCurrency;
import io.riskgrid.margin.MarginMode;
import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

/**
 * A backtest portfolio in relative terms (DESIGN §3.6): legs re-instantiated every day plus constant
 * collateral balances (asset units: USD for stablecoins, coins otherwise), in one margin account.
 * Settlement and account currency are checked here as the engine would (§3.2): linear legs in a USD
 * account, inverse legs of coin C in a C account holding only C.
 *
 * @param id             the {@code portfolio_id}
 * @param description    what the portfolio is, for the printed summary
 * @param marginCurrency USD or a coin
 * @param marginMode     PORTFOLIO (the panel) or STANDARD: the mode the instantiated account is margined in, so that
 *                       a converted STANDARD account is backtested on the margin it is actually charged
 */
public record BacktestPortfolio(String id, String description, String marginCurrency, String marginMode,
    List<PanelLeg> legs, List<CollateralBalance> collateral) implements Serializable {

  /** A portfolio margined as a PORTFOLIO account, as every panel portfolio is. */
  public BacktestPortfolio(String id, String description, String marginCurrency, List<PanelLeg> legs,
      List<CollateralBalance> collateral) {
    this(id, description, marginCurrency, MarginMode.PORTFOLIO.name(), legs, collateral);
  }

  public BacktestPortfolio {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("portfolio_id", "is missing");
    }
    if (PanelStatistics.isPooled(id)) {
      throw new InvalidInputException("portfolio_id", id + " is a pooled row of backtest_summary (ALL, ALL:<group>);"
          + " choose another id");
    }
    MarginCurrency currency = MarginCurrency.parse(marginCurrency);
    marginCurrency = currency.code();
    try {
      marginMode = MarginMode.valueOf(String.valueOf(marginMode)).name();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("portfolio " + id + " margin_mode", "must be PORTFOLIO or STANDARD, got " + marginMode);
    }
    legs = List.copyOf(legs);
    collateral = List.copyOf(collateral);
    if (legs.isEmpty() && collateral.isEmpty()) {
      throw new InvalidInputException("portfolio " + id, "has neither legs nor collateral");
    }
    boolean usd = !currency.isCoin();
    for (int i = 0; i < legs.size(); i++) {
      PanelLeg leg = legs.get(i);
      boolean inverse = leg.settlement() == Settlement.INVERSE;
      boolean ok = usd ? !inverse : inverse && leg.underlying().equals(marginCurrency);
      if (!ok) {
        throw new InvalidInputException("portfolio " + id + " leg " + i, "a " + leg.settlement() + " " + leg.underlying()
            + " leg cannot be held in a " + marginCurrency + " account: linear legs go in USD accounts, inverse legs in"
            + " an account of their own coin");
      }
    }
    for (CollateralBalance c : collateral) {
      if (!usd && !c.asset().equals(marginCurrency)) {
        throw new InvalidInputException("portfolio " + id + " collateral " + c.asset(),
            "a " + marginCurrency + " account holds only " + marginCurrency);
      }
    }
  }

  /** The underlyings of the legs and of coin collateral (every asset that is not USD-like is a coin here). */
  public TreeSet<String> underlyings(java.util.function.Predicate<String> isStablecoin) {
    TreeSet<String> names = new TreeSet<>();
    legs.forEach(l -> names.add(l.underlying()));
    collateral.stream().filter(c -> c.quantity() != 0 && !isStablecoin.test(c.asset())).forEach(c -> names.add(c.asset()));
    return names;
  }
}
