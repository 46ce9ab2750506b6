package io.riskgrid.jobs.changes;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of {@link ChangeAttribution}: D₀'s and D's margins slices joined by account (full outer:
 * accounts new on D and closed since D₀ get rows too) with the two intermediate margins, and each joined
 * row made one {@code margin_changes} row.
 */
final class Attribution {
  private Attribution() {}

  static Dataset<Row> rows(SparkSession spark, LocalDate asOf, String runId, String policyName, LocalDate previous,
      Dataset<Row> earlierSlice, Dataset<Row> todaySlice, Dataset<Row> onEarlierMarket, Dataset<Row> underEarlierPolicy,
      boolean samePolicy) {
    Dataset<Row> prev = side(earlierSlice, "p");
    Dataset<Row> today = side(todaySlice, "t");
    Dataset<Row> a = side(onEarlierMarket, "a");
    Dataset<Row> joined = today.join(prev, today.col("t_account_id").equalTo(prev.col("p_account_id")), "full_outer")
        .withColumn("account_id", coalesce(col("t_account_id"), col("p_account_id")));
    joined = joined.join(a, joined.col("account_id").equalTo(a.col("a_account_id")), "left");
    if (underEarlierPolicy != null) {
      Dataset<Row> b = side(underEarlierPolicy, "b");
      joined = joined.join(b, joined.col("account_id").equalTo(b.col("b_account_id")), "left");
    }
    java.sql.Date date = SparkValues.date(asOf);
    java.sql.Date previousDate = SparkValues.date(previous);
    boolean withB = underEarlierPolicy != null;
    MapFunction<Row, Row> toRow = r -> {
      ChangeAttribution.Split s = ChangeAttribution.of(margin(r, "p"), margin(r, "t"), margin(r, "a"),
          withB ? margin(r, "b") : ChangeAttribution.Margin.ABSENT, samePolicy);
      return RowFactory.create(date, runId, policyName, previousDate, r.<String>getAs("account_id"), s.currency(), s.mmPrev(),
          s.mm(), s.positionsEffect(), s.marketEffect(), s.policyEffect(), s.note());
    };
    return joined.map(toRow, Encoders.row(OutputTables.MARGIN_CHANGES.schema()));
  }

  /** account_id, margin_currency, mm, status, reason of one side, prefixed so the four sides can be joined. */
  private static Dataset<Row> side(Dataset<Row> rows, String prefix) {
    return rows.select(col("account_id").as(prefix + "_account_id"), col("margin_currency").as(prefix + "_currency"),
        col("mm").as(prefix + "_mm"), col("status").as(prefix + "_status"), col("reason").as(prefix + "_reason"));
  }

  /** One side's margin for the account of a joined row; absent when the side has no row for it. */
  private static ChangeAttribution.Margin margin(Row r, String prefix) {
    if (r.isNullAt(r.fieldIndex(prefix + "_account_id"))) {
      return ChangeAttribution.Margin.ABSENT;
    }
    int mm = r.fieldIndex(prefix + "_mm");
    return ChangeAttribution.Margin.of(r.getAs(prefix + "_currency"), r.isNullAt(mm) ? null : r.getDouble(mm),
        r.getAs(prefix + "_status"), r.getAs(prefix + "_reason"));
  }
}
