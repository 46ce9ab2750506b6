package io.riskgrid.backtest.history;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * A (portfolio, t) that is not an observation (DESIGN §3.6), with why.
 *
 * @param category a short, countable reason (see {@link Category})
 * @param detail   the full reason, naming the input
 */
public record SkippedDay(String portfolioId, LocalDate date, Category category, String detail) implements Serializable {

  /** Why a day is not observed. */
  public enum Category {
    /** No market on t. */
    NO_MARKET,
    /** No market on t + h. */
    NO_MARKET_AT_HORIZON,
    /** The market of t cannot instantiate the portfolio (a leg's underlying is missing or invalid). */
    NOT_INSTANTIABLE,
    /** The engine's status at t is DATA_ERROR. */
    DATA_ERROR,
    /** The engine's status at t is REJECTED. */
    REJECTED,
    /** The market of t + h cannot value the frozen portfolio. */
    NOT_REVALUABLE
  }
}
