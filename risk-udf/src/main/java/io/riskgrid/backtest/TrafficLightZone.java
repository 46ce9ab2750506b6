package io.riskgrid.backtest;

/**
 * A Basel traffic-light zone, from the binomial probability {@code P(X ≤ x)} of seeing at most the
 * observed x breaches in a window if the model were right.
 */
public enum TrafficLightZone {
  /** {@code P(X ≤ x) < 0.95}: consistent with the model. */
  GREEN,
  /** {@code 0.95 ≤ P(X ≤ x) < 0.9999}: the model is in doubt. */
  YELLOW,
  /** {@code P(X ≤ x) ≥ 0.9999}: the model is rejected. */
  RED,
  /**
   * No zone: fewer observations than one window, so no window was evaluated. Only ever a
   * {@link TrafficLightResult#lastZone()}, never a per-window zone.
   */
  NONE
}
