package io.riskgrid.backtest.history;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.Account;
import java.io.Serializable;
import java.util.List;

/**
 * A backtest portfolio made concrete against the market of day {@code date}: one instrument per leg, in leg
 * order, and the engine account holding them (positions in the same order) with the portfolio's collateral.
 * This is the frozen portfolio whose loss over the horizon is measured.
 */
public record InstantiatedPortfolio(BacktestPortfolio portfolio, java.time.LocalDate date, Account account,
    List<Instrument> instruments) implements Serializable {

  public InstantiatedPortfolio {
    instruments = List.copyOf(instruments);
    if (instruments.size() != account.positions().size()) {
      throw new IllegalArgumentException("one instrument per position: " + instruments.size() + " instruments, "
          + account.positions().size() + " positions");
    }
  }
}
