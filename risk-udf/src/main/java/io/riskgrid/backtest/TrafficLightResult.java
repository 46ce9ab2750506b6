package io.riskgrid.backtest;

import java.util.List;
import java.util.Objects;

/**
 * The traffic light of every window of {@code windowLength} consecutive observations, rolling by
 * one: window i covers observations i, …, i + windowLength − 1. A series shorter than one window
 * has no windows, last zone {@link TrafficLightZone#NONE} and 0 red windows.
 */
public final class TrafficLightResult {

  private final int windowLength;
  private final double breachProbability;
  private final int[] windowBreaches;
  private final List<TrafficLightZone> windowZones;

  private TrafficLightResult(
      int windowLength, double breachProbability, int[] windowBreaches,
      List<TrafficLightZone> windowZones) {
    this.windowLength = windowLength;
    this.breachProbability = breachProbability;
    this.windowBreaches = windowBreaches;
    this.windowZones = windowZones;
  }

  /**
   * A result from per-window breach counts and zones.
   *
   * @param windowLength      observations per window, ≥ 1
   * @param breachProbability p, in (0, 1)
   * @param windowBreaches    breaches in each window, each in [0, windowLength]
   * @param windowZones       the zone of each window, GREEN, YELLOW or RED, same length
   * @return the result
   */
  public static TrafficLightResult of(
      int windowLength, double breachProbability, int[] windowBreaches,
      List<TrafficLightZone> windowZones) {
    if (windowLength < 1) {
      throw new IllegalArgumentException("windowLength must be >= 1, got " + windowLength);
    }
    Probabilities.requireBreachProbability(breachProbability);
    List<TrafficLightZone> zones = List.copyOf(windowZones);
    if (zones.size() != windowBreaches.length) {
      throw new IllegalArgumentException(
          "one zone per window: " + windowBreaches.length + " windows, " + zones.size() + " zones");
    }
    for (int i = 0; i < zones.size(); i++) {
      if (windowBreaches[i] < 0 || windowBreaches[i] > windowLength) {
        throw new IllegalArgumentException(
            "window " + i + " has " + windowBreaches[i] + " breaches, outside [0, "
                + windowLength + "]");
      }
      if (Objects.requireNonNull(zones.get(i)) == TrafficLightZone.NONE) {
        throw new IllegalArgumentException("window " + i + " has zone NONE; NONE means no window");
      }
    }
    return new TrafficLightResult(windowLength, breachProbability, windowBreaches.clone(), zones);
  }

  /** @return observations per window (250 for Basel) */
  public int windowLength() {
    return windowLength;
  }

  /** @return the expected breach probability p the zones were computed at */
  public double breachProbability() {
    return breachProbability;
  }

  /** @return the number of windows, {@code max(0, T − windowLength + 1)} */
  public int windowCount() {
    return windowBreaches.length;
  }

  /** @return a copy of the breach count of each window, in window order */
  public int[] windowBreaches() {
    return windowBreaches.clone();
  }

  /** @return the zone of each window, in window order (unmodifiable) */
  public List<TrafficLightZone> windowZones() {
    return windowZones;
  }

  /** @return the zone of the last (most recent) window, or NONE when there is no window */
  public TrafficLightZone lastZone() {
    return windowZones.isEmpty() ? TrafficLightZone.NONE : windowZones.get(windowZones.size() - 1);
  }

  /** @return the number of RED windows */
  public int redWindows() {
    return (int) windowZones.stream().filter(zone -> zone == TrafficLightZone.RED).count();
  }
}
