package io.riskgrid.margin;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.valuation.ValuedBook;
import io.riskgrid.valuation.ValuedBookBuilder;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * Stage 1 of DESIGN §2 as stage 2 needs it: the {@link ValuedBook} (marks, Greeks, P&amp;L matrix) of
 * one market snapshot, the policy it was valued under, and the rule tables built from it, so that
 * stage 2 is a sum over positions. Broadcast to executors.
 */
public final class InstrumentBook implements Serializable {
  private static final long serialVersionUID = 2L;

  private final MarginPolicy policy;
  private final ValuedBook valued;
  final RuleTables rules;

  private InstrumentBook(MarginPolicy policy, ValuedBook valued, RuleTables rules) {
    this.policy = policy;
    this.valued = valued;
    this.rules = rules;
  }

  /** Values {@code instruments} at {@code market} under {@code policy} and builds the rule tables. */
  public static InstrumentBook build(MarketSnapshot market, Collection<Instrument> instruments, MarginPolicy policy,
      RiskKernel kernel) {
    return build(market, instruments, Map.of(), policy, kernel);
  }

  /** As above, remembering instrument rows that failed to parse so that positions in them name the reason. */
  public static InstrumentBook build(MarketSnapshot market, Collection<Instrument> instruments,
      Map<String, String> malformed, MarginPolicy policy, RiskKernel kernel) {
    ValuedBook valued = ValuedBookBuilder.build(market, instruments, malformed, policy.scenarios(), kernel);
    return new InstrumentBook(policy, valued, RuleTables.build(valued, policy.standardMargin()));
  }

  public MarginPolicy policy() { return policy; }

  /** Marks, Greeks, P&amp;L matrix and the market facts of every instrument. */
  public ValuedBook valued() { return valued; }
}
