package io.riskgrid.policy;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * The historical expected-shortfall margin of DESIGN §7.6 (policy methodology {@code historical-es}): per
 * account, L_j = −(P&amp;L of positions and collateral in joint scenario j, margin currency), ES_c = the mean
 * of the worst ⌈(1 − c)·N⌉ of the N losses, MM = max(ES_c, Σ_u SOM_u, 0), IM = im_multiplier·MM. JSON:
 * {@code historical_es.confidence}.
 *
 * @param confidence c, e.g. 0.975; in [0.5, 1)
 */
public record ExpectedShortfall(double confidence) implements Serializable {
  public ExpectedShortfall {
    if (!(confidence >= 0.5 && confidence < 1)) {
      throw new InvalidInputException("historical_es.confidence", "must be in [0.5, 1), got " + confidence);
    }
  }

  /** The number of worst losses averaged out of {@code scenarios}: ⌈(1 − c)·N⌉, at least 1. */
  public int tailSize(int scenarios) {
    // The small epsilon keeps (1 − 0.975)·1000 = 25.000000000000004 from becoming 26.
    return Math.max(1, (int) Math.ceil((1 - confidence) * scenarios - 1e-9));
  }
}
