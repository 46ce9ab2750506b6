package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Parameters of model validation (DESIGN §3.6). JSON: {@code backtest}.
 *
 * @param confidence the coverage MM should reach, in (0, 1); breaches are tested against p = 1 − confidence
 *     ({@code backtest.confidence})
 * @param ivOverRv the ATM implied vol of a day without DVOL, as a multiple of the 30-day realised vol of
 *     daily log returns (dimensionless, > 0; {@code backtest.iv_over_rv})
 */
public record BacktestParameters(double confidence, double ivOverRv) implements Serializable {

  public BacktestParameters {
    if (!(confidence > 0 && confidence < 1)) {
      throw new InvalidInputException("backtest.confidence", "must be in (0, 1), got " + confidence);
    }
    InvalidInputException.requirePositive("backtest.iv_over_rv", ivOverRv);
  }
}
