package io.riskgrid.jobs.report;

import java.util.List;

/**
 * The HTML the report is built from: escaping, a section with its key figures and chart, a plain table. The
 * page carries its own CSS and no script or external reference, so it opens offline and travels as one
 * e-mail attachment.
 */
final class Html {
  private Html() {}

  static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1f;
        margin:0;background:#f4f5f7}
      main{max-width:1120px;margin:0 auto;padding:20px 28px 60px}
      header{background:#12263f;color:#fff;padding:18px 28px}
      header h1{margin:0 0 4px;font-size:22px;font-weight:600}
      header p{margin:0;color:#c9d3e0}
      nav{margin:10px 0 0;font-size:13px}
      nav a{color:#9cc3ff;margin-right:14px;text-decoration:none}
      section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:18px 0;padding:16px 20px}
      h2{font-size:18px;margin:0 0 10px;color:#12263f}
      h3{font-size:15px;margin:16px 0 6px;color:#12263f}
      .figures{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 12px}
      .figure{border-left:3px solid #0072B2;padding:2px 10px;min-width:150px}
      .figure b{display:block;font-size:18px}
      .figure span{color:#5b6573;font-size:12px}
      table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
      th,td{padding:3px 9px;border-bottom:1px solid #eceef1;text-align:left;vertical-align:top}
      th{background:#f4f6f8;font-weight:600}
      td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      table.identity td:first-child{color:#5b6573;white-space:nowrap}
      .note{color:#5b6573;font-size:13px}
      .missing{color:#8a5a00;background:#fff6e0;border:1px solid #f0d9a0;padding:8px 12px;border-radius:4px}
      .zone{padding:1px 7px;border-radius:3px;font-weight:600;font-size:12px}
      .GREEN{background:#d8f1dc;color:#1b6b2a}.YELLOW{background:#fdf0c2;color:#7a5b00}.RED{background:#f9d2d2;color:#8f1d1d}
      .charts{display:flex;flex-wrap:wrap;gap:16px}
      .charts>div{flex:1 1 480px;min-width:0}
      svg.chart{max-width:100%;height:auto;display:block;margin:4px 0}
      svg .tick{font-size:11px;fill:#555}
      svg .cat{font-size:12px;fill:#222}
      svg .value{font-size:11px;fill:#333}
      svg .legend{font-size:12px;fill:#222}
      svg .axis-label{font-size:12px;fill:#555}
      svg .cell{font-size:11px;fill:#111}
      svg .cell.light{fill:#fff}
      code{background:#f0f2f5;padding:0 4px;border-radius:3px}
      """;

  static String escape(Object value) {
    return io.riskgrid.jobs.report.chart.Markup.escape(String.valueOf(value));
  }

  /** A headline figure: the value (already formatted, with its unit) over a short caption. */
  record Figure(String value, String caption) {}

  static String figures(List<Figure> figures) {
    StringBuilder s = new StringBuilder("<div class=\"figures\">");
    for (Figure f : figures) {
      s.append("<div class=\"figure\"><b>").append(escape(f.value())).append("</b><span>").append(escape(f.caption()))
          .append("</span></div>");
    }
    return s.append("</div>").toString();
  }

  /**
   * A table; {@code numeric[i]} right-aligns column i. Cells are escaped unless they start with
   * {@code <span class="zone}, the one piece of markup the report puts in a cell.
   */
  static String table(List<String> header, boolean[] numeric, List<List<String>> rows) {
    StringBuilder s = new StringBuilder("<table><thead><tr>");
    header.forEach(h -> s.append("<th>").append(escape(h)).append("</th>"));
    s.append("</tr></thead><tbody>");
    for (List<String> row : rows) {
      s.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        s.append(numeric[i] ? "<td class=\"num\">" : "<td>")
            .append(cell.startsWith("<span class=\"zone") ? cell : escape(cell)).append("</td>");
      }
      s.append("</tr>");
    }
    return s.append("</tbody></table>").toString();
  }

  static String zone(String zone) {
    String z = zone == null ? "NONE" : zone.replaceAll("[^A-Z]", "");
    return "<span class=\"zone " + z + "\">" + z + "</span>";
  }

  static String note(String text) {
    return "<p class=\"note\">" + escape(text) + "</p>";
  }

  /** The box a section shows when its table is missing: what would compute it. */
  static String missing(String text) {
    return "<p class=\"missing\">" + escape(text) + "</p>";
  }

  /** Charts side by side where the page is wide enough. */
  static String charts(String... charts) {
    StringBuilder s = new StringBuilder("<div class=\"charts\">");
    for (String c : charts) {
      s.append("<div>").append(c).append("</div>");
    }
    return s.append("</div>").toString();
  }

  static String chartTitle(String title) {
    return "<h3>" + escape(title) + "</h3>";
  }
}
