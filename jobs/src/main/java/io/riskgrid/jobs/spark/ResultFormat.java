package io.riskgrid.jobs.spark;

import java.io.PrintWriter;
import java.util.Iterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How {@code riskgrid sql} prints a result: a psql-style table for people, CSV or JSON Lines for programs
 * (notebooks, spreadsheets, {@code jq}). CSV and JSON rows stream from the executors one partition at a time
 * ({@code toLocalIterator}), so a large result never sits whole on the driver.
 */
public enum ResultFormat {
  /** {@link ResultTable}: aligned columns, NULL for nulls, nested values as JSON. */
  TABLE,
  /**
   * RFC 4180: a header row, then one line per row; a field with a comma, quote or line break is quoted, with
   * quotes doubled. Null is an empty field and the empty string {@code ""}, so the two stay apart. Numbers
   * are Spark's text casts (shortest round-trip decimals); arrays, maps and structs are JSON in one field.
   */
  CSV,
  /** JSON Lines: one JSON object per row, with the columns' own types (numbers, booleans, nested values). */
  JSON;

  /** Prints up to {@code limit} rows of {@code result} to {@code out} (all when {@code limit} is negative). */
  public void print(Dataset<Row> result, long limit, PrintWriter out) {
    switch (this) {
      case TABLE -> out.print(ResultTable.render(result, (int) Math.min(limit, Integer.MAX_VALUE)));
      case CSV -> printCsv(result, limit, out);
      case JSON -> printJsonLines(result, limit, out);
    }
    out.flush();
  }

  private static void printCsv(Dataset<Row> result, long limit, PrintWriter out) {
    StructField[] fields = result.schema().fields();
    StringBuilder header = new StringBuilder();
    Column[] asText = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      header.append(i == 0 ? "" : ",").append(csvField(fields[i].name()));
      Column column = result.col("`" + fields[i].name().replace("`", "``") + "`");
      asText[i] = isNested(fields[i].dataType()) ? functions.to_json(column) : column.cast("string");
    }
    out.print(header.append("\r\n"));
    Iterator<Row> rows = limited(result.select(asText), limit).toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < fields.length; i++) {
        line.append(i == 0 ? "" : ",");
        if (!row.isNullAt(i)) {
          String text = row.getString(i);
          line.append(text.isEmpty() ? "\"\"" : csvField(text));
        }
      }
      out.print(line.append("\r\n"));
    }
  }

  private static void printJsonLines(Dataset<Row> result, long limit, PrintWriter out) {
    Column[] all = new Column[result.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = result.col("`" + result.columns()[i].replace("`", "``") + "`");
    }
    // ignoreNullFields=false: a null column prints as "x":null, so every line has every key.
    Dataset<Row> json = result.select(functions.to_json(functions.struct(all),
        java.util.Map.of("ignoreNullFields", "false")));
    Iterator<Row> rows = limited(json, limit).toLocalIterator();
    while (rows.hasNext()) {
      out.print(rows.next().getString(0));
      out.print('\n');
    }
  }

  private static Dataset<Row> limited(Dataset<Row> rows, long limit) {
    return limit < 0 ? rows : rows.limit((int) Math.min(limit, Integer.MAX_VALUE));
  }

  private static String csvField(String text) {
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  private static boolean isNested(DataType type) {
    return type instanceof StructType || type instanceof ArrayType || type instanceof MapType;
  }
}
