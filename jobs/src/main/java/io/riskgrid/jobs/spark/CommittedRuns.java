package io.riskgrid.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which results of a date a reader sees (README, "Consistent tables"): a run's {@code runs} row is
 * appended after every table it writes, with the Delta version each output table had then
 * ({@code runs.output_versions}). The row is the commit marker: a run that died before it left slices no
 * reader sees, and readers read {@code margins}, {@code rejects}, {@code exposures} and
 * {@code liquidation_curve} of a date at the versions of the latest committed run, so that the tables
 * agree with each other even when a later run died half way. Runs recorded before the column existed,
 * and tables written without a runs row (by hand), are read at their latest version.
 */
public final class CommittedRuns {
  private CommittedRuns() {}

  /**
   * The latest committed {@code command} run's row for {@code date} (and {@code policyName}, when not
   * null), by {@code finished_at}; null when the warehouse has none.
   */
  public static Row latest(Warehouse warehouse, String command, LocalDate date, String policyName) {
    if (!warehouse.exists(OutputTables.RUNS)) {
      return null;
    }
    Column which = col("command").equalTo(lit(command)).and(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(date))));
    if (policyName != null) {
      which = which.and(col("policy_name").equalTo(lit(policyName)));
    }
    List<Row> rows = warehouse.read(OutputTables.RUNS).filter(which).orderBy(col("finished_at").desc()).limit(1)
        .collectAsList();
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** {@code warehouse} as {@code run} left its outputs: a read-only view, or {@code warehouse} itself for an older run. */
  public static Warehouse asLeftBy(Warehouse warehouse, Row run) {
    Map<String, Long> versions = outputVersions(run);
    return versions.isEmpty() ? warehouse : warehouse.atVersions(versions);
  }

  /** The run's {@code output_versions}; empty for a null run or one recorded before the column existed. */
  public static Map<String, Long> outputVersions(Row run) {
    if (run == null || !Arrays.asList(run.schema().fieldNames()).contains("output_versions")
        || run.isNullAt(run.fieldIndex("output_versions"))) {
      return Map.of();
    }
    return run.getJavaMap(run.fieldIndex("output_versions"));
  }

  /**
   * For a row written by run {@code runId} of policy {@code policyName}: the latest committed run of that
   * policy among {@code runsOfDate} (the date's margin runs rows) that recorded its output versions, when
   * {@code runId} itself has no runs row (it did not finish); null when the row's run committed or no
   * such run exists (the row stands).
   */
  public static Row insteadOfUnfinished(String runId, String policyName, List<Row> runsOfDate) {
    boolean rowsRunCommitted = runsOfDate.stream().anyMatch(r -> runId.equals(SparkValues.text(r, "run_id")));
    if (rowsRunCommitted || policyName == null) {
      return null;
    }
    return runsOfDate.stream().filter(r -> policyName.equals(SparkValues.text(r, "policy_name")))
        .filter(r -> !outputVersions(r).isEmpty())
        .max(Comparator.comparing(r -> r.<java.sql.Timestamp>getAs("finished_at"))).orElse(null);
  }

  /** The date's margin slice of {@code policyName} as its latest committed margin run left it. */
  public static Dataset<Row> marginsSlice(Warehouse warehouse, LocalDate date, String policyName) {
    Warehouse view = asLeftBy(warehouse, latest(warehouse, "margin", date, policyName));
    return view.read(OutputTables.MARGINS, date).where(col(OutputTables.POLICY_NAME).equalTo(lit(policyName)));
  }
}
