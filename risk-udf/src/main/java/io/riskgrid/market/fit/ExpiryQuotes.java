package io.riskgrid.market.fit;

import io.riskgrid.InvalidInputException;
import java.time.Instant;

/**
 * The options of one expiry as the SVI fit sees them: strikes (USD per coin) with their mark implied
 * vols (decimal, 0.55 is 55%), the expiry's forward F (USD per coin) and its year fraction T from the
 * valuation instant (ACT/365, DESIGN §3). Arrays are copied; indices match.
 */
public record ExpiryQuotes(Instant expiry, double tau, double forward, double[] strikes, double[] ivs) {

  public ExpiryQuotes {
    String where = "expiry " + expiry;
    if (expiry == null) {
      throw new InvalidInputException("expiry", "is missing");
    }
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new InvalidInputException(where + ".tau", "must be finite and > 0 (the expiry must be after the valuation instant), got " + tau);
    }
    InvalidInputException.requirePositive(where + ".forward", forward);
    if (strikes.length != ivs.length) {
      throw new InvalidInputException(where, strikes.length + " strikes but " + ivs.length + " vols");
    }
    strikes = strikes.clone();
    ivs = ivs.clone();
    for (int i = 0; i < strikes.length; i++) {
      InvalidInputException.requirePositive(where + ".strike[" + i + "]", strikes[i]);
      InvalidInputException.requirePositive(where + ".iv[" + i + "]", ivs[i]);
    }
  }

  /** Number of options. */
  public int size() {
    return strikes.length;
  }

  /** Log-moneyness k = ln(K/F) of option i. */
  public double logMoneyness(int i) {
    return Math.log(strikes[i] / forward);
  }

  @Override
  public double[] strikes() {
    return strikes.clone();
  }

  @Override
  public double[] ivs() {
    return ivs.clone();
  }
}
