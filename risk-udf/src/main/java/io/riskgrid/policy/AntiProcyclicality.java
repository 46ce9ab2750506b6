package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Anti-procyclicality tools (DESIGN §7.7). JSON: {@code anti_procyclicality}. The backtest reports the panel's
 * margin with and without each tool on the same days; the daily margin run does not apply them.
 *
 * @param buffer b, the margin buffer as a fraction of the required margin (dimensionless, ≥ 0; EMIR: 0.25): the
 *     posted margin carries up to R·(1 + b) in calm days and a rise of R is paid from the buffer first
 *     ({@code anti_procyclicality.buffer})
 */
public record AntiProcyclicality(double buffer) implements Serializable {

  public AntiProcyclicality {
    if (!(buffer >= 0) || Double.isInfinite(buffer)) {
      throw new InvalidInputException("anti_procyclicality.buffer", "must be finite and >= 0, got " + buffer);
    }
  }
}
