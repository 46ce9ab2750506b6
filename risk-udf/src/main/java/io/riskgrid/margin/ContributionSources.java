package io.riskgrid.margin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The sources of one contributions call (DESIGN §7.3): an amount in the margin currency per instrument
 * or collateral asset, summed where an instrument is held twice, listed largest first. Sources of an
 * instrument are found by its row in the valued book: {@code rowStamp[i] == stamp} marks row i as a source
 * of the current call, at {@code rowSlot[i]}; a new call only increments the stamp, so nothing is cleared.
 * A map from id to slot with boxed amounts, made per account and underlying, was a third of the
 * contributions' cost (#19). Not thread-safe: one per {@link UnderlyingRules}.
 */
final class ContributionSources {
  /**
   * Largest absolute amount first; ties by source name, so the order does not depend on the input's. One
   * comparator object rather than a comparingDouble/thenComparing chain: the sort runs per account and
   * underlying, and the chain's lambdas were about 4% of a margin run's executor time (#19).
   */
  private static final Comparator<Contribution> LARGEST_FIRST = (x, y) -> {
    int byAmount = Double.compare(Math.abs(y.amount()), Math.abs(x.amount()));
    return byAmount != 0 ? byAmount : x.source().compareTo(y.source());
  };

  private final int[] rowStamp;
  private final int[] rowSlot;
  private int stamp;
  private String[] ids = new String[16];
  private double[] amounts = new double[16];
  private int count;

  /** Sources over a book of {@code instrumentRows} instruments. */
  ContributionSources(int instrumentRows) {
    this.rowStamp = new int[instrumentRows];
    this.rowSlot = new int[instrumentRows];
  }

  /** Starts a new call: no sources. */
  void clear() {
    stamp++;
    count = 0;
  }

  /** Adds {@code amount} (margin currency) to the source of instrument row {@code row}, named {@code id}. */
  void addInstrument(int row, String id, double amount) {
    if (rowStamp[row] == stamp) {
      amounts[rowSlot[row]] += amount; // the same instrument held twice: one source, summed in position order
    } else {
      rowStamp[row] = stamp;
      rowSlot[row] = count;
      append(id, amount);
    }
  }

  /**
   * Adds {@code amount} (margin currency) to the source named {@code id}: an instrument whose id is the
   * asset's name is one source with it, as it always was.
   */
  void addNamed(String id, double amount) {
    int slot = 0;
    while (slot < count && !ids[slot].equals(id)) {
      slot++;
    }
    if (slot < count) {
      amounts[slot] += amount;
    } else {
      append(id, amount);
    }
  }

  /** This call's sources, largest absolute amount first. */
  List<Contribution> largestFirst() {
    List<Contribution> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      out.add(new Contribution(ids[k], amounts[k]));
    }
    out.sort(LARGEST_FIRST);
    return out;
  }

  private void append(String id, double amount) {
    if (count == ids.length) {
      ids = Arrays.copyOf(ids, 2 * count);
      amounts = Arrays.copyOf(amounts, 2 * count);
    }
    ids[count] = id;
    amounts[count++] = amount;
  }
}
