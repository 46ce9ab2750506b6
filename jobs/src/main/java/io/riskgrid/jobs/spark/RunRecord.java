package io.riskgrid.jobs.spark;

import io.riskgrid.schemas.OutputTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One row of the {@code runs} table, filled in while a command runs and appended when it ends: what the
 * run read (Delta versions), how it ran (kernel, grouping path), what it wrote (counts) and how long each
 * stage took. Not thread-safe: one per run, on the driver.
 */
public final class RunRecord {

  private final String runId = UUID.randomUUID().toString();
  private final String command;
  private final LocalDate asOfDate;
  private final Instant startedAt = Instant.now();
  private final Map<String, Long> inputVersions = new LinkedHashMap<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Long> timingsMs = new LinkedHashMap<>();
  private Map<String, Long> outputVersions;
  private String configHash;
  private String policyName;
  private String policyHash;
  private String kernel;
  private String kernelReason;
  private String groupingPath;

  private RunRecord(String command, LocalDate asOfDate) {
    this.command = command;
    this.asOfDate = asOfDate;
  }

  /** A run of {@code command} for {@code asOfDate} (null for commands without one), starting now. */
  public static RunRecord start(String command, LocalDate asOfDate) {
    return new RunRecord(command, asOfDate);
  }

  /** The command this run is of, such as {@code margin}. */
  String command() {
    return command;
  }

  /** The business date, or null for a command without one. */
  LocalDate asOfDate() {
    return asOfDate;
  }

  /** The id every output row of this run carries in {@code run_id}. */
  public String runId() {
    return runId;
  }

  public RunRecord inputVersions(Map<String, Long> versions) {
    inputVersions.putAll(versions);
    return this;
  }

  /**
   * The Delta versions of the output tables as this run left them, by table name: with the row appended
   * last, what readers read the run's slices at ({@code CommittedRuns}).
   */
  public RunRecord outputVersions(Map<String, Long> versions) {
    outputVersions = new LinkedHashMap<>(versions);
    return this;
  }

  /** Rows in or out under a name such as {@code accounts_in}, {@code margins_out}. */
  public synchronized RunRecord count(String name, long rows) {
    counts.put(name, rows);
    return this;
  }

  /** Wall time of a stage, in milliseconds. */
  public synchronized RunRecord timing(String stage, long millis) {
    timingsMs.put(stage, millis);
    return this;
  }

  public RunRecord config(String hash) {
    this.configHash = hash;
    return this;
  }

  public RunRecord policy(String name, String hash) {
    this.policyName = name;
    this.policyHash = hash;
    return this;
  }

  /** The kernel that ran and why it was chosen (the fallback reason of {@code --kernel auto}). */
  public RunRecord kernel(String name, String reason) {
    this.kernel = name;
    this.kernelReason = reason;
    return this;
  }

  /** How positions were grouped by account: {@code clustered} (no shuffle) or {@code shuffle}. */
  public RunRecord groupingPath(String path) {
    this.groupingPath = path;
    return this;
  }

  /** Appends this run, finished now, to {@code runs}. */
  public synchronized void finishAndAppend(Warehouse warehouse, SparkSession spark) {
    Row row = RowFactory.create(runId, command, asOfDate == null ? null : java.sql.Date.valueOf(asOfDate),
        configHash, policyName, policyHash, inputVersions, kernel, kernelReason, groupingPath, counts,
        timingsMs, BuildInfo.codeVersion(), Timestamp.from(startedAt), Timestamp.from(Instant.now()), outputVersions);
    warehouse.append(spark.createDataFrame(List.of(row), OutputTables.RUNS.schema()), OutputTables.RUNS);
  }

}
