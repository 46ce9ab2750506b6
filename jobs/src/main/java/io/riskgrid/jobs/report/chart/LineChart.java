package io.riskgrid.jobs.report.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Lines over a numeric x axis (dates as epoch days, or moves), with marker points drawn over them (breaches)
 * and optional horizontal bands behind them (traffic-light zones).
 */
public final class LineChart {
  private record Series(String name, double[] xs, double[] ys) {}

  private record Markers(String name, double[] xs, double[] ys, List<String> titles) {}

  private record Band(double from, double to, String fill, String name) {}

  private final String xUnit;
  private final String yUnit;
  private final DoubleFunction<String> xLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Markers> markers = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();

  /** A chart with axes in {@code xUnit} and {@code yUnit}; {@code xLabel} formats x ticks (dates, say). */
  public LineChart(String xUnit, String yUnit, DoubleFunction<String> xLabel) {
    this.xUnit = xUnit;
    this.yUnit = yUnit;
    this.xLabel = xLabel;
  }

  public LineChart line(String name, double[] xs, double[] ys) {
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("series " + name + " has " + xs.length + " x values and " + ys.length + " y values");
    }
    series.add(new Series(name, xs.clone(), ys.clone()));
    return this;
  }

  /** Points drawn as dots over the lines, each with its own hover text. */
  public LineChart markers(String name, double[] xs, double[] ys, List<String> titles) {
    if (xs.length != ys.length || xs.length != titles.size()) {
      throw new IllegalArgumentException("markers " + name + " need as many x, y and titles");
    }
    markers.add(new Markers(name, xs.clone(), ys.clone(), List.copyOf(titles)));
    return this;
  }

  /** A horizontal band of y in [from, to], drawn behind the lines and named in the legend. */
  public LineChart band(double from, double to, String fill, String name) {
    bands.add(new Band(from, to, fill, name));
    return this;
  }

  public boolean isEmpty() {
    return series.stream().allMatch(s -> s.xs().length == 0);
  }

  public String svg(int width, String label) {
    if (isEmpty()) {
      throw new IllegalStateException("line chart '" + label + "' has no points: render a note instead");
    }
    int height = 300;
    double left = 78;
    double right = width - 16;
    double top = 30;
    double bottom = height - 44;
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = 0;
    double yMax = 0;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        xMin = Math.min(xMin, s.xs()[i]);
        xMax = Math.max(xMax, s.xs()[i]);
        yMin = Math.min(yMin, s.ys()[i]);
        yMax = Math.max(yMax, s.ys()[i]);
      }
    }
    for (Markers m : markers) {
      for (double v : m.ys()) {
        yMin = Math.min(yMin, v);
        yMax = Math.max(yMax, v);
      }
    }
    for (Band b : bands) {
      yMin = Math.min(yMin, b.from());
      yMax = Math.max(yMax, b.to());
    }
    LinearScale x = new LinearScale(xMin, xMax, 6, left, right, false);
    LinearScale y = new LinearScale(yMin, yMax, 5, bottom, top);
    Svg svg = new Svg(width, height, label);
    for (Band b : bands) {
      double from = Math.max(y.min, Math.min(y.max, b.from()));
      double to = Math.max(y.min, Math.min(y.max, b.to()));
      svg.band(left, y.at(to), right - left, y.at(from) - y.at(to), b.fill());
    }
    for (double t : y.ticks()) {
      svg.line(left, y.at(t), right, y.at(t), Palette.GRID, 1);
      svg.text(left - 5, y.at(t) + 4, Numbers.compact(t), "end", "tick");
    }
    for (double t : x.ticks()) {
      svg.line(x.at(t), bottom, x.at(t), bottom + 4, Palette.AXIS, 1);
      svg.text(x.at(t), bottom + 16, xLabel.apply(t), "middle", "tick");
    }
    svg.line(left, bottom, right, bottom, Palette.AXIS, 1);
    svg.line(left, y.at(Math.max(y.min, Math.min(y.max, 0))), right, y.at(Math.max(y.min, Math.min(y.max, 0))),
        Palette.AXIS, 1);
    List<String> names = new ArrayList<>();
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      double[] px = new double[line.xs().length];
      double[] py = new double[line.ys().length];
      for (int i = 0; i < px.length; i++) {
        px[i] = x.at(line.xs()[i]);
        py[i] = y.at(line.ys()[i]);
      }
      svg.polyline(px, py, Palette.series(s), line.name() + " (" + yUnit + ")");
      if (px.length == 1) {
        svg.circle(px[0], py[0], 2.5, Palette.series(s), line.name());
      }
      names.add(line.name());
    }
    for (Markers m : markers) {
      for (int i = 0; i < m.xs().length; i++) {
        svg.circle(x.at(m.xs()[i]), y.at(m.ys()[i]), 3.5, Palette.BREACH, m.titles().get(i));
      }
    }
    Legend.draw(svg, left, 16, names);
    double at = left + names.stream().mapToInt(n -> 26 + 7 * n.length()).sum();
    for (Markers m : markers) {
      if (m.xs().length == 0) {
        svg.text(at, 16, "no " + m.name(), "start", "legend");
        at += 30 + 7 * m.name().length();
        continue;
      }
      svg.swatchDot(at + 5, 12, 4, Palette.BREACH);
      svg.text(at + 14, 16, m.name(), "start", "legend");
      at += 26 + 7 * m.name().length();
    }
    for (Band b : bands) {
      svg.band(at, 7, 10, 10, b.fill());
      svg.text(at + 14, 16, b.name(), "start", "legend");
      at += 26 + 7 * b.name().length();
    }
    svg.text((left + right) / 2, height - 6, xUnit, "middle", "axis-label");
    svg.text(14, (top + bottom) / 2, yUnit, "middle", "axis-label", -90);
    return svg.end();
  }
}
