package io.riskgrid.jobs.report.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Horizontal bars, one row per category and one bar per series in it (IM beside MM, say), from a zero line
 * so negative values point left. Category labels sit left of the bars, each bar's value at its end.
 */
public final class BarChart {
  private final String valueUnit;
  private final List<String> seriesNames = new ArrayList<>();
  private final List<String> categories = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();

  /**
   * A chart whose values are in {@code valueUnit} (e.g. "USD", "accounts"), named on the axis, with one bar per
   * named series in each category; no names: one series, no legend.
   */
  public BarChart(String valueUnit, String... seriesNames) {
    this.valueUnit = valueUnit;
    this.seriesNames.addAll(seriesNames.length == 0 ? List.of(valueUnit) : List.of(seriesNames));
  }

  /** One category, one value per series, in series order. */
  public BarChart add(String category, double... seriesValues) {
    if (seriesValues.length != seriesNames.size()) {
      throw new IllegalArgumentException(category + " has " + seriesValues.length + " values for "
          + seriesNames.size() + " series " + seriesNames);
    }
    categories.add(category);
    values.add(seriesValues.clone());
    return this;
  }

  public boolean isEmpty() {
    return categories.isEmpty();
  }

  /** The chart as inline SVG, {@code width} px wide. */
  public String svg(int width, String label) {
    if (isEmpty()) {
      throw new IllegalStateException("bar chart '" + label + "' has no categories: render a note instead");
    }
    int series = seriesNames.size();
    double barHeight = 14;
    double rowHeight = series * barHeight + 8;
    int labelWidth = (int) Math.min(280, 16 + 7.6 * categories.stream().mapToInt(c -> Math.min(36, c.length())).max().orElse(4));
    double top = series > 1 ? 26 : 8;
    double plotHeight = rowHeight * categories.size();
    int height = (int) Math.ceil(top + plotHeight + 34);
    double low = 0;
    double high = 0;
    for (double[] v : values) {
      for (double x : v) {
        low = Math.min(low, x);
        high = Math.max(high, x);
      }
    }
    LinearScale x = new LinearScale(low, high, 5, labelWidth, width - 70);
    Svg svg = new Svg(width, height, label);
    for (double t : x.ticks()) {
      svg.line(x.at(t), top, x.at(t), top + plotHeight, Palette.GRID, 1);
      svg.text(x.at(t), top + plotHeight + 14, Numbers.compact(t), "middle", "tick");
    }
    svg.text((labelWidth + width - 70) / 2.0, top + plotHeight + 30, valueUnit, "middle", "axis-label");
    for (int c = 0; c < categories.size(); c++) {
      double rowTop = top + c * rowHeight + 4;
      svg.text(labelWidth - 6, rowTop + series * barHeight / 2 + 4, shorten(categories.get(c), 36), "end", "cat");
      for (int s = 0; s < series; s++) {
        double v = values.get(c)[s];
        double x0 = x.at(Math.min(0, v));
        double x1 = x.at(Math.max(0, v));
        double y = rowTop + s * barHeight;
        svg.rect(x0, y, Math.max(x1 - x0, 0.5), barHeight - 2, Palette.series(s),
            categories.get(c) + (series > 1 ? ", " + seriesNames.get(s) : "") + ": " + Numbers.grouped(v) + " " + valueUnit);
        svg.text(v < 0 ? x0 - 3 : x1 + 3, y + barHeight - 4, Numbers.compact(v), v < 0 ? "end" : "start", "value");
      }
    }
    svg.line(x.at(0), top, x.at(0), top + plotHeight, Palette.AXIS, 1);
    if (series > 1) {
      Legend.draw(svg, labelWidth, 14, seriesNames);
    }
    return svg.end();
  }

  static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
