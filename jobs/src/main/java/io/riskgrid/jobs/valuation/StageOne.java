package io.riskgrid.jobs.valuation;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import java.util.Collection;
import java.util.Map;

/**
 * Stage 1 of DESIGN §2 as the jobs run it, on the driver: every instrument valued under every scenario
 * of the policy (P&L matrix, Greeks) into the book that stage 2 margins accounts on. The one place in
 * {@code jobs} that asks the engine for a book.
 */
public final class StageOne {
  private StageOne() {}

  /** The book of one date's market; instruments that failed to parse reject the accounts holding them. */
  public static InstrumentBook book(MarketTables.MarketOfDate market, MarginPolicy policy, RiskKernel kernel) {
    return InstrumentBook.build(market.snapshot(), market.instruments().instruments(),
        market.instruments().malformed(), policy, kernel);
  }

  /** The book of instruments known to be well formed, such as a generated universe. */
  public static InstrumentBook book(MarketSnapshot market, Collection<Instrument> instruments, MarginPolicy policy,
      RiskKernel kernel) {
    return InstrumentBook.build(market, instruments, Map.of(), policy, kernel);
  }
}
