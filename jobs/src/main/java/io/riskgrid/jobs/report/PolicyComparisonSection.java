package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.jobs.report.chart.Histogram;
import io.riskgrid.jobs.report.chart.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two policies over one book (DESIGN §7.4), from {@code policy_comparison} (one row per account) when
 * {@code riskgrid compare} wrote it: the distribution of the relative IM change, status flips, the totals,
 * and the largest increases. Aggregated in Spark; only the top-N rows reach the driver.
 */
final class PolicyComparisonSection {
  private PolicyComparisonSection() {}

  static final String TABLE = "policy_comparison";
  static final int TOP = 10;

  static String html(ReportInputs in) {
    StringBuilder s = new StringBuilder("<section id=\"policies\"><h2>Policy comparison</h2>");
    Optional<Dataset<Row>> table = in.optionalTable(TABLE);
    if (table.isEmpty() || table.get().isEmpty()) {
      // Suggest a pair compare accepts: the run's policy against another preset.
      String other = "deribit-like".equals(in.policyName()) ? "seed-default" : "deribit-like";
      return s.append(Html.missing("Not computed for " + in.asOf + ": run `riskgrid compare --as-of " + in.asOf
          + " --policy " + in.policyName() + " --policy " + other + "` (DESIGN §7.4).")).append("</section>").toString();
    }
    Dataset<Row> rates = in.margins.select(col("account_id").as("rate_account"), col("usd_rate"));
    Dataset<Row> compared = table.get().join(rates, table.get().col("account_id").equalTo(rates.col("rate_account")), "left");
    String[] columns = table.get().columns();
    String names = Arrays.asList(columns).contains("policy_a") && Arrays.asList(columns).contains("policy_b")
        ? policies(table.get()) : "A → B";
    Column usd = col("usd_rate");
    Row totals = compared.agg(count(lit(1)), sum(col("im_a").multiply(usd)), sum(col("im_b").multiply(usd)),
        sum(col("mm_a").multiply(usd)), sum(col("mm_b").multiply(usd))).first();
    double imA = totals.isNullAt(1) ? 0 : totals.getDouble(1);
    double imB = totals.isNullAt(2) ? 0 : totals.getDouble(2);
    s.append(Html.figures(List.of(
        new Html.Figure(names, "policies compared"),
        new Html.Figure(String.format("%,d", totals.getLong(0)), "accounts"),
        new Html.Figure(Numbers.compact(imA) + " → " + Numbers.compact(imB) + " USD", "total IM"),
        new Html.Figure(Numbers.percent(imA == 0 ? Double.NaN : imB / imA - 1), "total IM change"))));
    Histogram change = ShareBins.count(compared.filter(col("im_a").gt(0)), col("im_b").divide(col("im_a")).minus(1),
        -0.5, 1.0, "IM change B vs A, %", "accounts");
    String histogram = change.isEmpty() ? Html.note("No account has an IM under policy A.")
        : change.svg(520, "IM change histogram");
    List<List<String>> flips = new ArrayList<>();
    for (Row r : compared.filter(col("status_a").notEqual(col("status_b"))).groupBy("status_a", "status_b").count()
        .orderBy(col("count").desc()).collectAsList()) {
      flips.add(MarginSection.row(r.getString(0) + " → " + r.getString(1), String.format("%,d", r.getLong(2))));
    }
    s.append(Html.charts(Html.chartTitle("Relative IM change per account") + histogram,
        Html.chartTitle("Status flips") + (flips.isEmpty() ? Html.note("No account changes status.")
            : Html.table(List.of("status A → B", "accounts"), new boolean[] {false, true}, flips))));
    List<List<String>> largest = new ArrayList<>();
    for (Row r : compared.filter(usd.isNotNull()).withColumn("increase_usd", col("im_b").minus(col("im_a")).multiply(usd))
        .orderBy(col("increase_usd").desc_nulls_last(), col("account_id")).limit(TOP).collectAsList()) {
      largest.add(MarginSection.row(r.getAs("account_id"), Numbers.grouped(MarginSection.value(r, "im_a")),
          Numbers.grouped(MarginSection.value(r, "im_b")), Numbers.grouped(MarginSection.value(r, "increase_usd")),
          r.getAs("status_a") + " → " + r.getAs("status_b")));
    }
    s.append(Html.chartTitle("Largest IM increases"));
    s.append(Html.table(List.of("account", "IM A (margin ccy)", "IM B (margin ccy)", "increase, USD", "status"),
        new boolean[] {false, true, true, true, false}, largest));
    return s.append("</section>").toString();
  }

  private static String policies(Dataset<Row> table) {
    Row first = table.select("policy_a", "policy_b").first();
    return first.get(0) + " → " + first.get(1);
  }
}
