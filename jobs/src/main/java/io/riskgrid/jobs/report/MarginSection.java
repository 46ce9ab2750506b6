package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.riskgrid.jobs.report.chart.BarChart;
import io.riskgrid.jobs.report.chart.Histogram;
import io.riskgrid.jobs.report.chart.Numbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * Where the margin sits: accounts by status, IM and MM by underlying and by margin currency, and the PM
 * saving against standard margin. Two aggregations over {@code margins} and one histogram, all in Spark;
 * amounts in USD, coin accounts converted at the unshocked index (DESIGN §3.4 Exchange totals).
 */
final class MarginSection {
  private MarginSection() {}

  static String html(ReportInputs in) {
    Column usd = col("usd_rate");
    List<Row> byStatusAndCurrency = in.margins.groupBy("status", "margin_currency").agg(
            count(lit(1)).as("accounts"),
            sum(col("im").multiply(usd)).as("im_usd"), sum(col("mm").multiply(usd)).as("mm_usd"),
            sum(col("pm_im").multiply(usd)).as("pm_im_usd"), sum(col("standard_im").multiply(usd)).as("standard_im_usd"),
            sum(col("equity").multiply(usd)).as("equity_usd"),
            sum(when(usd.isNull().and(col("im").isNotNull()), 1).otherwise(0)).as("no_rate"))
        .orderBy("status", "margin_currency").collectAsList();
    Map<String, Long> accountsByStatus = new LinkedHashMap<>();
    Map<String, double[]> byCurrency = new LinkedHashMap<>();
    double[] totals = new double[5];
    long accounts = 0;
    long noRate = 0;
    for (Row r : byStatusAndCurrency) {
      long n = r.getAs("accounts");
      accounts += n;
      noRate += r.<Long>getAs("no_rate");
      accountsByStatus.merge(r.getAs("status"), n, Long::sum);
      double[] c = byCurrency.computeIfAbsent(r.getAs("margin_currency"), k -> new double[3]);
      c[0] += value(r, "im_usd");
      c[1] += value(r, "mm_usd");
      c[2] += n;
      String[] figures = {"im_usd", "mm_usd", "pm_im_usd", "standard_im_usd", "equity_usd"};
      for (int i = 0; i < figures.length; i++) {
        totals[i] += value(r, figures[i]);
      }
    }
    StringBuilder s = new StringBuilder("<section id=\"margin\"><h2>Margin</h2>");
    s.append(Html.figures(List.of(
        new Html.Figure(String.format("%,d", accounts), "accounts margined"),
        new Html.Figure(Numbers.compact(totals[0]) + " USD", "initial margin (IM) required"),
        new Html.Figure(Numbers.compact(totals[1]) + " USD", "maintenance margin (MM) required"),
        new Html.Figure(Numbers.compact(totals[4]) + " USD", "equity (collateral after haircuts + MtM)"),
        new Html.Figure(Numbers.percent(totals[3] == 0 ? Double.NaN : 1 - totals[2] / totals[3]),
            "PM saving: 1 − PM IM / standard IM"))));
    if (noRate > 0) {
      s.append(Html.missing(noRate + " accounts have a margin currency without an index price in market_underlyings: "
          + "their amounts are left out of the USD totals."));
    }
    BarChart status = new BarChart("accounts");
    accountsByStatus.forEach((k, v) -> status.add(k, v));
    BarChart currency = new BarChart("USD", "IM", "MM");
    byCurrency.forEach((k, v) -> currency.add(k + " (" + String.format("%,d", (long) v[2]) + " accts)", v[0], v[1]));
    s.append(Html.charts(
        Html.chartTitle("Accounts by status") + status.svg(520, "accounts by status"),
        Html.chartTitle("IM and MM by margin currency, USD") + currency.svg(520, "IM and MM by margin currency")));
    s.append(Html.charts(
        Html.chartTitle("IM and MM by underlying, USD") + byUnderlying(in),
        Html.chartTitle("PM saving against standard IM, per account") + savingHistogram(in)));
    s.append(Html.note("MM by underlying sums margins.by_underlying.mm; an account's IM is allocated to its "
        + "underlyings pro rata to their MM. PM saving = 1 − pm_im / standard_im, accounts with a standard IM."));
    return s.append("</section>").toString();
  }

  private static String byUnderlying(ReportInputs in) {
    Column share = when(col("mm").gt(0), col("im").divide(col("mm"))).otherwise(lit(0.0));
    List<Row> rows = in.margins.filter(col("im").isNotNull())
        .select(explode(col("by_underlying")).as("u"), col("usd_rate"), share.as("im_per_mm"))
        .groupBy(col("u.underlying").as("underlying"))
        .agg(sum(col("u.mm").multiply(col("im_per_mm")).multiply(col("usd_rate"))).as("im_usd"),
            sum(col("u.mm").multiply(col("usd_rate"))).as("mm_usd"))
        .orderBy(col("mm_usd").desc()).collectAsList();
    BarChart chart = new BarChart("USD", "IM", "MM");
    for (Row r : rows) {
      chart.add(r.getString(0), value(r, "im_usd"), value(r, "mm_usd"));
    }
    return chart.isEmpty() ? Html.note("No account holds a position.") : chart.svg(520, "IM and MM by underlying");
  }

  private static String savingHistogram(ReportInputs in) {
    Histogram histogram = ShareBins.count(in.margins.filter(col("standard_im").gt(0)), col("pm_saving"), -0.5, 1.0,
        "PM saving, % of standard IM", "accounts");
    return histogram.isEmpty() ? Html.note("No account has a standard IM to compare with.")
        : histogram.svg(520, "PM saving histogram");
  }

  static double value(Row r, String field) {
    Object v = r.getAs(field);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  static List<String> row(Object... cells) {
    List<String> out = new ArrayList<>();
    for (Object c : cells) {
      out.add(String.valueOf(c));
    }
    return out;
  }
}
