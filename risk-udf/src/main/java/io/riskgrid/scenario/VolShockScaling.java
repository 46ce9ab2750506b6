package io.riskgrid.scenario;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;

/**
 * Tenor scaling of vol shocks, {@code g(T) = (refDays / max(T·365, minDays))^power} on the option's
 * current T, and the floor {@code volFloor} (decimal) on every shocked vol.
 */
public record VolShockScaling(double refDays, double power, double minDays, double volFloor) implements Serializable {

  public VolShockScaling {
    InvalidInputException.requirePositive("vol_scaling.ref_days", refDays);
    InvalidInputException.requireFinite("vol_scaling.power", power);
    InvalidInputException.requirePositive("vol_scaling.min_days", minDays);
    if (!(volFloor >= 0) || !Double.isFinite(volFloor)) {
      throw new InvalidInputException("vol_scaling.vol_floor", "must be finite and >= 0, got " + volFloor);
    }
  }

  /** g(T) for an option with year fraction {@code tau}. */
  public double tenorFactor(double tau) {
    return Math.pow(refDays / Math.max(tau * 365.0, minDays), power);
  }

  /** The shocked vol for base vol {@code sigma}, shock {@code v} in {@code mode}, at tenor {@code tau}. */
  public double shock(VolMode mode, double sigma, double v, double tau) {
    double g = tenorFactor(tau);
    double shocked = mode == VolMode.ADDITIVE ? sigma + v * g : sigma * (1 + v * g);
    return Math.max(shocked, volFloor);
  }
}
