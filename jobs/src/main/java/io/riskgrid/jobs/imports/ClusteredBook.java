package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import io.riskgrid.jobs.input.ClusteredLayout;
import io.riskgrid.jobs.spark.Concurrently;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * Lays a book out as {@link ClusteredLayout} accepts it (DESIGN §4), checking it on the way: the rows of
 * all three tables in one dataset, moved once into contiguous account_id ranges, sorted by (account_id,
 * table, item, line) within each and walked by {@link BookWalk}. Each range becomes one file per table;
 * an account's rows are all in one file of each table, and each collateral and positions file falls in
 * the account range of one accounts file.
 *
 * <p>The ranges come from a sample of the accounts file alone, and each row is sent to its range by
 * number ({@code repartitionById}): a range partitioning of the whole book would read every file once
 * more to sample it.
 */
final class ClusteredBook {
  /** Sampled account ids per range: a range's size then varies by about 1/√200, 7%, around its share. */
  private static final int SAMPLES_PER_RANGE = 200;

  private ClusteredBook() {}

  /**
   * The checked book in {@link BookWalk#OUT} rows, range by range in account order.
   *
   * @param accounts the raw accounts rows, sampled for the ranges
   * @param rows the book's rows as {@link BookRows#of}
   * @param rowsRead counts the rows as they are sent to their ranges, for progress lines; null for none
   */
  static Dataset<Row> layOut(SparkSession spark, Dataset<Row> accounts, Dataset<Row> rows, BookWalk walk,
      long accountsPerFile, LongAccumulator rowsRead) {
    String[] bounds = bounds(spark, accounts, accountsPerFile);
    // Evaluated once per row, as the shuffle writes it: the read's progress, which the walk's few long
    // tasks would report only as each ends.
    UDF1<String, Integer> range = id -> {
      if (rowsRead != null) {
        rowsRead.add(1);
      }
      return id == null ? 0 : rangeOf(bounds, id);
    };
    Column rangeId = udf(range, DataTypes.IntegerType).apply(col("account_id"));
    return rows.repartitionById(bounds.length + 1, rangeId)
        .sortWithinPartitions(col("account_id"), col("tbl"), col("item_key"), col(BookFile.LINE))
        .mapPartitions(walk, Encoders.row(BookWalk.OUT));
  }

  /** The index of the range of {@code id}: how many bounds are at or below it. */
  static int rangeOf(String[] bounds, String id) {
    int at = Arrays.binarySearch(bounds, id);
    return at >= 0 ? at + 1 : -at - 1;
  }

  /**
   * The lower bounds of ranges 1.. of about {@code accountsPerFile} accounts each, at least one range per
   * core, from a sample of the trimmed account ids (the whole file when it is small).
   */
  static String[] bounds(SparkSession spark, Dataset<Row> accounts, long accountsPerFile) {
    Dataset<Row> ids = accounts.select(org.apache.spark.sql.functions.trim(col("account_id")).as("id"))
        .filter(col("id").isNotNull().and(col("id").notEqual("")));
    long count = ids.count();
    int ranges = (int) Math.max(spark.sparkContext().defaultParallelism(), (count + accountsPerFile - 1) / accountsPerFile);
    if (ranges <= 1 || count == 0) {
      return new String[0];
    }
    double fraction = Math.min(1.0, (double) SAMPLES_PER_RANGE * ranges / count);
    List<String> sample = (fraction >= 1.0 ? ids : ids.sample(false, fraction, 1L)).as(Encoders.STRING()).collectAsList()
        .stream().sorted().toList();
    TreeSet<String> bounds = new TreeSet<>();
    for (int k = 1; k < ranges; k++) {
      bounds.add(sample.get((int) ((long) k * sample.size() / ranges)));
    }
    bounds.remove(sample.get(0));
    return bounds.toArray(String[]::new);
  }

  /**
   * Replaces the date's slice of accounts, collateral and positions with the rows {@code written} gives
   * for each target (BookWalk's write codes), the three writes at once: the small tables' tasks fill the
   * cores the positions write leaves idle at the end of its waves, and the three Delta commits overlap.
   */
  static void write(Warehouse warehouse, IntFunction<Dataset<Row>> written, LocalDate asOf) {
    java.sql.Date d = SparkValues.date(asOf);
    Concurrently.run("riskgrid-import-writes", List.of(
        () -> write(warehouse, written.apply(BookWalk.WRITE_POSITIONS), InputTables.POSITIONS, d, asOf,
            List.of("item", "instrument_id")),
        () -> write(warehouse, written.apply(BookWalk.WRITE_ACCOUNTS), InputTables.ACCOUNTS, d, asOf, List.of()),
        () -> write(warehouse, written.apply(BookWalk.WRITE_COLLATERAL), InputTables.COLLATERAL, d, asOf,
            List.of("item", "asset"))));
  }

  /** The rows of {@code book} of one target, for {@link #write}. */
  static IntFunction<Dataset<Row>> byTarget(Dataset<Row> book) {
    return target -> book.filter(col("target").equalTo(target));
  }

  private static void write(Warehouse warehouse, Dataset<Row> rows, Table table, java.sql.Date d, LocalDate asOf,
      List<String> rename) {
    if (!rename.isEmpty()) {
      rows = rows.withColumnRenamed(rename.get(0), rename.get(1));
    }
    // A filter and a projection keep each partition's rows and their order: one sorted file per partition.
    warehouse.replaceSlice(rows.withColumn("as_of_date", lit(d)).selectExpr(table.schema().fieldNames()), table, asOf);
  }
}
