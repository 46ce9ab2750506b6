package io.riskgrid.jobs.report.chart;

/** Escaping shared by the SVG charts and the HTML page around them. */
public final class Markup {
  private Markup() {}

  /** {@code text} made safe inside XML/HTML content and attribute values. */
  public static String escape(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '&' -> s.append("&amp;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }
}
