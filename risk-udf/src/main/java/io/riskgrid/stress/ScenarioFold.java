package io.riskgrid.stress;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One account's stress figures added into exchange totals, scenario by scenario (DESIGN §3.5): its
 * P&amp;L in USD at the unshocked index into the total P&amp;L, and its shortfall, max(0, −net) with
 * net = (equity + P&amp;L) at the scenario's shocked index ({@link StressEvaluator#netUsd}), into the
 * total shortfall and the count of accounts in deficit. A stress run does this for every account and
 * each of some 3,000 joint windows; as a scalar loop with a branch per scenario it was a tenth of the
 * run's CPU, so it runs in vector lanes.
 *
 * <p>Every figure equals the scalar loop's to the bit: each lane does the scalar operations in the same
 * order, each rounded (no fused multiply-add), and where the scalar loop adds only in deficit the lanes
 * add under that mask. Arrays hold at least
 * {@code n} entries; USD amounts are in USD, P&amp;L and equity in the account's margin currency.
 */
public final class ScenarioFold {
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

  private ScenarioFold() {}

  /** Where the scenarios in which an account is in deficit go, one call per such scenario in increasing order. */
  @FunctionalInterface
  public interface Deficits {
    /** Scenario {@code j}: the account's shortfall (USD, &gt; 0) and its net (USD, = −shortfall). */
    void deficit(int j, double shortfallUsd, double netUsd);
  }

  /** The totals one fold adds into, per scenario. */
  public record Totals(double[] totalPnlUsd, double[] shortfallUsd, long[] accountsInDeficit) {}

  /**
   * Adds an account that is its own member: its P&amp;L, shortfall and deficit count into {@code into}, and
   * each scenario in deficit to {@code deficits} (null: none reported).
   *
   * @param pnl       the account's P&amp;L per scenario, in its margin currency
   * @param equity    its equity, in its margin currency
   * @param usd       USD per unit of its margin currency at the unshocked index (1 for USD)
   * @param shocked   USD per unit at each scenario's shocked index, or null for a USD account (factor 1)
   */
  public static void addAccount(double[] pnl, int n, double equity, double usd, double[] shocked, Totals into,
      Deficits deficits) {
    double[] total = into.totalPnlUsd();
    double[] shortfallSum = into.shortfallUsd();
    long[] inDeficit = into.accountsInDeficit();
    DoubleVector equityV = DoubleVector.broadcast(DOUBLES, equity);
    DoubleVector usdV = DoubleVector.broadcast(DOUBLES, usd);
    DoubleVector zero = DoubleVector.zero(DOUBLES);
    int j = 0;
    if (DOUBLES.length() == LONGS.length()) {
      for (int bound = DOUBLES.loopBound(n); j < bound; j += DOUBLES.length()) {
        DoubleVector p = DoubleVector.fromArray(DOUBLES, pnl, j);
        DoubleVector net = equityV.add(p);
        if (shocked != null) {
          net = net.mul(DoubleVector.fromArray(DOUBLES, shocked, j));
        }
        DoubleVector shortfall = zero.max(net.neg());
        DoubleVector.fromArray(DOUBLES, total, j).add(p.mul(usdV)).intoArray(total, j);
        VectorMask<Double> deficit = shortfall.compare(VectorOperators.GT, zero);
        if (deficit.anyTrue()) {
          // Masked, as the scalar loop adds only where shortfall > 0 (a NaN lane adds nothing either).
          DoubleVector.fromArray(DOUBLES, shortfallSum, j).add(shortfall, deficit).intoArray(shortfallSum, j);
          LongVector.fromArray(LONGS, inDeficit, j).add(1L, deficit.cast(LONGS)).intoArray(inDeficit, j);
          if (deficits != null) {
            for (int k = 0; k < DOUBLES.length(); k++) {
              if (deficit.laneIsSet(k)) {
                deficits.deficit(j + k, shortfall.lane(k), net.lane(k));
              }
            }
          }
        }
      }
    }
    for (; j < n; j++) {
      double net = StressEvaluator.netUsd(equity, pnl[j], shocked, j);
      double shortfall = Math.max(0, -net);
      total[j] += pnl[j] * usd;
      if (shortfall > 0) {
        shortfallSum[j] += shortfall;
        inDeficit[j]++;
        if (deficits != null) {
          deficits.deficit(j, shortfall, net);
        }
      }
    }
  }

  /**
   * Adds one account of a member with several accounts: as {@link #addAccount} into {@code into}, and
   * its shortfall and net per scenario into the member's running sums {@code memberShortfallUsd} and
   * {@code memberNetUsd} (no netting across the member's accounts in the first, netting in the second).
   */
  public static void addMemberAccount(double[] pnl, int n, double equity, double usd, double[] shocked, Totals into,
      double[] memberShortfallUsd, double[] memberNetUsd) {
    double[] total = into.totalPnlUsd();
    double[] shortfallSum = into.shortfallUsd();
    long[] inDeficit = into.accountsInDeficit();
    DoubleVector equityV = DoubleVector.broadcast(DOUBLES, equity);
    DoubleVector usdV = DoubleVector.broadcast(DOUBLES, usd);
    DoubleVector zero = DoubleVector.zero(DOUBLES);
    int j = 0;
    if (DOUBLES.length() == LONGS.length()) {
      for (int bound = DOUBLES.loopBound(n); j < bound; j += DOUBLES.length()) {
        DoubleVector p = DoubleVector.fromArray(DOUBLES, pnl, j);
        DoubleVector net = equityV.add(p);
        if (shocked != null) {
          net = net.mul(DoubleVector.fromArray(DOUBLES, shocked, j));
        }
        DoubleVector shortfall = zero.max(net.neg());
        DoubleVector.fromArray(DOUBLES, total, j).add(p.mul(usdV)).intoArray(total, j);
        DoubleVector.fromArray(DOUBLES, shortfallSum, j).add(shortfall).intoArray(shortfallSum, j);
        VectorMask<Double> deficit = shortfall.compare(VectorOperators.GT, zero);
        LongVector.fromArray(LONGS, inDeficit, j).add(1L, deficit.cast(LONGS)).intoArray(inDeficit, j);
        DoubleVector.fromArray(DOUBLES, memberShortfallUsd, j).add(shortfall).intoArray(memberShortfallUsd, j);
        DoubleVector.fromArray(DOUBLES, memberNetUsd, j).add(net).intoArray(memberNetUsd, j);
      }
    }
    for (; j < n; j++) {
      double net = StressEvaluator.netUsd(equity, pnl[j], shocked, j);
      double shortfall = Math.max(0, -net);
      total[j] += pnl[j] * usd;
      shortfallSum[j] += shortfall;
      inDeficit[j] += shortfall > 0 ? 1 : 0;
      memberShortfallUsd[j] += shortfall;
      memberNetUsd[j] += net;
    }
  }
}
