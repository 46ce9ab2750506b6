package io.riskgrid.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.input.ClusteredLayout;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes a checked book in the layout {@link ClusteredLayout} accepts (DESIGN §4), as {@code generate}
 * does: the rows of all three tables in one dataset, range-partitioned by account_id once, so that the
 * three tables share the partition boundaries, and sorted by account_id within each partition. Each
 * partition becomes one file per table; an account's rows are all in one file of each table, and each
 * collateral and positions file falls in the account range of one accounts file.
 */
final class ClusteredBook {
  /** The column that names the table of a laid-out row. */
  static final String TABLE = "table";

  private ClusteredBook() {}

  /** The three tables' rows in one dataset: table, account_id, account columns, item, quantity, entry_price. */
  static Dataset<Row> layOut(SparkSession spark, BookChecks.Checked book, long accountsPerFile) {
    var none = lit(null).cast(DataTypes.StringType);
    var noNumber = lit(null).cast(DataTypes.DoubleType);
    Dataset<Row> accounts = book.accounts().select(lit("accounts").as(TABLE), col("account_id"), col("parent_id"),
        col("margin_mode"), col("margin_currency"), none.as("item"), noNumber.as("quantity"), noNumber.as("entry_price"));
    Dataset<Row> collateral = book.collateral().select(lit("collateral").as(TABLE), col("account_id"), none.as("parent_id"),
        none.as("margin_mode"), none.as("margin_currency"), col("asset").as("item"), col("quantity"), noNumber.as("entry_price"));
    Dataset<Row> positions = book.positions().select(lit("positions").as(TABLE), col("account_id"), none.as("parent_id"),
        none.as("margin_mode"), none.as("margin_currency"), col("instrument_id").as("item"), col("quantity"),
        col("entry_price"));
    long accountCount = book.accounts().count();
    int partitions = (int) Math.max(spark.sparkContext().defaultParallelism(),
        (accountCount + accountsPerFile - 1) / accountsPerFile);
    return accounts.unionByName(collateral).unionByName(positions)
        .repartitionByRange(partitions, col("account_id")).sortWithinPartitions("account_id");
  }

  /** Replaces the date's slice of accounts, collateral and positions with the laid-out rows. */
  static void write(Warehouse warehouse, Dataset<Row> laidOut, LocalDate asOf) {
    java.sql.Date d = SparkValues.date(asOf);
    write(warehouse, laidOut, "accounts", InputTables.ACCOUNTS, d, asOf, List.of());
    write(warehouse, laidOut, "collateral", InputTables.COLLATERAL, d, asOf, List.of("item", "asset"));
    write(warehouse, laidOut, "positions", InputTables.POSITIONS, d, asOf, List.of("item", "instrument_id"));
  }

  private static void write(Warehouse warehouse, Dataset<Row> laidOut, String name, Table table, java.sql.Date d,
      LocalDate asOf, List<String> rename) {
    Dataset<Row> rows = laidOut.filter(col(TABLE).equalTo(name));
    if (!rename.isEmpty()) {
      rows = rows.withColumnRenamed(rename.get(0), rename.get(1));
    }
    // A filter and a projection keep each partition's rows and their order: one sorted file per partition.
    warehouse.replaceSlice(rows.withColumn("as_of_date", lit(d)).selectExpr(table.schema().fieldNames()), table, asOf);
  }
}
