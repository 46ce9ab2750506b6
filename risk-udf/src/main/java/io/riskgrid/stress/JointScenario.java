package io.riskgrid.stress;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One exchange-wide stress scenario (DESIGN §3.5): every listed underlying gets its own move
 * (price shock p, vol shock v, horizon h days); an underlying absent from {@code moves} is unshocked
 * (p = 0, v = 0, h = 0). {@code substitutions} says which market data were substituted and how.
 */
public record JointScenario(String label, Map<String, Move> moves, List<String> substitutions) implements Serializable {

  /** One underlying's move; vol shock additive at the 30-day reference tenor unless the set says otherwise. */
  public record Move(double p, double v, double horizonDays) implements Serializable {}

  public JointScenario {
    moves = Map.copyOf(moves);
    substitutions = List.copyOf(substitutions);
  }

  public Move move(String underlying) {
    return moves.getOrDefault(underlying, new Move(0, 0, 0));
  }
}
