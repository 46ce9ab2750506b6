package io.riskgrid.backtest;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One observed backtest day: whether the realised loss breached the margin (DESIGN §3.6,
 * {@code L_t > MM_t}).
 *
 * @param day    the day as an integer index; consecutive calendar days differ by 1. For a
 *               {@link LocalDate} it is the epoch day ({@link #of(LocalDate, boolean)})
 * @param breach true when the loss exceeded the margin on that day
 */
public record BreachDay(long day, boolean breach) {

  /**
   * A day given by its index.
   *
   * @param day    the day index (any integer; only differences matter)
   * @param breach whether the day breached
   * @return the observed day
   */
  public static BreachDay of(long day, boolean breach) {
    return new BreachDay(day, breach);
  }

  /**
   * A day given by its calendar date, indexed by {@link LocalDate#toEpochDay()}.
   *
   * @param date   the observation date t
   * @param breach whether the day breached
   * @return the observed day
   */
  public static BreachDay of(LocalDate date, boolean breach) {
    Objects.requireNonNull(date, "date");
    return new BreachDay(date.toEpochDay(), breach);
  }
}
