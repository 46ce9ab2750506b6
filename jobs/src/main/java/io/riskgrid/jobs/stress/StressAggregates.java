package io.riskgrid.jobs.stress;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Exchange-wide stress figures per joint scenario, built by merging partial results (tree
 * reductions): totals over accounts, and the largest member shortfalls. Mergeable and small, so no
 * per-account row ever reaches the driver.
 */
final class StressAggregates implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int TOP = 5;

  /** One member's shortfall in one scenario. */
  record MemberShortfall(String member, double shortfallUsd) implements Serializable {}

  final double[] totalPnlUsd;
  final double[] shortfallUsd;
  final long[] accountsInDeficit;
  final double[] nettedShortfallUsd;
  final List<List<MemberShortfall>> top;

  StressAggregates(int scenarios) {
    totalPnlUsd = new double[scenarios];
    shortfallUsd = new double[scenarios];
    accountsInDeficit = new long[scenarios];
    nettedShortfallUsd = new double[scenarios];
    top = new ArrayList<>();
    for (int j = 0; j < scenarios; j++) {
      top.add(new ArrayList<>());
    }
  }

  StressAggregates addAccount(double[] pnlUsd, double[] shortfall) {
    for (int j = 0; j < pnlUsd.length; j++) {
      totalPnlUsd[j] += pnlUsd[j];
      shortfallUsd[j] += shortfall[j];
      if (shortfall[j] > 0) {
        accountsInDeficit[j]++;
      }
    }
    return this;
  }

  /** A member's summed shortfall (no netting across sub-accounts) and its netted figure. */
  StressAggregates addMember(String member, double[] shortfall, double[] netUsd) {
    for (int j = 0; j < shortfall.length; j++) {
      nettedShortfallUsd[j] += Math.max(0, -netUsd[j]);
      if (shortfall[j] > 0) {
        offer(top.get(j), new MemberShortfall(member, shortfall[j]));
      }
    }
    return this;
  }

  StressAggregates merge(StressAggregates o) {
    for (int j = 0; j < totalPnlUsd.length; j++) {
      totalPnlUsd[j] += o.totalPnlUsd[j];
      shortfallUsd[j] += o.shortfallUsd[j];
      accountsInDeficit[j] += o.accountsInDeficit[j];
      nettedShortfallUsd[j] += o.nettedShortfallUsd[j];
      for (MemberShortfall m : o.top.get(j)) {
        offer(top.get(j), m);
      }
    }
    return this;
  }

  /** Keeps the TOP largest, ties broken by member id so the result does not depend on partitioning. */
  private static void offer(List<MemberShortfall> list, MemberShortfall m) {
    list.add(m);
    list.sort(Comparator.comparingDouble(MemberShortfall::shortfallUsd).reversed().thenComparing(MemberShortfall::member));
    if (list.size() > TOP) {
      list.remove(list.size() - 1);
    }
  }

  /** Cover-k: the sum of the k largest member shortfalls of scenario j. */
  double cover(int j, int k) {
    double sum = 0;
    for (int i = 0; i < Math.min(k, top.get(j).size()); i++) {
      sum += top.get(j).get(i).shortfallUsd();
    }
    return sum;
  }
}
