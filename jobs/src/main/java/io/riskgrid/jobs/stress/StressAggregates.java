package io.riskgrid.jobs.stress;

import io.riskgrid.stress.ScenarioFold;
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
  /**
   * Per scenario, the shortfall an offer must reach to enter {@link #top}: the smallest of a full list,
   * −∞ while it has room. Kept beside the lists because the fold asks for every account and scenario in
   * deficit, and almost every answer is no: one load from an array instead of three through the lists.
   */
  private final double[] entryFloorUsd;
  /** Valid (margined) accounts added. */
  long accounts;

  StressAggregates(int scenarios) {
    totalPnlUsd = new double[scenarios];
    shortfallUsd = new double[scenarios];
    accountsInDeficit = new long[scenarios];
    nettedShortfallUsd = new double[scenarios];
    top = new ArrayList<>();
    for (int j = 0; j < scenarios; j++) {
      top.add(new ArrayList<>());
    }
    entryFloorUsd = new double[scenarios];
    java.util.Arrays.fill(entryFloorUsd, Double.NEGATIVE_INFINITY);
  }

  /** The per-scenario totals a {@link ScenarioFold} adds accounts into: this aggregate's own arrays. */
  ScenarioFold.Totals totals() {
    return new ScenarioFold.Totals(totalPnlUsd, shortfallUsd, accountsInDeficit);
  }

  /**
   * One scenario of a member that is a single account in deficit ({@code shortfallUsd} &gt; 0, its net
   * {@code netUsd} = −shortfall): as {@link #addMember} for that scenario; scenarios without a deficit add
   * nothing to either figure.
   */
  void addMemberShortfall(int j, String member, double shortfallUsd, double netUsd) {
    nettedShortfallUsd[j] += Math.max(0, -netUsd);
    if (shortfallUsd >= entryFloorUsd[j]) {
      offer(j, new MemberShortfall(member, shortfallUsd));
    }
  }

  /** A member's summed shortfall (no netting across sub-accounts) and its netted figure. */
  StressAggregates addMember(String member, double[] shortfall, double[] netUsd) {
    for (int j = 0; j < shortfall.length; j++) {
      nettedShortfallUsd[j] += Math.max(0, -netUsd[j]);
      if (shortfall[j] > 0 && shortfall[j] >= entryFloorUsd[j]) {
        offer(j, new MemberShortfall(member, shortfall[j]));
      }
    }
    return this;
  }

  StressAggregates merge(StressAggregates o) {
    accounts += o.accounts;
    for (int j = 0; j < totalPnlUsd.length; j++) {
      totalPnlUsd[j] += o.totalPnlUsd[j];
      shortfallUsd[j] += o.shortfallUsd[j];
      accountsInDeficit[j] += o.accountsInDeficit[j];
      nettedShortfallUsd[j] += o.nettedShortfallUsd[j];
      for (MemberShortfall m : o.top.get(j)) {
        offer(j, m);
      }
    }
    return this;
  }

  /** Largest shortfall first, ties broken by member id so the result does not depend on partitioning. */
  private static final Comparator<MemberShortfall> LARGEST_FIRST =
      Comparator.comparingDouble(MemberShortfall::shortfallUsd).reversed().thenComparing(MemberShortfall::member);

  /**
   * Keeps scenario j's TOP largest in {@link #LARGEST_FIRST} order (an insertion into a sorted list of at
   * most TOP), and its entry floor.
   */
  private void offer(int j, MemberShortfall m) {
    List<MemberShortfall> list = top.get(j);
    if (list.size() == TOP && LARGEST_FIRST.compare(m, list.get(TOP - 1)) >= 0) {
      return;
    }
    int at = 0;
    while (at < list.size() && LARGEST_FIRST.compare(list.get(at), m) <= 0) {
      at++;
    }
    list.add(at, m);
    if (list.size() > TOP) {
      list.remove(TOP);
    }
    if (list.size() == TOP) {
      entryFloorUsd[j] = list.get(TOP - 1).shortfallUsd();
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
