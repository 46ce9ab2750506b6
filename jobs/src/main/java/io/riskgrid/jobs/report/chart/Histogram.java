package io.riskgrid.jobs.report.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts over adjacent bins, drawn as touching vertical bars; each bin is labelled by its range, since the
 * edge bins may be open ("≤ -50%").
 */
public final class Histogram {
  private final String xUnit;
  private final String countUnit;
  private final List<String> binLabels = new ArrayList<>();
  private final List<Long> counts = new ArrayList<>();

  /** Bins over a quantity in {@code xUnit}, counting {@code countUnit} (e.g. "accounts"). */
  public Histogram(String xUnit, String countUnit) {
    this.xUnit = xUnit;
    this.countUnit = countUnit;
  }

  public Histogram add(String binLabel, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("bin " + binLabel + " has a negative count " + count);
    }
    binLabels.add(binLabel);
    counts.add(count);
    return this;
  }

  public boolean isEmpty() {
    return counts.stream().mapToLong(Long::longValue).sum() == 0;
  }

  public String svg(int width, String label) {
    if (isEmpty()) {
      throw new IllegalStateException("histogram '" + label + "' counts nothing: render a note instead");
    }
    int height = 290;
    double left = 56;
    double right = width - 12;
    double top = 12;
    double bottom = height - 84;
    LinearScale y = new LinearScale(0, counts.stream().mapToLong(Long::longValue).max().orElse(1), 5, bottom, top);
    Svg svg = new Svg(width, height, label);
    for (double t : y.ticks()) {
      svg.line(left, y.at(t), right, y.at(t), Palette.GRID, 1);
      svg.text(left - 5, y.at(t) + 4, Numbers.compact(t), "end", "tick");
    }
    double binWidth = (right - left) / counts.size();
    for (int i = 0; i < counts.size(); i++) {
      double x = left + i * binWidth;
      long n = counts.get(i);
      if (n > 0) {
        svg.rect(x + 0.5, y.at(n), binWidth - 1, bottom - y.at(n), Palette.series(0),
            binLabels.get(i) + " " + xUnit + ": " + String.format("%,d", n) + " " + countUnit);
      }
      if (counts.size() <= 24 || i % 2 == 0) {
        svg.text(x + binWidth / 2, bottom + 8, binLabels.get(i), "end", "tick", -45);
      }
    }
    svg.line(left, bottom, right, bottom, Palette.AXIS, 1);
    svg.text((left + right) / 2, height - 4, xUnit, "middle", "axis-label");
    svg.text(12, (top + bottom) / 2, countUnit, "middle", "axis-label", -90);
    return svg.end();
  }
}
