package io.riskgrid.jobs.report;

import io.riskgrid.jobs.spark.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code riskgrid report}: one self-contained HTML page for a business date. Each section aggregates its
 * table in Spark and renders a chart (inline SVG) and the few figures that matter; a section whose table is
 * missing says what would compute it. The page has no script and no external reference.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** What was written: where, how large, and how long each section took (ms). */
  public record Written(Path file, long bytes, Map<String, Long> sectionMillis) {}

  /** The sections, in page order, by anchor name. */
  private static final Map<String, Function<ReportInputs, String>> SECTIONS = sections();

  private static Map<String, Function<ReportInputs, String>> sections() {
    Map<String, Function<ReportInputs, String>> s = new LinkedHashMap<>();
    s.put("run", RunIdentity::html);
    s.put("margin", MarginSection::html);
    s.put("largest", LargestMarginsSection::html);
    s.put("stress", StressSection::html);
    s.put("exposures", ExposureSection::html);
    s.put("backtest", BacktestSection::html);
    s.put("liquidation", LiquidationSection::html);
    s.put("policies", PolicyComparisonSection::html);
    return s;
  }

  /** Renders the report of {@code asOf} and writes it to {@code out} (atomically: a reader never sees half). */
  public static Written write(Warehouse warehouse, LocalDate asOf, Path out, boolean progress) {
    ReportInputs in = ReportInputs.of(warehouse, asOf);
    Map<String, Long> millis = new LinkedHashMap<>();
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, Function<ReportInputs, String>> section : SECTIONS.entrySet()) {
      long t = System.currentTimeMillis();
      body.append(section.getValue().apply(in));
      millis.put(section.getKey(), System.currentTimeMillis() - t);
      if (progress) {
        System.out.printf("  report section %-12s %6d ms%n", section.getKey(), millis.get(section.getKey()));
      }
    }
    String page = page(in, body.toString());
    try {
      Path absolute = out.toAbsolutePath();
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
      Files.writeString(partial, page, StandardCharsets.UTF_8);
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Written(absolute, Files.size(absolute), millis);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the report to " + out + ": " + e.getMessage()
          + " (check --out: its folder must be writable)", e);
    }
  }

  /**
   * {@code riskgrid-report.html} in the folder that holds a local warehouse (what {@code demo} writes); in the
   * working directory when the warehouse is a remote URI such as {@code s3a://bucket/riskgrid}.
   */
  public static Path besideWarehouse(Warehouse warehouse) {
    org.apache.hadoop.fs.Path location = new org.apache.hadoop.fs.Path(warehouse.location());
    String scheme = location.toUri().getScheme();
    if (scheme != null && !scheme.equals("file")) {
      return Path.of(REPORT_FILE);
    }
    return Path.of(location.toUri().getPath()).resolveSibling(REPORT_FILE);
  }

  /** The file name {@code demo} writes the report under. */
  public static final String REPORT_FILE = "riskgrid-report.html";

  private static String page(ReportInputs in, String body) {
    StringBuilder nav = new StringBuilder("<nav>");
    String[][] links = {{"run", "Run"}, {"margin", "Margin"}, {"largest", "Largest margins"}, {"stress", "Stress"},
        {"exposures", "Exposures"}, {"backtest", "Backtest"}, {"liquidation", "Liquidation curve"},
        {"policies", "Policy comparison"}};
    for (String[] link : links) {
      nav.append("<a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a>");
    }
    nav.append("</nav>");
    String title = "riskgrid report " + in.asOf + " (" + in.policyName() + ")";
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + Html.escape(title) + "</title><style>" + Html.CSS + "</style></head><body>"
        + "<header><h1>riskgrid: margin and stress report, " + in.asOf + "</h1><p>policy "
        + Html.escape(in.policyName()) + ", run " + Html.escape(in.marginRun.getAs("run_id"))
        + ". Amounts in USD unless a column says otherwise; coin accounts converted at the day's index.</p>"
        + nav + "</header><main>" + body + "</main></body></html>\n";
  }
}
