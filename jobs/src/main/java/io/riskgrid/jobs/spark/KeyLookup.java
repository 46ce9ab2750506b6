package io.riskgrid.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.types.DataTypes;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rows of one key (such as one account_id) in one date's slice of a table, read without scanning
 * the table: the date prunes partitions and the key is an equality filter (Column API, never SQL
 * text) that Delta turns into data skipping on the files' min/max statistics, and Parquet into row-group
 * skipping. Each lookup reports how many files Spark actually opened, from the scan's own
 * "number of files read" metric, so callers and tests can see the skipping happen.
 */
public final class KeyLookup {
  private KeyLookup() {}

  /**
   * @param rows the matching rows
   * @param filesRead data files the executed scan opened
   */
  public record Result(List<Row> rows, long filesRead) {}

  /** The rows of {@code table} dated {@code date} whose text column {@code column} equals {@code value}. */
  public static Result of(Warehouse warehouse, Table table, LocalDate date, String column, String value) {
    return run(matching(warehouse, table, date, column, value));
  }

  /** The rows of the undated (or every date of a) {@code table} whose text column {@code column} equals {@code value}. */
  public static Result of(Warehouse warehouse, Table table, String column, String value) {
    checkTextColumn(table, column);
    return run(warehouse.read(table).filter(col(column).equalTo(lit(value))));
  }

  /** The rows of {@code table} that {@code condition} (a Column expression, never SQL text) selects. */
  public static Result where(Warehouse warehouse, Table table, Column condition) {
    return run(warehouse.read(table).filter(condition));
  }

  /** The filtered dataframe itself, for a caller that wants to inspect its plan or {@code inputFiles()}. */
  public static Dataset<Row> matching(Warehouse warehouse, Table table, LocalDate date, String column, String value) {
    checkTextColumn(table, column);
    return warehouse.read(table, date).filter(col(column).equalTo(lit(value)));
  }

  /** The data files of {@code table} dated {@code date}: what a scan without the key filter would open. */
  public static long filesOfDate(Warehouse warehouse, Table table, LocalDate date) {
    return warehouse.read(table, date).inputFiles().length;
  }

  private static Result run(Dataset<Row> filtered) {
    List<Row> rows = filtered.collectAsList();
    return new Result(rows, filesRead(filtered.queryExecution().executedPlan()));
  }

  /** Σ "number of files read" over the scans of an executed plan (through adaptive execution's final plan). */
  static long filesRead(SparkPlan plan) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      return filesRead(adaptive.executedPlan());
    }
    long files = 0;
    Option<SQLMetric> metric = plan.metrics().get("numFiles");
    if (metric.isDefined()) {
      files += metric.get().value();
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      files += filesRead(child);
    }
    return files;
  }

  private static void checkTextColumn(Table table, String column) {
    if (!Arrays.asList(table.schema().fieldNames()).contains(column)) {
      throw new IllegalArgumentException(table.name() + " has no column " + column + "; its columns are "
          + String.join(", ", table.schema().fieldNames()));
    }
    if (!table.schema().apply(column).dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(table.name() + "." + column + " is not a text column");
    }
  }
}
