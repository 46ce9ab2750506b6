package io.riskgrid.margin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One source's part of an underlying's MM (DESIGN §7.3), in the account's margin currency: positive
 * raises the margin, negative (a hedge) lowers it. The contributions of an underlying sum to its MM.
 *
 * @param source an instrument id, a collateral asset, or {@link #OTHER} for the rest of a truncated list
 */
public record Contribution(String source, double amount) implements Serializable {
  /** The source of the row that sums every contribution left out of a top-N list. */
  public static final String OTHER = "OTHER";

  /**
   * The {@code n} largest contributions by absolute value plus one {@link #OTHER} row summing the rest
   * (none when nothing is left out), so the list still sums to the same MM. {@code all} must be sorted
   * by decreasing absolute value, as {@link UnderlyingMargin#contributions()} is.
   */
  public static List<Contribution> top(List<Contribution> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<Contribution> out = new ArrayList<>(all.subList(0, n));
    double rest = 0;
    for (int i = n; i < all.size(); i++) {
      rest += all.get(i).amount();
    }
    out.add(new Contribution(OTHER, rest));
    return out;
  }
}
