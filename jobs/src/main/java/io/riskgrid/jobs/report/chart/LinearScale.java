package io.riskgrid.jobs.report.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a data interval onto a pixel interval, widened to "nice" tick steps (1, 2, 2.5 or 5 × 10^k) so axis
 * labels read as round numbers. A degenerate domain (every value equal) is widened around its value.
 */
final class LinearScale {
  final double min;
  final double max;
  final double step;
  private final double from;
  private final double to;

  /** A scale covering [{@code low}, {@code high}] with about {@code ticks} ticks onto [{@code from}, {@code to}] px. */
  LinearScale(double low, double high, int ticks, double from, double to) {
    this(low, high, ticks, from, to, true);
  }

  /**
   * As above; {@code widen} false keeps the data interval as it is (a time axis should start at the first
   * date), with ticks at the round steps inside it.
   */
  LinearScale(double low, double high, int ticks, double from, double to, boolean widen) {
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("a chart axis spans " + low + " to " + high + ": the data has a non-finite value");
    }
    if (high - low <= Math.abs(high) * 1e-12) {
      double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
      low -= pad;
      high += pad;
    }
    step = niceStep((high - low) / Math.max(1, ticks));
    min = widen ? Math.floor(low / step + 1e-9) * step : low;
    max = widen ? Math.ceil(high / step - 1e-9) * step : high;
    this.from = from;
    this.to = to;
  }

  /** The pixel of data value {@code v}. */
  double at(double v) {
    return from + (v - min) / (max - min) * (to - from);
  }

  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-6; t += step) {
      ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return ticks;
  }

  static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (raw <= m * magnitude * (1 + 1e-9)) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
