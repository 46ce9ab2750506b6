package io.riskgrid.jobs.changes;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@code changes} prints: per margin currency the MM of both dates and the three effects summed
 * (aggregated in Spark), the accounts with a note, and the largest changes (per currency, since coin
 * and USD amounts do not add).
 */
final class ChangesText {
  private ChangesText() {}

  static void print(PrintWriter out, ChangesJob.Result r, int top) {
    out.printf(Locale.ROOT, "margin changes %s -> %s, policy %s%s (run %s)%n", r.previous(), r.asOf(), r.policyName(),
        r.samePolicy() ? " (unchanged)" : " (changed: policy effect computed)", r.runId());
    Dataset<Row> c = r.changes();
    out.printf(Locale.ROOT, "%-8s %9s %18s %18s %18s %18s %18s%n", "currency", "accounts", "MM D0", "MM D", "positions",
        "market", "policy");
    for (Row t : c.groupBy("margin_currency").agg(count("*"), sum("mm_prev"), sum("mm"), sum("positions_effect"),
        sum("market_effect"), sum("policy_effect")).orderBy("margin_currency").collectAsList()) {
      out.printf(Locale.ROOT, "%-8s %,9d %18s %18s %18s %18s %18s%n", t.get(0), t.getLong(1), amount(t, 2), amount(t, 3),
          amount(t, 4), amount(t, 5), amount(t, 6));
    }
    List<Row> notes = c.where(col("note").isNotNull()).groupBy("note").count().orderBy(col("count").desc()).limit(5)
        .collectAsList();
    long noted = c.where(col("note").isNotNull()).count();
    if (noted > 0) {
      out.printf(Locale.ROOT, "%,d accounts with a note (effects null where it says why); most frequent:%n", noted);
      notes.forEach(n -> out.printf(Locale.ROOT, "  %,7d  %s%n", n.getLong(1), n.getString(0)));
    }
    if (top > 0) {
      out.printf(Locale.ROOT, "largest changes of MM (margin currency):%n");
      for (Row a : c.where(col("mm").isNotNull().and(col("mm_prev").isNotNull()))
          .orderBy(abs(col("mm").minus(col("mm_prev"))).desc()).limit(top).collectAsList()) {
        out.printf(Locale.ROOT, "  %-14s %-5s MM %s -> %s: positions %s, market %s, policy %s%n", a.getAs("account_id"),
            a.getAs("margin_currency"), amount(a, "mm_prev"), amount(a, "mm"), amount(a, "positions_effect"),
            amount(a, "market_effect"), amount(a, "policy_effect"));
      }
    }
    out.printf(Locale.ROOT, "rows in margin_changes for %s; try: deploy/bin/riskgrid sql \"SELECT * FROM margin_changes "
        + "WHERE as_of_date = '%s' ORDER BY abs(mm - mm_prev) DESC LIMIT 20\"%n", r.asOf(), r.asOf());
  }

  private static String amount(Row r, int i) {
    return r.isNullAt(i) ? "null" : String.format(Locale.ROOT, "%,.2f", r.getDouble(i));
  }

  private static String amount(Row r, String field) {
    return amount(r, r.fieldIndex(field));
  }
}
