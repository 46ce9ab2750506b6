package io.riskgrid.backtest;

import java.util.List;
import java.util.Objects;

/**
 * Computes a {@link BacktestSummary} per portfolio and a {@link PooledBacktest} over a panel,
 * composing the calculators of this package.
 */
public final class BacktestSummarizer {

  private BacktestSummarizer() {
  }

  /**
   * Summarises one portfolio.
   *
   * <p>Kupiec and the traffic light use every observed day, in day order with gaps closed up;
   * independence uses transitions between observed days h apart ({@link TransitionCounter}).
   *
   * @param portfolioId  the portfolio's identifier, not blank
   * @param observedDays its observed days with breach flags, at least one
   * @param margin       its margin series (MM_t, any currency), for procyclicality
   * @param spec         p, h, traffic-light window and significance
   * @return the summary
   * @throws IllegalArgumentException if the portfolio has no observed day
   */
  public static BacktestSummary summarize(
      String portfolioId, BreachSeries observedDays, MarginSeries margin, BacktestSpec spec) {
    Objects.requireNonNull(observedDays, "observedDays");
    Objects.requireNonNull(spec, "spec");
    if (observedDays.size() == 0) {
      throw new IllegalArgumentException(
          "portfolio " + portfolioId + " has no observed day; leave it out of the backtest");
    }
    long observations = observedDays.size();
    long breaches = observedDays.breachCount();
    TransitionCounts transitions = TransitionCounter.count(observedDays, spec.transitionStep());
    LikelihoodRatioTest pof = KupiecPof.test(observations, breaches, spec.breachProbability());
    LikelihoodRatioTest independence = ChristoffersenIndependence.test(transitions);
    TrafficLightResult trafficLight = TrafficLight.evaluate(
        observedDays.breaches(), spec.breachProbability(), spec.trafficLightWindow());
    return new BacktestSummary(
        portfolioId, observations, breaches, transitions, pof, independence,
        ConditionalCoverage.test(pof, independence),
        trafficLight.lastZone(), trafficLight.redWindows(), Procyclicality.measure(margin));
  }

  /**
   * Pools per-portfolio summaries.
   *
   * @param summaries one per portfolio, at least one
   * @param spec      p for the pooled tests and the significance for rejections
   * @return the pooled backtest
   */
  public static PooledBacktest pool(List<BacktestSummary> summaries, BacktestSpec spec) {
    Objects.requireNonNull(summaries, "summaries");
    if (summaries.isEmpty()) {
      throw new IllegalArgumentException("pool at least one portfolio summary");
    }
    long observations = 0;
    long breaches = 0;
    TransitionCounts transitions = TransitionCounts.ZERO;
    int rejections = 0;
    for (BacktestSummary summary : summaries) {
      observations = Math.addExact(observations, summary.observations());
      breaches = Math.addExact(breaches, summary.breaches());
      transitions = transitions.plus(summary.transitions());
      rejections += summary.pof().rejectsAt(spec.significance()) ? 1 : 0;
    }
    LikelihoodRatioTest pof = KupiecPof.test(observations, breaches, spec.breachProbability());
    LikelihoodRatioTest independence = ChristoffersenIndependence.test(transitions);
    return new PooledBacktest(
        summaries.size(), observations, breaches, transitions, pof, independence,
        ConditionalCoverage.test(pof, independence), spec.significance(), rejections);
  }
}
