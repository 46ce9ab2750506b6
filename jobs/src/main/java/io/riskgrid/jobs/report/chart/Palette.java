package io.riskgrid.jobs.report.chart;

/** The report's colours: series colours readable on white and by the colour-blind (Okabe–Ito), and zones. */
final class Palette {
  private Palette() {}

  static final String[] SERIES = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"};
  static final String AXIS = "#555";
  static final String GRID = "#e4e4e4";
  static final String BREACH = "#D55E00";

  static String series(int i) {
    return SERIES[i % SERIES.length];
  }

  /**
   * Diverging colour of {@code share} in [-1, 1]: red for negative, blue for positive, white at 0, so the
   * sign of a net exposure reads at a glance.
   */
  static String diverging(double share) {
    double s = Math.max(-1, Math.min(1, share));
    int[] end = s < 0 ? new int[] {202, 0, 32} : new int[] {5, 113, 176};
    double t = Math.abs(s);
    return String.format("#%02x%02x%02x", mix(255, end[0], t), mix(255, end[1], t), mix(255, end[2], t));
  }

  private static int mix(int from, int to, double t) {
    return (int) Math.round(from + (to - from) * t);
  }
}
