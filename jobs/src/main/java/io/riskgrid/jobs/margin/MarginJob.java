package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.ImportedRejects;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.loop.KernelsUsed;
import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.jobs.spark.Concurrently;
import io.riskgrid.jobs.spark.InternalRows;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SharedRejects;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid margin}: the daily exchange-wide margin run (DESIGN §2). Stage 1 values every
 * instrument under every scenario on the driver and broadcasts the book (P&L matrix, Greeks, vol
 * surface, scenario grid, policy); stage 2 streams accounts through the aggregation kernel in batches
 * ({@link MarginLoop}), and {@link MarginOutputs} turns the results into rows. Writes the {@code margins}
 * slice (as_of_date, policy_name) (one row per input account, always; other policies' rows stay) with
 * its {@code liquidation_curve} slice, {@code rejects}, {@code exposures}, optionally {@code risk_arrays},
 * and a {@code runs} row.
 */
public final class MarginJob {
  private MarginJob() {}

  /** How positions are grouped by account: {@code AUTO} reads a clustered layout without a shuffle. */
  public enum Grouping {
    AUTO, SHUFFLE;

    /** From the command line's {@code auto} or {@code shuffle}, in any case. */
    public static Grouping parse(String text) {
      for (Grouping g : values()) {
        if (g.name().equalsIgnoreCase(text.trim())) {
          return g;
        }
      }
      throw new io.riskgrid.InvalidInputException("--grouping", "expected auto or shuffle, got '" + text + "'");
    }
  }

  /** Contributions kept per underlying in {@code margins} before the OTHER row (DESIGN §4). */
  public static final int TOP_CONTRIBUTIONS = 5;
  /** Keep every contribution ({@code margin --contributions all}). */
  public static final int ALL_CONTRIBUTIONS = Integer.MAX_VALUE;

  /** What the run did, for the command's summary and for tests. */
  public record Result(String runId, long accountsIn, long marginsOut, long rejects, String kernel, String kernelReason,
      String groupingPath, InstrumentBook book) {}

  /**
   * How a margin run runs and what it writes beside {@code margins}.
   *
   * @param writeRiskArrays whether {@code risk_arrays} is written (DESIGN §4: off by default, large)
   * @param grouping how positions are grouped by account
   * @param contributionsKept contributions kept per underlying before one OTHER row (DESIGN §4:
   *     {@link #TOP_CONTRIBUTIONS}); {@link #ALL_CONTRIBUTIONS} keeps every one
   * @param liquidation whether {@code liq_move_down/up} and {@code liquidation_curve} are computed (DESIGN
   *     §7.5); off only to measure what they cost ({@code riskgrid bench}): the columns are then null and
   *     the run's curve slice is emptied, so no curve of another run stands beside its margins
   * @param issuesPerPartition rejects a partition sends back before the job writes them from a second pass
   */
  public record Options(boolean writeRiskArrays, Grouping grouping, int contributionsKept, boolean liquidation,
      int issuesPerPartition) {
    /** The daily run: no risk arrays, clustered reading where possible, the top 5 contributions, liquidation on. */
    public static final Options DEFAULT = new Options(false, Grouping.AUTO, TOP_CONTRIBUTIONS, true,
        PartitionSideOutputs.ISSUES_PER_PARTITION);

    public Options {
      if (contributionsKept < 1) {
        throw new IllegalArgumentException("contributions kept per underlying must be at least 1, got " + contributionsKept);
      }
      if (issuesPerPartition < 0) {
        throw new IllegalArgumentException("issues per partition must be at least 0, got " + issuesPerPartition);
      }
    }

    public Options withRiskArrays(boolean write) {
      return new Options(write, grouping, contributionsKept, liquidation, issuesPerPartition);
    }

    public Options withGrouping(Grouping g) {
      return new Options(writeRiskArrays, g, contributionsKept, liquidation, issuesPerPartition);
    }

    public Options withContributionsKept(int kept) {
      return new Options(writeRiskArrays, grouping, kept, liquidation, issuesPerPartition);
    }

    public Options withLiquidation(boolean on) {
      return new Options(writeRiskArrays, grouping, contributionsKept, on, issuesPerPartition);
    }

    Options withIssuesPerPartition(int issues) {
      return new Options(writeRiskArrays, grouping, contributionsKept, liquidation, issues);
    }
  }

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, boolean writeRiskArrays) {
    return run(spark, warehouse, asOf, policy, kernel, Options.DEFAULT.withRiskArrays(writeRiskArrays));
  }

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, boolean writeRiskArrays, Grouping grouping) {
    return run(spark, warehouse, asOf, policy, kernel, Options.DEFAULT.withRiskArrays(writeRiskArrays).withGrouping(grouping));
  }

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, Options options) {
    boolean writeRiskArrays = options.writeRiskArrays();
    int contributionsKept = options.contributionsKept();
    RunRecord run = RunRecord.start("margin", asOf).policy(policy.name(), policy.hash())
        .kernel(kernel.kernel().name(), kernel.reason()).config(policy.hash() + "|riskArrays=" + writeRiskArrays
            + "|contributions=" + (contributionsKept == ALL_CONTRIBUTIONS ? "all" : contributionsKept)
            + (options.liquidation() ? "" : "|liquidation=off"));
    warehouse.requireInputs("margin");
    warehouse.ensureTables();
    run.inputVersions(warehouse.versions(InputTables.ALL));
    StageTimer stages = StageTimer.of(run);
    MarketTables.MarketOfDate market = stages.time("read_market", () -> MarketTables.read(warehouse, asOf));
    InstrumentBook book = stages.time("stage1_revaluation", () -> StageOne.book(market, policy, kernel.kernel()));
    run.count("instruments", market.instruments().instruments().size())
        .count("instruments_malformed", market.instruments().malformed().size());
    AccountInputs.Stream inputs = stages.time("plan_inputs", () -> accounts(warehouse, asOf, options.grouping()));
    run.groupingPath(inputs.describe());
    MarginLoop loop = MarginLoop.on(spark, kernel);
    MarginRows.RunPolicy slice = new MarginRows.RunPolicy(policy.name(), policy.hash());
    Pass pass = stages.time("stage2_margins", () -> marginAndWriteMargins(spark, warehouse, asOf, run.runId(), slice, loop,
        inputs, book, options));
    KernelsUsed used = loop.kernelsUsed();
    run.kernel(used.names(), used.reasons());
    // Independent tables, each a small Delta write (log, planning, one task, commit): written together,
    // one's driver waits overlap another's work. On two cores the gain is small, as they are mostly CPU:
    // 2.51 -> 2.26 s, medians of six warm runs at 1M (BENCHMARKS.md, stop 30).
    boolean[] secondPass = new boolean[1];
    List<Runnable> outputs = new ArrayList<>(List.of(
        () -> secondPass[0] = writeRejects(spark, warehouse, asOf, run.runId(), pass, book),
        () -> Exposures.write(warehouse, asOf, run.runId(), PartitionSideOutputs.exposures(pass.sides())),
        () -> LiquidationCurveRows.write(warehouse, asOf, run.runId(), policy.name(),
            options.liquidation() ? PartitionSideOutputs.liquidationCurve(pass.sides()) : null)));
    if (writeRiskArrays) {
      outputs.add(() -> writeRiskArrays(warehouse, asOf, pass));
    }
    stages.time("side_outputs", () -> Concurrently.run("riskgrid-margin-outputs", outputs));
    run.count("rejects_second_pass", secondPass[0] ? 1 : 0);
    pass.release();
    Counts counts = checkAndRecord(warehouse, asOf, policy.name(), run);
    stages.done(counts.accountsIn());
    return new Result(run.runId(), counts.accountsIn(), counts.marginsOut(), counts.rejects(), used.names(),
        used.reasons(), inputs.groupingPath(), book);
  }

  /** The accounts of the date: without a shuffle when the layout allows it (AUTO), else grouped with one. */
  private static AccountInputs.Stream accounts(Warehouse warehouse, LocalDate asOf, Grouping grouping) {
    AccountInputs.Stream inputs = grouping == Grouping.AUTO ? AccountInputs.stream(warehouse, asOf)
        : AccountInputs.shuffled(warehouse, asOf, "--grouping shuffle");
    // An account with a row that import book rejected is REJECTED with that reason, not margined on the rest.
    return ImportedRejects.mark(warehouse, inputs, ImportedRejects.reasons(warehouse, asOf));
  }

  /**
   * The result rows of the margin pass, the account rows among them, and every partition's side outputs
   * (exposure sums, rejects up to the cap). The rows are cached only when risk_arrays needs them twice.
   */
  private record Pass(Dataset<Row> results, Dataset<Row> accountRows, Map<Integer, PartitionSideOutputs.Partition> sides,
      boolean cached) {
    void release() {
      if (cached) {
        results.unpersist();
      }
    }
  }

  /**
   * Stage 2: the book broadcast, every account through the margin loop, and the {@code margins} slice
   * written; that one write is the pass, and the small outputs come back through the accumulator.
   */
  private static Pass marginAndWriteMargins(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId,
      MarginRows.RunPolicy policy, MarginLoop loop, AccountInputs.Stream inputs, InstrumentBook book, Options options) {
    boolean writeRiskArrays = options.writeRiskArrays();
    Broadcast<InstrumentBook> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(book);
    PartitionSideOutputs side = new PartitionSideOutputs();
    // Unnamed: a named accumulator is shown in the Spark UI, whose listener renders every value as text.
    spark.sparkContext().register(side);
    JavaRDD<InternalRow> rows = loop.margin(inputs.items(), new MarginOutputs(shared, side, options.issuesPerPartition(),
        asOf, runId, policy, writeRiskArrays, options.contributionsKept(), options.liquidation()));
    int partitions = rows.getNumPartitions();
    Dataset<Row> results = InternalRows.dataFrame(spark, rows, MarginRows.RESULT);
    // Only risk_arrays is big enough to need the result rows twice; then they are cached.
    if (writeRiskArrays) {
      results = results.persist(StorageLevel.MEMORY_AND_DISK());
    }
    Dataset<Row> accountRows = results.filter(col("row_kind").equalTo(MarginRows.ACCOUNT));
    // Only this policy's slice of the date: the other policies' rows stay (DESIGN §7.4).
    warehouse.replaceWhere(accountRows.selectExpr(OutputTables.MARGINS.schema().fieldNames()), OutputTables.MARGINS,
        Where.equal(Columns.AS_OF_DATE, asOf).and(OutputTables.POLICY_NAME, policy.name()));
    Map<Integer, PartitionSideOutputs.Partition> sides = side.value();
    if (sides.size() != partitions) {
      throw new IllegalStateException("the margin pass reported exposures and rejects for " + sides.size() + " of "
          + partitions + " partitions; refusing to write incomplete exposures and rejects (run " + runId + ")");
    }
    return new Pass(results, accountRows, sides, writeRiskArrays);
  }

  /**
   * The {@code rejects} slice, from the partitions' side outputs, or from a second pass over the result
   * rows when some partition had more than it could send back, plus one row per market problem
   * ({@link MarketRejects}); returns whether it took the second pass.
   */
  private static boolean writeRejects(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId, Pass pass,
      InstrumentBook book) {
    boolean secondPass = PartitionSideOutputs.overflowed(pass.sides());
    Dataset<Row> issues = (secondPass ? pass.results().select(explode(col("issues")).as("i")).select("i.*")
        : spark.createDataFrame(PartitionSideOutputs.issues(pass.sides()), MarginRows.ISSUE))
        .unionByName(spark.createDataFrame(MarketRejects.of(book.valued()).rows(), MarginRows.ISSUE));
    Dataset<Row> rejects = issues.select(lit(SparkValues.date(asOf)).as("as_of_date"), lit(runId).as("run_id"),
        col("source_table"), col("key"), col("reason"));
    // The date's rejects of the importers (source files) stay: this run replaces its own rows only.
    SharedRejects.replace(warehouse, asOf, rejects, not(SharedRejects.fromImports()));
    return secondPass;
  }

  /** The {@code risk_arrays} slice: one row per account and underlying, from the cached result rows. */
  private static void writeRiskArrays(Warehouse warehouse, LocalDate asOf, Pass pass) {
    Dataset<Row> arrays = pass.accountRows()
        .select(col("as_of_date"), col("run_id"), col("account_id"), explode(col("risk_arrays")).as("r"))
        .select(col("as_of_date"), col("run_id"), col("account_id"), col("r.underlying"), col("r.scenario_labels"),
            col("r.risk_array"));
    warehouse.replaceSlice(arrays, OutputTables.RISK_ARRAYS, asOf);
  }

  /** The output tables a margin run writes (risk_arrays when it exists: a run may have written it). */
  private static List<Table> outputs(Warehouse warehouse) {
    List<Table> tables = new java.util.ArrayList<>(List.of(OutputTables.MARGINS, OutputTables.REJECTS,
        OutputTables.EXPOSURES, OutputTables.LIQUIDATION_CURVE));
    if (warehouse.exists(OutputTables.RISK_ARRAYS)) {
      tables.add(OutputTables.RISK_ARRAYS);
    }
    return tables;
  }

  /** Rows in and out of the date as written. */
  private record Counts(long accountsIn, long marginsOut, long rejects) {}

  /**
   * Counts what was written, appends the runs row, and fails the run if accounts in differ from the
   * margins rows of its slice (date, policy).
   */
  private static Counts checkAndRecord(Warehouse warehouse, LocalDate asOf, String policyName, RunRecord run) {
    // Accounts in are distinct ids: a repeated account_id is one account, REJECTED naming its rows. The
    // row count comes from Delta's statistics; the distinct count, a scan, only when the two differ.
    // Three small Spark jobs, mostly driver time: counted together.
    Dataset<Row> accounts = warehouse.read(InputTables.ACCOUNTS, asOf);
    List<Long> counted = Concurrently.map("riskgrid-margin-counts", List.<Supplier<Long>>of(accounts::count,
        () -> MarginSlices.readWritten(warehouse, asOf, policyName).count(),
        () -> warehouse.read(OutputTables.REJECTS, asOf).filter(not(SharedRejects.fromImports())).count()), Supplier::get);
    long accountRows = counted.get(0);
    long marginsOut = counted.get(1);
    long accountsIn = accountRows == marginsOut ? accountRows : accounts.select("account_id").distinct().count();
    Counts c = new Counts(accountsIn, marginsOut, counted.get(2));
    if (accountRows != accountsIn) {
      run.count("account_rows_in", accountRows);
    }
    run.count("accounts_in", c.accountsIn()).count("margins_out", c.marginsOut()).count("rejects", c.rejects())
        .count("invariant_accounts_equal_margins", c.accountsIn() == c.marginsOut() ? 1 : 0)
        .outputVersions(warehouse.versions(outputs(warehouse)))
        .finishAndAppend(warehouse, warehouse.spark());
    if (c.accountsIn() != c.marginsOut()) {
      throw new IllegalStateException("invariant broken: " + c.accountsIn() + " accounts in but " + c.marginsOut()
          + " margins rows written for " + asOf + " and policy " + policyName + " (run " + run.runId() + ")");
    }
    return c;
  }
}
