package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;

import io.riskgrid.jobs.report.chart.BarChart;
import io.riskgrid.jobs.report.chart.Numbers;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The accounts with the largest IM in USD, each with what explains it: per underlying the MM, the binding
 * scenario and the largest contributors the margin run kept (DESIGN §7.3). A top-N (Spark's take-ordered),
 * so only N rows reach the driver.
 */
final class LargestMarginsSection {
  private LargestMarginsSection() {}

  static final int TOP = 10;

  static String html(ReportInputs in) {
    // Two steps: the top N ids from narrow columns, then only their full rows (by_underlying is the bulk of
    // a margins row; account_id has file statistics, so the second read skips most files).
    Dataset<Row> withUsd = in.margins.filter(col("im").isNotNull().and(col("usd_rate").isNotNull()))
        .withColumn("im_usd", col("im").multiply(col("usd_rate")));
    Object[] ids = withUsd.select("account_id", "im_usd").orderBy(col("im_usd").desc(), col("account_id")).limit(TOP)
        .collectAsList().stream().map(r -> r.get(0)).toArray();
    List<Row> largest = withUsd.filter(col("account_id").isin(ids))
        .orderBy(col("im_usd").desc(), col("account_id")).collectAsList();
    StringBuilder s = new StringBuilder("<section id=\"largest\"><h2>Largest margins</h2>");
    if (largest.isEmpty()) {
      return s.append(Html.note("No account of this date has an IM.")).append("</section>").toString();
    }
    BarChart chart = new BarChart("USD", "IM", "equity");
    List<List<String>> rows = new ArrayList<>();
    for (Row r : largest) {
      double rate = r.getAs("usd_rate");
      String ccy = r.getAs("margin_currency");
      chart.add(r.getAs("account_id"), MarginSection.value(r, "im_usd"), MarginSection.value(r, "equity") * rate);
      rows.add(MarginSection.row(r.getAs("account_id"), ccy + ", " + r.getAs("margin_mode"), r.getAs("status"), Numbers.grouped(MarginSection.value(r, "im")),
          Numbers.grouped(MarginSection.value(r, "mm")), Numbers.grouped(MarginSection.value(r, "equity")),
          why(r, ccy)));
    }
    s.append(Html.chartTitle("The " + largest.size() + " largest IM, USD, beside the account's equity"))
        .append(chart.svg(1000, "largest initial margins"));
    s.append(Html.table(List.of("account", "margin currency, mode", "status", "IM", "MM", "equity",
            "per underlying: MM at binding scenario; largest contributors"),
        new boolean[] {false, false, false, true, true, true, false}, rows));
    s.append(Html.note("IM, MM and equity in the account's margin currency. Contributors split an underlying's MM "
        + "by position and collateral (they sum to it; negative = hedge). Full breakdown: riskgrid explain ACCOUNT --as-of "
        + in.asOf + "."));
    return s.append("</section>").toString();
  }

  /** "BTC: MM 9,360 at p-15_v+0; BTC-PERPETUAL 9,360, OTHER 0" for each underlying. */
  private static String why(Row r, String ccy) {
    List<String> parts = new ArrayList<>();
    for (Row u : r.<Row>getList(r.fieldIndex("by_underlying"))) {
      StringBuilder p = new StringBuilder();
      p.append(u.<String>getAs("underlying")).append(": MM ").append(Numbers.grouped(MarginSection.value(u, "mm")));
      String binding = u.getAs("binding_scenario");
      p.append(binding == null ? " (no scan loss)" : " at " + binding);
      int ci = u.fieldIndex("contributions");
      if (!u.isNullAt(ci)) {
        List<String> top = new ArrayList<>();
        for (Row c : u.<Row>getList(ci)) {
          if (top.size() < 3 && !"OTHER".equals(c.getAs("source"))) {
            top.add(c.<String>getAs("source") + " " + Numbers.grouped(MarginSection.value(c, "contribution")));
          }
        }
        if (!top.isEmpty()) {
          p.append("; ").append(String.join(", ", top));
        }
      }
      parts.add(p.toString());
    }
    return parts.isEmpty() ? "no positions (" + ccy + ")" : String.join(" | ", parts);
  }
}
