package io.riskgrid.jobs.report.chart;

import java.util.Locale;

/**
 * A small SVG writer: every element the charts draw, attributes escaped, coordinates in user units (px at
 * scale 1) with two decimals. Marks carry a {@code <title>} so a browser shows the exact figure on hover.
 */
final class Svg {
  private final StringBuilder out = new StringBuilder();

  /** An {@code <svg>} of {@code width} × {@code height}, scaling to its container's width. */
  Svg(int width, int height, String label) {
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height).append("\" width=\"").append(width).append("\" role=\"img\" aria-label=\"")
        .append(escape(label)).append("\">");
  }

  Svg rect(double x, double y, double w, double h, String fill, String title) {
    out.append("<rect class=\"mark\" x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"")
        .append(n(Math.max(w, 0))).append("\" height=\"").append(n(Math.max(h, 0))).append("\" fill=\"").append(fill)
        .append('"');
    return closeWithTitle("rect", title);
  }

  Svg band(double x, double y, double w, double h, String fill) {
    out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(Math.max(w, 0)))
        .append("\" height=\"").append(n(Math.max(h, 0))).append("\" fill=\"").append(fill).append("\"/>");
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double width) {
    out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
        .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
        .append(n(width)).append("\"/>");
    return this;
  }

  Svg polyline(double[] xs, double[] ys, String stroke, String title) {
    out.append("<polyline class=\"mark\" fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(stroke)
        .append("\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      out.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
    }
    out.append('"');
    return closeWithTitle("polyline", title);
  }

  /** A legend's dot: drawn, but not a data mark. */
  Svg swatchDot(double cx, double cy, double r, String fill) {
    out.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
        .append("\" fill=\"").append(fill).append("\"/>");
    return this;
  }

  Svg circle(double cx, double cy, double r, String fill, String title) {
    out.append("<circle class=\"mark\" cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"")
        .append(n(r)).append("\" fill=\"").append(fill).append('"');
    return closeWithTitle("circle", title);
  }

  /** Text anchored {@code start}, {@code middle} or {@code end}; {@code rotate} in degrees about (x, y). */
  Svg text(double x, double y, String text, String anchor, String cssClass, double rotate) {
    out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
        .append("\" class=\"").append(cssClass).append('"');
    if (rotate != 0) {
      out.append(" transform=\"rotate(").append(n(rotate)).append(' ').append(n(x)).append(' ').append(n(y))
          .append(")\"");
    }
    out.append('>').append(escape(text)).append("</text>");
    return this;
  }

  Svg text(double x, double y, String text, String anchor, String cssClass) {
    return text(x, y, text, anchor, cssClass, 0);
  }

  String end() {
    return out.append("</svg>").toString();
  }

  private Svg closeWithTitle(String element, String title) {
    if (title == null) {
      out.append("/>");
    } else {
      out.append("><title>").append(escape(title)).append("</title></").append(element).append('>');
    }
    return this;
  }

  private static String n(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("a chart coordinate is " + v + ": the data has a non-finite value");
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String escape(String text) {
    return Markup.escape(text);
  }
}
