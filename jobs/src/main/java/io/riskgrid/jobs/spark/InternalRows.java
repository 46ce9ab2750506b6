package io.riskgrid.jobs.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame over rows a job built in Spark's internal form. {@code createDataFrame} of external
 * {@code Row}s runs Spark's row encoder once per row; for the margin pass's wide row with nested arrays
 * that conversion cost more than the engine (#19). Spark's own readers hand rows to the planner this
 * way; the method is package-private in Scala ({@code private[sql]}) and public in bytecode, so this is
 * the one place riskgrid relies on it. The rows must follow {@code schema} exactly: nothing checks them.
 */
public final class InternalRows {
  private InternalRows() {}

  /** {@code rows} as a DataFrame of {@code schema}, without the row encoder. */
  public static Dataset<Row> dataFrame(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
      throw new IllegalStateException("a margin run needs a local or cluster Spark session, not Spark Connect: "
          + spark.getClass().getName());
    }
    return classic.internalCreateDataFrame(rows.rdd(), schema, false);
  }
}
