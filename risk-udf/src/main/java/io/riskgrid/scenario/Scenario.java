package io.riskgrid.scenario;

import io.riskgrid.InvalidInputException;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One market move of one underlying: price shock p (decimal, S' = S(1+p), p > −1), vol shock v
 * (decimal vol for ADDITIVE, decimal fraction for RELATIVE), horizon h in days, kind and cover
 * (the weight of an EXTREME loss; 1 for REGULAR).
 */
public record Scenario(String label, double priceShock, double volShock, double horizonDays, ScenarioKind kind,
    double cover) implements Serializable {

  public Scenario {
    String where = "scenario " + label;
    if (!(priceShock > -1) || !Double.isFinite(priceShock)) {
      throw new InvalidInputException(where + ".p", "price shock must be finite and > -1, got " + priceShock);
    }
    InvalidInputException.requireFinite(where + ".v", volShock);
    if (!(horizonDays >= 0) || !Double.isFinite(horizonDays)) {
      throw new InvalidInputException(where + ".h_days", "horizon must be finite and >= 0, got " + horizonDays);
    }
    if (!(cover >= 0 && cover <= 1)) {
      throw new InvalidInputException(where + ".cover", "cover must be in [0, 1], got " + cover);
    }
  }

  /** A grid scenario with its DESIGN §3.3 label. */
  public static Scenario of(double p, double v, double horizonDays, ScenarioKind kind, double cover) {
    InvalidInputException.requireFinite("scenario.p", p);
    InvalidInputException.requireFinite("scenario.v", v);
    InvalidInputException.requireFinite("scenario.h_days", horizonDays);
    return new Scenario(label(p, v, horizonDays, kind), p, v, horizonDays, kind, kind == ScenarioKind.REGULAR ? 1.0 : cover);
  }

  /**
   * {@code p{±pct}_v{±pts}}, each the shortest decimal; EXTREME adds {@code _x}; then any scenario adds
   * {@code _h{days}} when h ≠ 1, so two scenarios that differ only in horizon keep distinct labels
   * (DESIGN §3.3: {@code p-30_v+10_x_h3}, {@code p-20_v+10_h3}). Relative vol shocks print in percent,
   * additive ones in vol points: both are v·100.
   */
  public static String label(double p, double v, double horizonDays, ScenarioKind kind) {
    StringBuilder b = new StringBuilder("p").append(signedPercent(p)).append("_v").append(signedPercent(v));
    if (kind == ScenarioKind.EXTREME) {
      b.append("_x");
    }
    if (horizonDays != 1) {
      b.append("_h").append(shortest(BigDecimal.valueOf(horizonDays)));
    }
    return b.toString();
  }

  private static String signedPercent(double x) {
    // BigDecimal.valueOf uses the shortest repr of x, so 0.15 prints 15, not 15.000000000000002.
    BigDecimal pct = BigDecimal.valueOf(x).movePointRight(2);
    String s = shortest(pct);
    return pct.signum() < 0 ? s : "+" + s;
  }

  private static String shortest(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }
}
