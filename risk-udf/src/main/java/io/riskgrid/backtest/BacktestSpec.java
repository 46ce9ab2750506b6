package io.riskgrid.backtest;

/**
 * The settings of a backtest's statistics.
 *
 * @param breachProbability  p = 1 − {@code backtest.confidence}, the expected breach probability
 *                           per observation, in (0, 1)
 * @param transitionStep     h ≥ 1, the loss horizon in days: independence is tested on every h-th
 *                           day (see {@link TransitionCounter})
 * @param trafficLightWindow observations per traffic-light window, ≥ 1 (Basel: 250)
 * @param significance       the test size at which a portfolio counts as rejected, in (0, 1)
 */
public record BacktestSpec(
    double breachProbability, int transitionStep, int trafficLightWindow, double significance) {

  /** The size at which a Kupiec test counts as a rejection by default: 5%. */
  public static final double DEFAULT_SIGNIFICANCE = 0.05;

  /** Validates every field. */
  public BacktestSpec {
    Probabilities.requireBreachProbability(breachProbability);
    if (transitionStep < 1) {
      throw new IllegalArgumentException("transitionStep h must be >= 1 day, got " + transitionStep);
    }
    if (trafficLightWindow < 1) {
      throw new IllegalArgumentException(
          "trafficLightWindow must be >= 1 observation, got " + trafficLightWindow);
    }
    if (!(significance > 0 && significance < 1)) {
      throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
    }
  }

  /**
   * Basel defaults around a breach probability: 250-observation windows, 5% significance.
   *
   * @param breachProbability p, in (0, 1), e.g. 0.01
   * @param transitionStep    h ≥ 1 days
   * @return the spec
   */
  public static BacktestSpec of(double breachProbability, int transitionStep) {
    return new BacktestSpec(
        breachProbability, transitionStep, TrafficLight.BASEL_WINDOW, DEFAULT_SIGNIFICANCE);
  }

  /**
   * Basel defaults around the policy's {@code backtest.confidence}.
   *
   * @param confidence  the margin confidence level, in (0, 1), e.g. 0.99
   * @param horizonDays h ≥ 1, the policy's scenario horizon in days
   * @return the spec with p = 1 − confidence
   */
  public static BacktestSpec ofConfidence(double confidence, int horizonDays) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    return of(1 - confidence, horizonDays);
  }
}
