package io.riskgrid.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One Delta table of the warehouse (DESIGN §4): its name, which is also its folder under the warehouse
 * and its view name in {@code riskgrid sql}; its Spark schema; its physical partition columns; and its
 * slice column, the column whose value a rerun replaces as a whole (for example {@code as_of_date}).
 *
 * <p>The schema here is the reviewed truth. Its DDL twin lives in
 * {@code io/riskgrid/schemas/ddl/<name>.sql} and a test keeps the two identical.
 */
public final class Table {

  private static final String DDL_FOLDER = "/io/riskgrid/schemas/ddl/";

  private final String name;
  private final String description;
  private final StructType schema;
  private final List<String> partitionColumns;
  private final String sliceColumn;
  /** Leading columns Delta keeps file statistics on; 0 for Delta's default. */
  private final int statisticsColumns;
  /** Parquet column paths written without dictionary encoding. */
  private final List<String> plainEncoded;

  private Table(String name, String description, StructType schema, List<String> partitionColumns,
      String sliceColumn, int statisticsColumns, List<String> plainEncoded) {
    this.name = name;
    this.description = description;
    this.schema = schema;
    this.partitionColumns = List.copyOf(partitionColumns);
    this.sliceColumn = sliceColumn;
    this.statisticsColumns = statisticsColumns;
    this.plainEncoded = List.copyOf(plainEncoded);
    validate();
  }

  /**
   * A table replaced slice by slice on {@code sliceColumn}, partitioned by it too when {@code partitioned}.
   * The riskgrid tables are in {@link Tables}; this factory is public for scratch tables such as the
   * cluster self-check's, which have no DDL resource.
   */
  public static Table sliced(String name, String description, String sliceColumn, boolean partitioned,
      StructField... fields) {
    List<String> partitions = partitioned ? List.of(sliceColumn) : List.of();
    return new Table(name, description, new StructType(fields), partitions, sliceColumn, 0, List.of());
  }

  /** A table without slices: replaced whole, or only appended to. */
  public static Table whole(String name, String description, StructField... fields) {
    return new Table(name, description, new StructType(fields), List.of(), null, 0, List.of());
  }

  /**
   * This table with Delta file statistics kept on its first {@code columns} data columns only
   * ({@code delta.dataSkippingNumIndexedCols}, set when the table is created; Delta counts columns
   * after leaving partition columns aside): for tables whose wide rows are filtered on their leading
   * key columns, where statistics on the figures cost write time and prune nothing.
   */
  public Table withStatisticsOnFirst(int columns) {
    return new Table(name, description, schema, partitionColumns, sliceColumn, columns, plainEncoded);
  }

  /**
   * This table with the given Parquet column paths written without dictionary encoding (the table
   * property {@code parquet.enable.dictionary#<path>} = false, set when the table is created). For
   * columns whose values are almost all distinct (an id per row, money amounts): Parquet would fill a
   * dictionary for each row group, find it too large and fall back to plain, so the attempt is pure
   * write time. A nested field is named by its Parquet path: {@code by_underlying.list.element.mm}.
   */
  public Table withPlainEncoding(String... parquetPaths) {
    return new Table(name, description, schema, partitionColumns, sliceColumn, statisticsColumns,
        Arrays.asList(parquetPaths));
  }

  /** The Parquet column paths written without dictionary encoding; see {@link #withPlainEncoding}. */
  public List<String> plainEncodedColumns() {
    return plainEncoded;
  }

  private void validate() {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("table name must be lower snake case: " + name);
    }
    if (statisticsColumns < 0 || statisticsColumns > schema.size()) {
      throw new IllegalArgumentException(name + ": statistics on the first " + statisticsColumns + " of "
          + schema.size() + " columns");
    }
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String path : plainEncoded) {
      if (!names.contains(path.split("\\.", 2)[0])) {
        throw new IllegalArgumentException(name + ": plain-encoded column " + path + " is not in the schema");
      }
    }
    for (String column : partitionColumns) {
      if (!names.contains(column)) {
        throw new IllegalArgumentException(name + ": partition column " + column + " is not in the schema");
      }
    }
    if (sliceColumn != null) {
      StructField slice = schema.apply(sliceColumn);
      if (slice.nullable()) {
        throw new IllegalArgumentException(name + ": slice column " + sliceColumn + " must be NOT NULL");
      }
    }
  }

  /** The table's name: its folder under the warehouse and its SQL view name. */
  public String name() {
    return name;
  }

  /** One line saying what a row is. */
  public String description() {
    return description;
  }

  /** The Spark schema, with units in the column comments. */
  public StructType schema() {
    return schema;
  }

  /** Physical Delta partition columns; empty for unpartitioned tables. */
  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** The column a rerun replaces by ({@code as_of_date}, {@code date}, {@code set_name}, ...), if any. */
  public Optional<String> sliceColumn() {
    return Optional.ofNullable(sliceColumn);
  }

  /** How many leading columns Delta keeps file statistics on, if the table limits them. */
  public java.util.OptionalInt statisticsColumns() {
    return statisticsColumns == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(statisticsColumns);
  }

  /** The type of the slice column, if the table has one. */
  public Optional<DataType> sliceType() {
    return sliceColumn().map(column -> schema.apply(column).dataType());
  }

  /** The classpath resource holding this table's DDL column list. */
  public String ddlResource() {
    return DDL_FOLDER + name + ".sql";
  }

  /** The DDL column list, as reviewed in {@link #ddlResource()}; parse it with {@code StructType.fromDDL}. */
  public String ddl() {
    try (InputStream in = Table.class.getResourceAsStream(ddlResource())) {
      if (in == null) {
        throw new IllegalStateException("missing DDL resource " + ddlResource() + " for table " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ddlResource(), e);
    }
  }

  /**
   * How {@code actual} differs from this table's schema, one readable line per difference; empty when
   * it conforms. Top-level columns match by name in any order; nullability and comments are ignored
   * (Delta checks NOT NULL on the values themselves), nested types must match exactly otherwise.
   */
  public List<String> differencesFrom(StructType actual) {
    Map<String, DataType> expected = columnTypes(schema);
    Map<String, DataType> given = columnTypes(actual);
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, DataType> column : expected.entrySet()) {
      DataType givenType = given.get(column.getKey());
      if (givenType == null) {
        differences.add("missing column " + column.getKey() + " " + column.getValue().sql());
      } else if (!shape(givenType).equals(shape(column.getValue()))) {
        differences.add("column " + column.getKey() + " is " + givenType.sql()
            + ", the table has " + column.getValue().sql());
      }
    }
    for (Map.Entry<String, DataType> column : given.entrySet()) {
      if (!expected.containsKey(column.getKey())) {
        differences.add("unexpected column " + column.getKey() + " " + column.getValue().sql());
      }
    }
    return differences;
  }

  /**
   * The columns this table adds at its end to {@code actual}: non-empty only when {@code actual} is
   * exactly this table's leading columns (same names and types, in order) and every added column is
   * nullable, so that an older table can gain them in place with rows before reading null.
   */
  public List<StructField> trailingAdditionsTo(StructType actual) {
    StructField[] ours = schema.fields();
    StructField[] theirs = actual.fields();
    if (theirs.length >= ours.length) {
      return List.of();
    }
    for (int i = 0; i < theirs.length; i++) {
      if (!ours[i].name().equals(theirs[i].name()) || !shape(ours[i].dataType()).equals(shape(theirs[i].dataType()))) {
        return List.of();
      }
    }
    List<StructField> added = Arrays.asList(ours).subList(theirs.length, ours.length);
    return added.stream().allMatch(StructField::nullable) ? List.copyOf(added) : List.of();
  }

  private static Map<String, DataType> columnTypes(StructType struct) {
    Map<String, DataType> types = new LinkedHashMap<>();
    for (StructField field : struct.fields()) {
      types.put(field.name(), field.dataType());
    }
    return types;
  }

  /** The type with every nullability flag set and every comment dropped, for comparison. */
  private static DataType shape(DataType type) {
    if (type instanceof StructType) {
      StructField[] fields = ((StructType) type).fields();
      StructField[] shaped = new StructField[fields.length];
      for (int i = 0; i < fields.length; i++) {
        shaped[i] = new StructField(fields[i].name(), shape(fields[i].dataType()), true, Metadata.empty());
      }
      return new StructType(shaped);
    }
    if (type instanceof ArrayType) {
      return DataTypes.createArrayType(shape(((ArrayType) type).elementType()), true);
    }
    if (type instanceof MapType) {
      MapType map = (MapType) type;
      return DataTypes.createMapType(shape(map.keyType()), shape(map.valueType()), true);
    }
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}
