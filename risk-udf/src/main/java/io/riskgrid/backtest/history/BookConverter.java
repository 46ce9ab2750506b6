package io.riskgrid.backtest.history;

import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.CollateralEquity;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.MarginMode;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The accounts of one date D in the backtest's relative form (DESIGN §3.6: "accounts of a given date are
 * converted to this form"), so that the exchange's own book is backtested exactly as the panel is.
 *
 * <p>Each account is first margined by the engine on D's market, as the margin run margins it: an account that is
 * REJECTED or DATA_ERROR there cannot be converted and comes back as an unconvertible {@link Outcome} with the
 * engine's status and reason, never dropped. A valid account becomes one {@link BacktestPortfolio} with the
 * account's id and margin currency, margined as a PORTFOLIO account whatever its own mode: the backtest validates
 * the policy's risk model, and a STANDARD account's standard margin is the §3.4 comparison baseline, not a risk
 * model (a long option has none, so every day its option loses time value would be a breach). Per position one
 * {@link PanelLeg} anchored at the {@link PanelLeg.TenorAnchor#VALUATION_INSTANT}:
 * <ul>
 *   <li>tenor = (expiry − as_of_ts) in days, unrounded (T·365 of §3), so the leg keeps its time to expiry on every
 *       day; 0 for a perpetual, which the panel represents as it is (kind PERPETUAL, valued at S);</li>
 *   <li>moneyness = K / F, F the option's own forward at D (the forward the engine valued it on);</li>
 *   <li>coin quantity = quantity × the engine's coin per contract: q·m for linear instruments and inverse options,
 *       q·N/F for inverse futures (F = S for inverse perpetuals); re-instantiated with m = 1 (N = 1 USD), this gives
 *       back q·m contracts, or q·N USD of notional at D;</li>
 *   <li>collateral: every non-zero balance, asset names normalised as the engine reads them.</li>
 * </ul>
 * Positions with quantity 0 hold nothing and give no leg (the engine's sums over them are 0). What the relative
 * form cannot carry: entry prices (a re-instantiated future opens at mark, which changes equity and status but
 * never margin or loss, both of which are differences in F), and an option's own mark IV from
 * {@code market_option_marks} (the re-instantiated leg reads the surface, as every history day must). An account
 * whose id is a pooled row of {@code backtest_summary}, or that holds nothing at all, is unconvertible with that
 * reason.
 */
public final class BookConverter {
  /** The status of an account the converter itself cannot represent (its margin run status was valid). */
  public static final String UNCONVERTIBLE = "UNCONVERTIBLE";

  private final Instant asOf;
  private final MarginCalculator calculator;

  /**
   * One converter per date: the engine's book of D's instruments (with the rows that failed to parse, by id and
   * reason) valued at D's market under {@code policy}.
   */
  public BookConverter(MarketSnapshot market, Collection<Instrument> instruments, Map<String, String> malformed,
      MarginPolicy policy, RiskKernel kernel) {
    this.asOf = market.asOf();
    this.calculator = new MarginCalculator(InstrumentBook.build(market, instruments, malformed, policy, kernel), kernel);
  }

  /**
   * One account's conversion: its portfolio, or (portfolio null) why it has none.
   *
   * @param status    the account's engine status at D (OK, MARGIN_CALL, ...), REJECTED or DATA_ERROR from the engine,
   *                  or {@value #UNCONVERTIBLE}
   * @param reason    null when converted
   * @param marginAtD the engine's margin of the original account at D (null figures when it is invalid)
   */
  public record Outcome(String accountId, String marginCurrency, String status, String reason,
      BacktestPortfolio portfolio, AccountMargin marginAtD) implements Serializable {
    public boolean converted() {
      return portfolio != null;
    }
  }

  /** Every account's outcome, in input order. */
  public List<Outcome> convert(List<Account> accounts) {
    List<AccountMargin> margins = calculator.marginAll(accounts);
    List<Outcome> out = new ArrayList<>(accounts.size());
    for (int k = 0; k < accounts.size(); k++) {
      Account a = accounts.get(k);
      AccountMargin m = margins.get(k);
      if (!m.isValid()) {
        out.add(new Outcome(a.accountId(), a.marginCurrency(), m.status().name(), m.reason(), null, m));
        continue;
      }
      try {
        out.add(new Outcome(a.accountId(), m.marginCurrency(), m.status().name(), null,
            portfolio(a, m, calculator.instrumentRows(k)), m));
      } catch (InvalidInputException e) {
        out.add(new Outcome(a.accountId(), m.marginCurrency(), UNCONVERTIBLE, e.getMessage(), null, m));
      }
    }
    return out;
  }

  private BacktestPortfolio portfolio(Account a, AccountMargin m, int[] rows) {
    if (a.accountId() == null || a.accountId().isBlank()) {
      throw new InvalidInputException("account_id", "is missing");
    }
    if (PanelStatistics.isPooled(a.accountId())) {
      throw new InvalidInputException("account " + a.accountId(), "its id is a pooled row of backtest_summary");
    }
    ValuedBook book = calculator.book().valued();
    List<PanelLeg> legs = new ArrayList<>();
    TreeSet<String> underlyings = new TreeSet<>();
    for (int j = 0; j < rows.length; j++) {
      Position p = a.positions().get(j);
      if (p.quantity() == 0) {
        continue;
      }
      Instrument ins = book.instrument(rows[j]);
      legs.add(leg(ins, p.quantity() * book.coinPerContract(rows[j]), book.forward(rows[j]), a.accountId()));
      underlyings.add(ins.underlying());
    }
    List<CollateralBalance> collateral = new ArrayList<>();
    for (CollateralBalance c : a.collateral()) {
      if (c.quantity() != 0) {
        collateral.add(new CollateralBalance(CollateralEquity.normalisedAsset(c), c.quantity()));
      }
    }
    if (legs.isEmpty() && collateral.isEmpty()) {
      throw new InvalidInputException("account " + a.accountId(), "holds no position and no collateral: nothing to backtest");
    }
    String description = "account, " + (m.marginMode().equals(MarginMode.STANDARD.name())
        ? "STANDARD (backtested on PM)" : m.marginMode()) + ", " + legs.size() + " legs" + (underlyings.isEmpty() ? ""
        : " on " + String.join("+", underlyings)) + (collateral.isEmpty() ? "" : ", " + collateral.size() + " collateral");
    return new BacktestPortfolio(a.accountId(), description, m.marginCurrency(), MarginMode.PORTFOLIO.name(), legs,
        collateral);
  }

  /** One position as a leg; the expiry must come back exactly from the tenor on D's own market. */
  private PanelLeg leg(Instrument ins, double coinQuantity, double forward, String accountId) {
    double tenorDays = 0;
    double moneyness = Double.NaN;
    if (ins.kind() != InstrumentKind.PERPETUAL) {
      tenorDays = TimeConventions.yearFraction(asOf, ins.expiry()) * 365;
      Instant back = asOf.plus(Math.round(tenorDays * PanelInstantiator.MICROS_PER_DAY), java.time.temporal.ChronoUnit.MICROS);
      if (!back.equals(ins.expiry())) {
        throw new InvalidInputException("account " + accountId + " instrument " + ins.id(), "expiry " + ins.expiry()
            + " is not a whole number of microseconds after the valuation instant " + asOf);
      }
    }
    if (ins.isOption()) {
      moneyness = ins.strike() / forward;
    }
    return new PanelLeg(ins.underlying(), ins.kind(), ins.settlement(), ins.optionType(), tenorDays, moneyness,
        coinQuantity, PanelLeg.TenorAnchor.VALUATION_INSTANT);
  }
}
