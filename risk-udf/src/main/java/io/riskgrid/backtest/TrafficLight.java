package io.riskgrid.backtest;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The Basel traffic light (BCBS, "Supervisory framework for the use of backtesting", 1996): in a
 * window of n observations, the breach count X is Bin(n, p) under a correct model, and the
 * observed count x is classified by {@code P(X ≤ x)}: GREEN below 0.95, YELLOW below 0.9999, RED
 * otherwise. Windows are n = 250 consecutive observations rolling by one, unless stated.
 */
public final class TrafficLight {

  /** Observations per Basel window. */
  public static final int BASEL_WINDOW = 250;
  /** Cumulative probability from which a window is YELLOW. */
  public static final double YELLOW_FROM = 0.95;
  /** Cumulative probability from which a window is RED. */
  public static final double RED_FROM = 0.9999;

  private TrafficLight() {
  }

  /**
   * Zones over rolling 250-observation windows.
   *
   * @param breaches          breach flag of each observation, in day order (gaps closed up)
   * @param breachProbability p, in (0, 1)
   * @return per-window zones, last zone and red-window count
   */
  public static TrafficLightResult evaluate(boolean[] breaches, double breachProbability) {
    return evaluate(breaches, breachProbability, BASEL_WINDOW);
  }

  /**
   * Zones over rolling windows of {@code windowLength} observations.
   *
   * @param breaches          breach flag of each observation, in day order (gaps closed up)
   * @param breachProbability p, in (0, 1)
   * @param windowLength      observations per window, ≥ 1
   * @return per-window zones; no windows when there are fewer observations than one window
   */
  public static TrafficLightResult evaluate(
      boolean[] breaches, double breachProbability, int windowLength) {
    Probabilities.requireBreachProbability(breachProbability);
    if (windowLength < 1) {
      throw new IllegalArgumentException("windowLength must be >= 1, got " + windowLength);
    }
    TrafficLightZone[] zoneByCount = zonesByBreachCount(windowLength, breachProbability);
    int windows = Math.max(0, breaches.length - windowLength + 1);
    int[] windowBreaches = new int[windows];
    List<TrafficLightZone> windowZones = new ArrayList<>(windows);
    int inWindow = 0;
    for (int i = 0; i < breaches.length; i++) {
      inWindow += breaches[i] ? 1 : 0;
      if (i >= windowLength) {
        inWindow -= breaches[i - windowLength] ? 1 : 0;
      }
      if (i >= windowLength - 1) {
        windowBreaches[i - windowLength + 1] = inWindow;
        windowZones.add(zoneByCount[inWindow]);
      }
    }
    return TrafficLightResult.of(windowLength, breachProbability, windowBreaches, windowZones);
  }

  /**
   * {@code P(X ≤ breaches)} for X ~ Bin(windowLength, p), the exact binomial CDF.
   *
   * @param windowLength      n, ≥ 1
   * @param breaches          x, in [0, n]
   * @param breachProbability p, in (0, 1)
   * @return the cumulative probability, in [0, 1]
   */
  public static double cumulativeProbability(
      int windowLength, int breaches, double breachProbability) {
    Probabilities.requireBreachProbability(breachProbability);
    if (breaches < 0 || breaches > windowLength) {
      throw new IllegalArgumentException(
          "breaches must be in [0, " + windowLength + "], got " + breaches);
    }
    // A null generator: the distribution is only evaluated, never sampled.
    return new BinomialDistribution(null, windowLength, breachProbability)
        .cumulativeProbability(breaches);
  }

  /**
   * The zone of a cumulative probability {@code P(X ≤ x)}.
   *
   * @param cumulativeProbability in [0, 1]
   * @return GREEN, YELLOW or RED
   */
  public static TrafficLightZone zoneOf(double cumulativeProbability) {
    if (!(cumulativeProbability >= 0 && cumulativeProbability <= 1)) {
      throw new IllegalArgumentException(
          "cumulativeProbability must be in [0, 1], got " + cumulativeProbability);
    }
    if (cumulativeProbability < YELLOW_FROM) {
      return TrafficLightZone.GREEN;
    }
    return cumulativeProbability < RED_FROM ? TrafficLightZone.YELLOW : TrafficLightZone.RED;
  }

  /**
   * The zone of x breaches in one window of n observations.
   *
   * @param windowLength      n, ≥ 1
   * @param breaches          x, in [0, n]
   * @param breachProbability p, in (0, 1)
   * @return GREEN, YELLOW or RED
   */
  public static TrafficLightZone zoneOf(int windowLength, int breaches, double breachProbability) {
    return zoneOf(cumulativeProbability(windowLength, breaches, breachProbability));
  }

  private static TrafficLightZone[] zonesByBreachCount(int windowLength, double p) {
    BinomialDistribution binomial = new BinomialDistribution(null, windowLength, p);
    TrafficLightZone[] zones = new TrafficLightZone[windowLength + 1];
    for (int x = 0; x <= windowLength; x++) {
      zones[x] = zoneOf(binomial.cumulativeProbability(x));
    }
    return zones;
  }
}
