package io.riskgrid.jobs.report.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A grid of rows × columns coloured on a diverging scale symmetric about 0 (red short, blue long), the
 * figure written in each cell; a cell without data stays blank, never 0.
 */
public final class Heatmap {
  private final String unit;
  private final List<String> rows = new ArrayList<>();
  private final List<String> columns = new ArrayList<>();
  private final Map<String, Double> cells = new LinkedHashMap<>();

  public Heatmap(String unit) {
    this.unit = unit;
  }

  /** The cell (row, column); rows and columns appear in the order first seen unless declared first. */
  public Heatmap put(String row, String column, double value) {
    if (!rows.contains(row)) {
      rows.add(row);
    }
    if (!columns.contains(column)) {
      columns.add(column);
    }
    cells.put(row + '\u0000' + column, value);
    return this;
  }

  /** Declares the column order (expiry order, say) before the cells are put. */
  public Heatmap columns(List<String> ordered) {
    for (String c : ordered) {
      if (!columns.contains(c)) {
        columns.add(c);
      }
    }
    return this;
  }

  public boolean isEmpty() {
    return cells.isEmpty();
  }

  public String svg(int width, String label) {
    if (isEmpty()) {
      throw new IllegalStateException("heatmap '" + label + "' has no cells: render a note instead");
    }
    double left = 56;
    double top = 70;
    double cellWidth = Math.max(34, Math.min(90, (width - left - 8) / columns.size()));
    double cellHeight = 26;
    int height = (int) (top + cellHeight * rows.size() + 22);
    double scale = cells.values().stream().mapToDouble(Math::abs).max().orElse(1);
    Svg svg = new Svg((int) Math.ceil(Math.max(width, left + cellWidth * columns.size() + 8)), height, label);
    for (int c = 0; c < columns.size(); c++) {
      svg.text(left + (c + 0.5) * cellWidth + 4, top - 6, columns.get(c), "start", "tick", -45);
    }
    for (int r = 0; r < rows.size(); r++) {
      double y = top + r * cellHeight;
      svg.text(left - 6, y + cellHeight / 2 + 4, rows.get(r), "end", "cat");
      for (int c = 0; c < columns.size(); c++) {
        Double v = cells.get(rows.get(r) + '\u0000' + columns.get(c));
        double x = left + c * cellWidth;
        if (v == null) {
          svg.band(x + 1, y + 1, cellWidth - 2, cellHeight - 2, "#f6f6f6");
          continue;
        }
        double share = scale == 0 ? 0 : v / scale;
        svg.rect(x + 1, y + 1, cellWidth - 2, cellHeight - 2, Palette.diverging(share),
            rows.get(r) + " " + columns.get(c) + ": " + Numbers.grouped(v) + " " + unit);
        svg.text(x + cellWidth / 2, y + cellHeight / 2 + 4, Numbers.compact(v), "middle",
            Math.abs(share) > 0.6 ? "cell light" : "cell");
      }
    }
    svg.text(left, height - 6, unit + "; colour scale ±" + Numbers.compact(scale) + ", red short, blue long, grey: none",
        "start", "axis-label");
    return svg.end();
  }
}
