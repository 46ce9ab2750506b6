package io.riskgrid.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code riskgrid selfcheck} (hidden): proves that a Spark deployment can run riskgrid's jobs. It builds
 * rows with a DATE column in {@code mapPartitions} on the executors (the case that fails without the JVM
 * options of DESIGN §2), replaces a slice of a scratch Delta table in the warehouse with them, reads it
 * back, checks every row, and logs itself in {@code runs}. Exit code 0 when every check holds.
 */
@Command(name = "selfcheck", hidden = true, mixinStandardHelpOptions = true,
    description = "Write a small Delta table through the executors, read it back and check it.")
public final class SelfcheckCommand implements Callable<Integer> {

  /** The scratch table, {@code <warehouse>/selfcheck}: not one of the riskgrid tables. */
  static final Table SELFCHECK = Table.sliced("selfcheck", "rows written by riskgrid selfcheck",
      "as_of_date", true,
      new StructField("as_of_date", DataTypes.DateType, false, Metadata.empty()),
      new StructField("run_id", DataTypes.StringType, false, Metadata.empty()),
      DataTypes.createStructField("partition_id", DataTypes.IntegerType, true),
      DataTypes.createStructField("row_id", DataTypes.LongType, true),
      DataTypes.createStructField("value", DataTypes.DoubleType, true),
      DataTypes.createStructField("executor_id", DataTypes.StringType, true));

  @Mixin
  SparkOptions spark;

  @Option(names = "--rows", defaultValue = "100000", description = "Rows to write (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--partitions", defaultValue = "4",
      description = "Partitions, hence tasks, to write them from (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--as-of", defaultValue = "2026-01-05", paramLabel = "DATE",
      description = "The slice to write (default: ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (rows < 0 || partitions < 1) {
      spec.commandLine().getErr().println("selfcheck: --rows must be >= 0 and --partitions >= 1, got "
          + rows + " and " + partitions);
      return 2;
    }
    RunRecord run = RunRecord.start("selfcheck", asOf);
    SparkSession session = spark.session("riskgrid selfcheck");
    Warehouse warehouse = spark.warehouse(session);

    long started = System.nanoTime();
    Dataset<Row> written = executorRows(session, rows, partitions, asOf).withColumn("run_id", lit(run.runId()));
    warehouse.replaceSlice(written, SELFCHECK, asOf);
    run.timing("write", millisSince(started));

    started = System.nanoTime();
    Row totals = warehouse.read(SELFCHECK, asOf)
        .agg(count(lit(1)), sum(col("value")), countDistinct(col("partition_id")), collect_set(col("executor_id")),
            countDistinct(col("run_id")))
        .head();
    run.timing("read", millisSince(started));

    List<String> failures = check(totals, session.sparkContext().master());
    long version = warehouse.version(SELFCHECK);
    run.inputVersions(Map.of(SELFCHECK.name(), version)).count("rows_out", totals.getLong(0));
    run.finishAndAppend(warehouse, session);

    if (!failures.isEmpty()) {
      spec.commandLine().getErr().println("selfcheck FAILED: " + String.join("; ", failures));
      return 1;
    }
    spec.commandLine().getOut().printf("selfcheck OK: %d rows in %d partitions written by executors %s "
            + "to %s (Delta version %d) on %s; run %s logged in runs%n",
        totals.getLong(0), totals.getLong(2), totals.getList(3), warehouse.path(SELFCHECK), version,
        session.sparkContext().master(), run.runId());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private List<String> check(Row totals, String master) {
    List<String> failures = new ArrayList<>();
    if (totals.getLong(0) != rows) {
      failures.add("read back " + totals.getLong(0) + " rows, wrote " + rows);
    }
    if (!totals.isNullAt(1) && totals.getDouble(1) != expectedSum(rows)) {
      failures.add("sum of value is " + totals.getDouble(1) + ", expected " + expectedSum(rows));
    }
    if (totals.getLong(2) != Math.min(partitions, rows)) {
      failures.add("rows came from " + totals.getLong(2) + " partitions, expected " + Math.min(partitions, rows));
    }
    if (totals.getLong(4) != (rows == 0 ? 0 : 1)) {
      failures.add("the slice holds rows of " + totals.getLong(4) + " runs: the rerun did not replace it");
    }
    if (!master.startsWith("local") && totals.getList(3).contains("driver")) {
      failures.add("rows were built on the driver, not on executors, under master " + master);
    }
    return failures;
  }

  /** Σ row_id / 2 over row_id in [0, rows); exact in double, summed in any order, below 90 million rows. */
  static double expectedSum(long rows) {
    return rows * (double) (rows - 1) / 4.0;
  }

  /**
   * {@code rows} rows over {@code partitions} partitions, built in {@code mapPartitions} on the executors,
   * each carrying the DATE column through the row encoder, its partition and its executor's id.
   */
  static Dataset<Row> executorRows(SparkSession session, long rows, int partitions, LocalDate asOf) {
    StructType built = new StructType()
        .add("as_of_date", DataTypes.DateType)
        .add("partition_id", DataTypes.IntegerType)
        .add("row_id", DataTypes.LongType)
        .add("value", DataTypes.DoubleType)
        .add("executor_id", DataTypes.StringType);
    Dataset<Row> ids = session.range(0, rows, 1, partitions).withColumn("as_of_date", lit(asOf));
    MapPartitionsFunction<Row, Row> build = SelfcheckCommand::buildPartition;
    return ids.mapPartitions(build, Encoders.row(built));
  }

  /** Streams: one output row per input row, nothing buffered, as riskgrid's real jobs must. */
  private static Iterator<Row> buildPartition(Iterator<Row> ids) {
    int partition = TaskContext.getPartitionId();
    String executor = SparkEnv.get().executorId();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        Row id = ids.next();
        long rowId = id.getLong(0);
        return RowFactory.create(id.get(1), partition, rowId, rowId / 2.0, executor);
      }
    };
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }
}
