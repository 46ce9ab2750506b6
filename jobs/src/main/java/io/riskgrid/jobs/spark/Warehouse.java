package io.riskgrid.jobs.spark;

import io.delta.tables.DeltaTable;
import io.riskgrid.InvalidInputException;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.Table;
import io.riskgrid.schemas.Tables;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta warehouse: one directory (or URI) holding one Delta table per {@link Table}, in a folder named
 * after it. Every write goes through here, so the schemas of {@code io.riskgrid.schemas} are enforced in
 * one place: a dataframe whose columns differ from its table's is refused with the differences named.
 *
 * <p>Daily slices are replaced atomically with Delta's {@code replaceWhere}: rerunning a date replaces its
 * rows and never duplicates them, and readers see either the old slice or the new one.
 */
public final class Warehouse {

  /** The default location, relative to the working directory (DESIGN §4). */
  public static final String DEFAULT_LOCATION = "riskgrid-warehouse";

  private final SparkSession spark;
  private final String location;
  /** Table name → the Delta version its reads see (time travel); empty for the live warehouse, which alone writes. */
  private final Map<String, Long> pinnedVersions;

  private Warehouse(SparkSession spark, String location) {
    this(spark, location, Map.of());
  }

  private Warehouse(SparkSession spark, String location, Map<String, Long> pinnedVersions) {
    this.spark = spark;
    this.location = location;
    this.pinnedVersions = Map.copyOf(pinnedVersions);
  }

  /**
   * This warehouse as it was: reads of the tables named in {@code versions} (table name → Delta version,
   * as {@code runs.input_versions} records them) see that version (Delta time travel); other tables are
   * read at their latest version. Read only: a write through it throws. How a run reads the inputs an
   * earlier run read, even after they were reloaded (DESIGN §7.3 day-on-day change).
   */
  public Warehouse atVersions(Map<String, Long> versions) {
    return new Warehouse(spark, location, versions);
  }

  /**
   * The warehouse at {@code location}: a local directory, made absolute here so that executors with
   * another working directory write to the same place, or a URI such as {@code s3a://bucket/riskgrid}.
   */
  public static Warehouse at(SparkSession spark, String location) {
    return new Warehouse(spark, qualify(location));
  }

  static String qualify(String location) {
    if (location.isBlank()) {
      throw new IllegalArgumentException("the warehouse location is empty: give --warehouse DIR");
    }
    boolean uri = location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");
    // Hadoop's spelling (file:/tmp/w, not java.nio's file:///tmp/w/): Delta compares locations as
    // strings and refuses to create a table whose two spellings differ.
    return uri ? new org.apache.hadoop.fs.Path(location).toString()
        : new org.apache.hadoop.fs.Path(Paths.get(location).toAbsolutePath().normalize().toUri().toString()).toString();
  }

  /** The session this warehouse reads and writes with. */
  public SparkSession spark() {
    return spark;
  }

  /** The warehouse's qualified location, without a trailing slash. */
  public String location() {
    return location;
  }

  /** Where {@code table} lives: {@code <location>/<table name>}. */
  public String path(Table table) {
    return location + "/" + table.name();
  }

  /** Whether {@code table} has been created (by {@link #ensureTables()} or a first write). */
  public boolean exists(Table table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /**
   * Fails, creating nothing, when the warehouse has none of the tables a run reads ({@code accounts},
   * {@code positions}, {@code market_underlyings}): a mistyped {@code --warehouse} must not become a new,
   * empty warehouse with a run of 0 accounts in it (issue #18).
   */
  public void requireInputs(String command) {
    List<Table> inputs = List.of(InputTables.ACCOUNTS, InputTables.POSITIONS, InputTables.MARKET_UNDERLYINGS);
    if (inputs.stream().noneMatch(this::exists)) {
      throw new InvalidInputException("--warehouse", "no riskgrid warehouse at " + location + " (none of "
          + inputs.stream().map(Table::name).toList() + " exists); create one with 'riskgrid generate' or 'riskgrid import', "
          + "or point --warehouse (or RISKGRID_WAREHOUSE) at an existing one. " + command + " created nothing.");
    }
  }

  /** Creates every table of {@link Tables#ALL} that is missing, empty; returns those it created. */
  public List<Table> ensureTables() {
    List<Table> created = new ArrayList<>();
    for (Table table : Tables.ALL) {
      if (ensureTable(table)) {
        created.add(table);
      }
    }
    return created;
  }

  /**
   * Creates {@code table} empty, with its schema, comments and partitioning, unless it exists; an existing
   * table must have the schema of the code. Returns whether it was created.
   */
  public boolean ensureTable(Table table) {
    if (exists(table)) {
      StructType existing = readExisting(table).schema();
      List<StructField> added = table.trailingAdditionsTo(existing);
      if (!added.isEmpty() && pinnedVersions.isEmpty()) {
        // A table of an older riskgrid that lacks only nullable columns at the end (runs.output_versions)
        // gains them in place: its rows read null there, as the column comments say.
        addColumns(table, added);
        existing = readExisting(table).schema();
      }
      List<String> differences = table.differencesFrom(existing);
      if (!differences.isEmpty()) {
        throw new IllegalStateException("table " + table.name() + " at " + path(table)
            + " was written with another schema than this riskgrid's: " + String.join("; ", differences)
            + ". " + upgradeAdvice(table));
      }
      return false;
    }
    io.delta.tables.DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
        .location(path(table))
        .addColumns(table.schema())
        .partitionedBy(table.partitionColumns().toArray(new String[0]))
        .comment(table.description());
    if (table.statisticsColumns().isPresent()) {
      // Only when the table is created: an existing table keeps its properties.
      builder = builder.property(INDEXED_COLUMNS, Integer.toString(table.statisticsColumns().getAsInt()));
    }
    // Delta hands a table's properties to the Parquet writer's configuration, so every writer of the
    // table through Spark, riskgrid or not, gets the encoding with the table.
    for (String path : table.plainEncodedColumns()) {
      builder = builder.property(DICTIONARY_OFF_PREFIX + path, "false");
    }
    builder.execute();
    return true;
  }

  private void addColumns(Table table, List<StructField> added) {
    List<String> columns = new ArrayList<>();
    for (StructField f : added) {
      columns.add(f.toDDL());
    }
    spark.sql("ALTER TABLE delta.`" + path(table).replace("`", "``") + "` ADD COLUMNS (" + String.join(", ", columns) + ")");
  }

  /**
   * What an old warehouse needs. Output tables are not migrated in place: a {@code margins} table from
   * before policy slices (DESIGN §7.4) would need every row's policy looked up in {@code runs}, and a
   * rerun gives the same rows with every column filled. Inputs are untouched, so a rerun is always possible.
   */
  private String upgradeAdvice(Table table) {
    if (table.name().equals("margins")) {
      return "It was written by a riskgrid before margins carried policy_name and policy_hash (one slice per date and "
          + "policy, DESIGN §7.4) or its later columns. Move " + path(table) + " aside (it stays a readable Delta table) "
          + "and rerun 'riskgrid margin --as-of DATE [--policy P]' for the dates you need; the input tables are unaffected.";
    }
    return "Migrate it, or point --warehouse at a new directory.";
  }

  static final String INDEXED_COLUMNS = "delta.dataSkippingNumIndexedCols";
  static final String DICTIONARY_OFF_PREFIX = "parquet.enable.dictionary#";

  /**
   * Replaces the rows of {@code table} whose slice column equals {@code date} with {@code rows}, atomically.
   * Every row must belong to that date; Delta refuses the write otherwise. Other dates are untouched.
   */
  public void replaceSlice(Dataset<Row> rows, Table table, LocalDate date) {
    replaceWhere(rows, table, Where.equal(dateSliceColumn(table), date));
  }

  /** Replaces the rows of {@code table} whose slice column is in [{@code from}, {@code to}], atomically. */
  public void replaceRange(Dataset<Row> rows, Table table, LocalDate from, LocalDate to) {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("empty date range for " + table.name() + ": " + from + " is after " + to);
    }
    String column = dateSliceColumn(table);
    replace(rows, table, column + " >= " + SqlLiterals.date(spark, from) + " AND " + column + " <= "
        + SqlLiterals.date(spark, to));
  }

  /**
   * Replaces the rows of {@code table} that {@code where} selects (for example
   * {@code Where.equal("set_name", "seed-default")}) with {@code rows}, atomically; every row must match it.
   */
  public void replaceWhere(Dataset<Row> rows, Table table, Where where) {
    List<String> terms = new ArrayList<>();
    where.terms().forEach((column, value) -> terms.add(column(table, column, value) + " = " + SqlLiterals.of(spark, value)));
    replace(rows, table, String.join(" AND ", terms));
  }

  /** Delta's replaceWhere, with a predicate built above from checked columns and quoted literals only. */
  private void replace(Dataset<Row> rows, Table table, String predicate) {
    writer(rows, table).mode(SaveMode.Overwrite).option("replaceWhere", predicate).save(path(table));
  }

  /** {@code column} if {@code table} has it with the type of {@code value}; otherwise the mistake, named. */
  private static String column(Table table, String column, Object value) {
    if (!Arrays.asList(table.schema().fieldNames()).contains(column)) {
      throw new IllegalArgumentException(table.name() + " has no column " + column + "; its columns are "
          + String.join(", ", table.schema().fieldNames()));
    }
    DataType type = table.schema().apply(column).dataType();
    DataType wanted = value instanceof LocalDate ? DataTypes.DateType : DataTypes.StringType;
    if (!type.equals(wanted)) {
      throw new IllegalArgumentException(table.name() + "." + column + " is " + type.simpleString()
          + ", not " + wanted.simpleString() + ": cannot select its rows by " + value);
    }
    return column;
  }

  /** Replaces the whole of an unsliced table such as {@code instruments}. */
  public void overwrite(Dataset<Row> rows, Table table) {
    if (table.sliceColumn().isPresent()) {
      throw new IllegalArgumentException(table.name() + " is replaced slice by slice on "
          + table.sliceColumn().get() + ": use replaceSlice or replaceWhere, which keep the other slices");
    }
    writer(rows, table).mode(SaveMode.Overwrite).save(path(table));
  }

  /** Adds {@code rows} to {@code table}, as for the {@code runs} log. */
  public void append(Dataset<Row> rows, Table table) {
    writer(rows, table).mode(SaveMode.Append).save(path(table));
  }

  /** The whole of {@code table}, at its latest version. */
  public Dataset<Row> read(Table table) {
    if (!exists(table)) {
      throw new IllegalStateException("table " + table.name() + " does not exist in " + location
          + ": nothing has written it yet (run the command that produces it, or check --warehouse)");
    }
    return readExisting(table);
  }

  /** The slice of {@code table} for {@code date}. */
  public Dataset<Row> read(Table table, LocalDate date) {
    return read(table).where(functions.col(dateSliceColumn(table)).equalTo(functions.lit(date)));
  }

  /** A table's latest version and the size of that snapshot: files and bytes (Delta's {@code DESCRIBE DETAIL}). */
  public record Detail(long version, long files, long bytes) {}

  /** {@link Detail} of {@code table} at its latest version; what a benchmark records to tell runs apart. */
  public Detail detail(Table table) {
    Row d = DeltaTable.forPath(spark, path(table)).detail().select("numFiles", "sizeInBytes").head();
    return new Detail(version(table), d.getLong(0), d.getLong(1));
  }

  /** The latest Delta version of {@code table}: 0 when created, one more per write. */
  public long version(Table table) {
    Row latest = DeltaTable.forPath(spark, path(table)).history(1).select("version").head();
    return latest.getLong(0);
  }

  /**
   * The latest versions of {@code tables} by name, as {@code runs.input_versions} records them. Read
   * concurrently: each is a small Delta log read, and nine of them one after another cost a margin run
   * about a second.
   */
  public Map<String, Long> versions(Collection<Table> tables) {
    List<Table> ordered = List.copyOf(tables);
    List<Long> latest = Concurrently.map("riskgrid-table-versions", ordered, this::version);
    Map<String, Long> versions = new LinkedHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      versions.put(ordered.get(i).name(), latest.get(i));
    }
    return versions;
  }

  /**
   * Registers every existing table of {@link Tables#ALL} as a temporary view named after it, for SQL;
   * returns the names registered. Missing tables are skipped.
   */
  public List<String> registerViews() {
    List<String> registered = new ArrayList<>();
    for (Table table : Tables.ALL) {
      if (exists(table)) {
        readExisting(table).createOrReplaceTempView(table.name());
        registered.add(table.name());
      }
    }
    return registered;
  }

  private Dataset<Row> readExisting(Table table) {
    Long version = pinnedVersions.get(table.name());
    return version == null ? spark.read().format("delta").load(path(table))
        : spark.read().format("delta").option("versionAsOf", version).load(path(table));
  }

  private DataFrameWriter<Row> writer(Dataset<Row> rows, Table table) {
    if (!pinnedVersions.isEmpty()) {
      throw new IllegalStateException("cannot write to " + table.name() + " through a view of the warehouse at earlier "
          + "versions " + pinnedVersions + "; write through the live warehouse");
    }
    List<String> differences = table.differencesFrom(rows.schema());
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("cannot write to " + table.name() + ": the rows do not have its schema: "
          + String.join("; ", differences) + ". Select and cast the columns to the table's schema, "
          + "io.riskgrid.schemas.Tables.byName(\"" + table.name() + "\").schema().");
    }
    ensureTable(table);
    String[] names = table.schema().fieldNames();
    Column[] inTableOrder = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      inTableOrder[i] = rows.col(names[i]);
    }
    return rows.select(inTableOrder).write().format("delta");
  }

  private static String dateSliceColumn(Table table) {
    if (!table.sliceType().map(DataTypes.DateType::equals).orElse(false)) {
      throw new IllegalArgumentException(table.name() + " has no date slice column: "
          + table.sliceColumn().map(c -> "it is sliced by " + c + ", use replaceWhere").orElse("write it whole"));
    }
    return table.sliceColumn().get();
  }
}
