package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Anti-procyclicality tools (DESIGN §7.7). JSON: {@code anti_procyclicality}. The backtest reports the panel's
 * margin with and without each tool on the same days; the daily margin run does not apply them.
 *
 * @param buffer b, the margin buffer as a fraction of the required margin (dimensionless, ≥ 0; EMIR: 0.25): the
 *     posted margin carries up to R·(1 + b) in calm days and a rise of R is paid from the buffer first
 *     ({@code anti_procyclicality.buffer})
 * @param stressedFloor f ≥ 0: margin is floored at f × the portfolio's margin under the stressed window
 *     ({@code anti_procyclicality.stressed_floor}, e.g. 0.5)
 * @param stressedWindowFrom first day of the stressed window, a historical close-to-close move of every
 *     underlying ({@code anti_procyclicality.stressed_window[0]}, e.g. 2022-11-07)
 * @param stressedWindowTo last day of the window, after the first ({@code anti_procyclicality.stressed_window[1]})
 */
public record AntiProcyclicality(double buffer, double stressedFloor, LocalDate stressedWindowFrom,
    LocalDate stressedWindowTo) implements Serializable {

  public AntiProcyclicality {
    if (!(buffer >= 0) || Double.isInfinite(buffer)) {
      throw new InvalidInputException("anti_procyclicality.buffer", "must be finite and >= 0, got " + buffer);
    }
    if (!(stressedFloor >= 0) || Double.isInfinite(stressedFloor)) {
      throw new InvalidInputException("anti_procyclicality.stressed_floor", "must be finite and >= 0, got "
          + stressedFloor);
    }
    Objects.requireNonNull(stressedWindowFrom, "stressedWindowFrom");
    Objects.requireNonNull(stressedWindowTo, "stressedWindowTo");
    if (!stressedWindowTo.isAfter(stressedWindowFrom)) {
      throw new InvalidInputException("anti_procyclicality.stressed_window", "must end after it starts, got "
          + stressedWindowFrom + " to " + stressedWindowTo);
    }
  }
}
