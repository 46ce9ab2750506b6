package io.riskgrid.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A date's {@code rejects} slice has more than one writer: the margin run (rows of the account tables and
 * instruments) and the importers (rows of source files, whose {@code source_table} starts with
 * {@link #IMPORT_PREFIX}). Each writer replaces its own rows of the date and keeps the others', in one
 * atomic replace of the slice, so a margin run does not erase what an import rejected and a re-import does
 * not erase what the margin run rejected.
 */
public final class SharedRejects {
  /** {@code source_table} of a row rejected by an importer: {@code import market: <file>}. */
  public static final String IMPORT_PREFIX = "import ";

  private SharedRejects() {}

  /** Rows written by an importer. */
  public static Column fromImports() {
    return col("source_table").startsWith(IMPORT_PREFIX);
  }

  /** Rows written by the importer named {@code what}, such as {@code market}. */
  public static Column fromImport(String what) {
    return col("source_table").startsWith(IMPORT_PREFIX + what + ":");
  }

  /**
   * Replaces the rows of {@code asOf} that {@code own} selects with {@code rows} (in the table's columns),
   * keeping the date's other rows.
   */
  public static void replace(Warehouse warehouse, LocalDate asOf, Dataset<Row> rows, Column own) {
    Dataset<Row> written = rows.selectExpr(OutputTables.REJECTS.schema().fieldNames());
    if (warehouse.exists(OutputTables.REJECTS)) {
      Dataset<Row> others = warehouse.read(OutputTables.REJECTS, asOf).filter(not(own));
      written = written.unionByName(others);
    }
    warehouse.replaceSlice(written, OutputTables.REJECTS, asOf);
  }
}
