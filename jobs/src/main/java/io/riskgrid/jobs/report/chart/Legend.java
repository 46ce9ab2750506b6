package io.riskgrid.jobs.report.chart;

import java.util.List;

/** A one-line legend: a swatch and a name per series, left to right. */
final class Legend {
  private Legend() {}

  static void draw(Svg svg, double x, double y, List<String> names) {
    double at = x;
    for (int i = 0; i < names.size(); i++) {
      svg.band(at, y - 9, 10, 10, Palette.series(i));
      svg.text(at + 14, y, names.get(i), "start", "legend");
      at += 26 + 7 * names.get(i).length();
    }
  }
}
