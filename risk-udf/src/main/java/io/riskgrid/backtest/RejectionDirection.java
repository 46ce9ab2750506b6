package io.riskgrid.backtest;

import java.util.Objects;

/**
 * Which way a rejected backtest test points, so that a p-value is never read without its meaning. A coverage
 * test (Kupiec POF) rejects because the breach rate x/T is above p (margin too low) or below it (margin
 * conservative); the independence test rejects because a breach follows a breach more often than it follows a
 * quiet day (π1 &gt; π0, clustered) or less often (π1 &lt; π0, dispersed).
 */
public enum RejectionDirection {
  /** The p-value is at or above the significance: nothing to read into. */
  NOT_REJECTED("-", "not rejected"),
  /** x/T &gt; p: the margin is too low. */
  TOO_MANY_BREACHES("too many", "too many breaches: margin too low"),
  /** x/T &lt; p: the margin is conservative. */
  TOO_FEW_BREACHES("too few", "too few breaches: margin conservative"),
  /** π1 &gt; π0: breaches cluster, the margin reacts too slowly to a change of regime. */
  CLUSTERED("clustered", "a breach follows a breach more often than a quiet day: breaches cluster"),
  /** π1 ≤ π0: breaches follow breaches less often than quiet days, rarely a concern. */
  DISPERSED("dispersed", "a breach follows a breach less often than a quiet day");

  private final String tag;
  private final String meaning;

  RejectionDirection(String tag, String meaning) {
    this.tag = tag;
    this.meaning = meaning;
  }

  /** @return a short word for a printed table, e.g. {@code too many} */
  public String tag() {
    return tag;
  }

  /** @return what the direction means for the margin, in words */
  public String meaning() {
    return meaning;
  }

  /**
   * The direction of a coverage test (Kupiec POF, or any test of the breach rate against p).
   *
   * @param test              the test, e.g. {@link KupiecPof#test}
   * @param significance      the test size, in (0, 1), e.g. 0.05
   * @param breachRate        the observed breach rate x/T, in [0, 1]
   * @param breachProbability p, in (0, 1)
   * @return NOT_REJECTED, TOO_MANY_BREACHES or TOO_FEW_BREACHES
   */
  public static RejectionDirection ofCoverage(
      LikelihoodRatioTest test, double significance, double breachRate, double breachProbability) {
    Objects.requireNonNull(test, "test");
    Probabilities.requireBreachProbability(breachProbability);
    if (!test.rejectsAt(significance) || breachRate == breachProbability) {
      return NOT_REJECTED;
    }
    return breachRate > breachProbability ? TOO_MANY_BREACHES : TOO_FEW_BREACHES;
  }

  /**
   * The direction of Christoffersen's independence test: π1 = n11/(n10+n11) against π0 = n01/(n00+n01),
   * compared by cross-multiplication (an empty state has probability 0).
   *
   * @param test         the independence test on {@code transitions}
   * @param significance the test size, in (0, 1)
   * @param transitions  the transition counts the test was computed on
   * @return NOT_REJECTED, CLUSTERED or DISPERSED
   */
  public static RejectionDirection ofIndependence(
      LikelihoodRatioTest test, double significance, TransitionCounts transitions) {
    Objects.requireNonNull(test, "test");
    if (!test.rejectsAt(significance)) {
      return NOT_REJECTED;
    }
    // π1 > π0  ⇔  n11·(n00+n01) > n01·(n10+n11), exact in long arithmetic.
    long afterBreach = Math.multiplyExact(transitions.n11(), transitions.n00() + transitions.n01());
    long afterQuiet = Math.multiplyExact(transitions.n01(), transitions.n10() + transitions.n11());
    return afterBreach > afterQuiet ? CLUSTERED : DISPERSED;
  }

  /**
   * The direction of the conditional-coverage test LR_cc = LR_POF + LR_ind: the coverage direction when the
   * breach rate differs from p, else the independence direction (all of LR_cc then comes from LR_ind).
   *
   * @param conditionalCoverage the χ²(2) test
   * @param significance        the test size, in (0, 1)
   * @param breachRate          x/T
   * @param breachProbability   p
   * @param transitions         the transition counts of LR_ind
   * @return the direction
   */
  public static RejectionDirection ofConditionalCoverage(
      LikelihoodRatioTest conditionalCoverage, double significance, double breachRate, double breachProbability,
      TransitionCounts transitions) {
    Objects.requireNonNull(conditionalCoverage, "conditionalCoverage");
    if (!conditionalCoverage.rejectsAt(significance)) {
      return NOT_REJECTED;
    }
    if (breachRate != breachProbability) {
      return breachRate > breachProbability ? TOO_MANY_BREACHES : TOO_FEW_BREACHES;
    }
    return ofIndependence(conditionalCoverage, significance, transitions);
  }
}
