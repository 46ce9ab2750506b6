package io.riskgrid.jobs.explain;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.Contribution;
import io.riskgrid.schemas.InputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The account with the largest IM of a date and who its margin comes from, read from its {@code margins}
 * row alone (the contributions the run kept, no recomputation): the short block {@code demo} ends with.
 * IM is compared in USD, coin accounts converted at the unshocked index (DESIGN §3.4 Exchange totals).
 */
public final class LargestMargin {
  private LargestMargin() {}

  /**
   * The block for the margins slice (asOf, policyName), one line per underlying and contributor; empty
   * when no account of the slice has an IM.
   */
  public static List<String> describe(Warehouse warehouse, LocalDate asOf, String policyName) {
    Dataset<Row> margins = MarginSlices.read(warehouse, asOf, policyName).filter(col("im").isNotNull());
    Dataset<Row> index = warehouse.read(InputTables.MARKET_UNDERLYINGS, asOf).select("underlying", "index_price");
    List<Row> largest = margins.join(index, margins.col("margin_currency").equalTo(index.col("underlying")), "left")
        .orderBy(col("im").multiply(coalesce(index.col("index_price"), lit(1.0))).desc(), margins.col("account_id"))
        .select(margins.col("*")).limit(1).collectAsList();
    List<String> lines = new ArrayList<>();
    if (largest.isEmpty()) {
      return lines;
    }
    Row r = largest.get(0);
    String id = SparkValues.text(r, "account_id");
    String ccy = SparkValues.text(r, "margin_currency");
    lines.add(String.format(Locale.ROOT, "largest IM: account %s (%s, %s, %s), IM %s %s, MM %s %s", id, ccy,
        SparkValues.text(r, "margin_mode"), SparkValues.text(r, "status"), ExplanationText.amount(r.getAs("im"), ccy), ccy,
        ExplanationText.amount(r.getAs("mm"), ccy), ccy));
    for (Row u : r.<Row>getList(r.fieldIndex("by_underlying"))) {
      String binding = SparkValues.text(u, "binding_scenario");
      lines.add(String.format(Locale.ROOT, "  %s: MM_u %s%s, top contributors:", SparkValues.text(u, "underlying"),
          ExplanationText.amount(SparkValues.number(u, "mm"), ccy), binding == null ? "" : " at " + binding));
      int ci = u.fieldIndex("contributions");
      List<Contribution> stored = new ArrayList<>();
      if (!u.isNullAt(ci)) {
        for (Row c : u.<Row>getList(ci)) {
          stored.add(new Contribution(SparkValues.text(c, "source"), SparkValues.number(c, "contribution")));
        }
      }
      for (Contribution c : Explainer.shown(stored)) {
        lines.add(String.format(Locale.ROOT, "    %-32s %20s", c.source(), ExplanationText.amount(c.amount(), ccy)));
      }
    }
    lines.add("  why: deploy/bin/riskgrid explain " + id + " --as-of " + asOf + " --policy " + policyName);
    return lines;
  }
}
