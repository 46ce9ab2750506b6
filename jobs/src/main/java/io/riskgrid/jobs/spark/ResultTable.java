package io.riskgrid.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A query result as a plain-text table, psql style: a header, numbers right-aligned, nothing truncated.
 * Doubles print as Spark casts them to text (shortest round-trip decimals); arrays, maps and structs as
 * JSON, so {@code by_underlying} shows its field names; nulls as {@code NULL}.
 */
final class ResultTable {

  private ResultTable() {}

  /** The first {@code limit} rows of {@code result}, rendered; says so when there were more. */
  static String render(Dataset<Row> result, int limit) {
    StructField[] fields = result.schema().fields();
    Column[] asText = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Column column = result.col("`" + fields[i].name().replace("`", "``") + "`");
      asText[i] = isNested(fields[i].dataType()) ? functions.to_json(column) : column.cast("string");
    }
    List<Row> rows = result.select(asText).limit(limit + 1).collectAsList();
    boolean more = rows.size() > limit;
    List<Row> shown = more ? rows.subList(0, limit) : rows;

    int[] widths = new int[fields.length];
    for (int c = 0; c < fields.length; c++) {
      widths[c] = fields[c].name().length();
      for (Row row : shown) {
        widths[c] = Math.max(widths[c], cell(row, c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    List<String> rule = new ArrayList<>();
    for (int c = 0; c < fields.length; c++) {
      header.add(pad(fields[c].name(), widths[c], false));
      rule.add("-".repeat(widths[c]));
    }
    out.append(String.join(" | ", header).stripTrailing()).append('\n');
    out.append(String.join("-+-", rule)).append('\n');
    for (Row row : shown) {
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < fields.length; c++) {
        cells.add(pad(cell(row, c), widths[c], fields[c].dataType() instanceof NumericType));
      }
      out.append(String.join(" | ", cells).stripTrailing()).append('\n');
    }
    if (more) {
      out.append("(first ").append(limit).append(" rows shown; use --limit N for more)\n");
    } else {
      out.append('(').append(shown.size()).append(shown.size() == 1 ? " row)\n" : " rows)\n");
    }
    return out.toString();
  }

  private static boolean isNested(DataType type) {
    return type instanceof StructType || type instanceof ArrayType || type instanceof MapType;
  }

  private static String cell(Row row, int column) {
    return row.isNullAt(column) ? "NULL" : row.getString(column);
  }

  private static String pad(String text, int width, boolean right) {
    String space = " ".repeat(width - text.length());
    return right ? space + text : text + space;
  }
}
