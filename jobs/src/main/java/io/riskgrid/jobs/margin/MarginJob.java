package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.loop.KernelsUsed;
import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid margin}: the daily exchange-wide margin run (DESIGN §2). Stage 1 values every
 * instrument under every scenario on the driver and broadcasts the book (P&L matrix, Greeks, vol
 * surface, scenario grid, policy); stage 2 streams accounts through the aggregation kernel inside
 * {@code mapPartitions} in batches. Writes {@code margins} (one row per input account, always),
 * {@code rejects}, {@code exposures}, optionally {@code risk_arrays}, and a {@code runs} row.
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

  /** What the run did, for the command's summary and for tests. */
  public record Result(String runId, long accountsIn, long marginsOut, long rejects, String kernel, String kernelReason,
      String groupingPath, InstrumentBook book) {}

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, boolean writeRiskArrays) {
    return run(spark, warehouse, asOf, policy, kernel, writeRiskArrays, Grouping.AUTO);
  }

  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, boolean writeRiskArrays, Grouping grouping) {
    return run(spark, warehouse, asOf, policy, kernel, writeRiskArrays, grouping, PartitionSideOutputs.ISSUES_PER_PARTITION);
  }

  /** {@code issuesPerPartition}: rejects a partition sends back before the job writes them from a second pass. */
  static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel, boolean writeRiskArrays, Grouping grouping, int issuesPerPartition) {
    RunRecord run = RunRecord.start("margin", asOf).policy(policy.name(), policy.hash())
        .kernel(kernel.kernel().name(), kernel.reason()).config(policy.hash() + "|riskArrays=" + writeRiskArrays);
    warehouse.ensureTables();
    run.inputVersions(warehouse.versions(InputTables.ALL));
    long t0 = System.currentTimeMillis();
    MarketTables.MarketOfDate market = MarketTables.read(warehouse, asOf);
    long tRead = System.currentTimeMillis();
    InstrumentBook book = StageOne.book(market, policy, kernel.kernel());
    long t1 = System.currentTimeMillis();
    run.timing("read_market", tRead - t0).timing("stage1_revaluation", t1 - tRead)
        .count("instruments", market.instruments().instruments().size())
        .count("instruments_malformed", market.instruments().malformed().size());
    Broadcast<InstrumentBook> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(book);

    AccountInputs.Stream inputs = grouping == Grouping.AUTO ? AccountInputs.stream(warehouse, asOf)
        : AccountInputs.shuffled(warehouse, asOf, "--grouping shuffle");
    String path = inputs.groupingPath() + (inputs.shuffleReason() == null ? "" : ": " + inputs.shuffleReason());
    run.groupingPath(path);
    long tPlan = System.currentTimeMillis();
    Date d = SparkValues.date(asOf);
    MarginLoop loop = MarginLoop.on(spark, kernel);
    PartitionSideOutputs side = new PartitionSideOutputs();
    // Unnamed: a named accumulator is shown in the Spark UI, whose listener renders every value as text.
    spark.sparkContext().register(side);
    JavaRDD<Row> rows = loop.margin(inputs.items(), new MarginOutputs(shared, side, issuesPerPartition, d, run.runId(),
        writeRiskArrays));
    int partitions = rows.getNumPartitions();
    Dataset<Row> results = spark.createDataFrame(rows, MarginRows.RESULT);
    // Only risk_arrays is big enough to need the result rows twice; then they are cached, otherwise the
    // margins write is the one pass and the small outputs come back through the accumulator.
    if (writeRiskArrays) {
      results = results.persist(StorageLevel.MEMORY_AND_DISK());
    }
    Dataset<Row> accountRows = results.filter(col("row_kind").equalTo(MarginRows.ACCOUNT));
    Dataset<Row> margins = accountRows.selectExpr(OutputTables.MARGINS.schema().fieldNames());
    warehouse.replaceSlice(margins, OutputTables.MARGINS, asOf);
    long t2 = System.currentTimeMillis();
    KernelsUsed used = loop.kernelsUsed();
    run.kernel(used.names(), used.reasons());
    Map<Integer, PartitionSideOutputs.Partition> sides = side.value();
    if (sides.size() != partitions) {
      throw new IllegalStateException("the margin pass reported exposures and rejects for " + sides.size() + " of "
          + partitions + " partitions; refusing to write incomplete exposures and rejects (run " + run.runId() + ")");
    }
    boolean secondPass = PartitionSideOutputs.overflowed(sides);
    Dataset<Row> issues = secondPass ? results.select(explode(col("issues")).as("i")).select("i.*")
        : spark.createDataFrame(PartitionSideOutputs.issues(sides), MarginRows.ISSUE);
    Dataset<Row> rejects = issues.select(lit(d).as("as_of_date"), lit(run.runId()).as("run_id"), col("source_table"),
        col("key"), col("reason"));
    warehouse.replaceSlice(rejects, OutputTables.REJECTS, asOf);
    run.count("rejects_second_pass", secondPass ? 1 : 0);
    if (writeRiskArrays) {
      Dataset<Row> arrays = accountRows.select(col("as_of_date"), col("run_id"), col("account_id"), explode(col("risk_arrays")).as("r"))
          .select(col("as_of_date"), col("run_id"), col("account_id"), col("r.underlying"), col("r.scenario_labels"),
              col("r.risk_array"));
      warehouse.replaceSlice(arrays, OutputTables.RISK_ARRAYS, asOf);
    }
    long t3 = System.currentTimeMillis();
    Exposures.write(warehouse, asOf, run.runId(), PartitionSideOutputs.exposures(sides));
    long t4 = System.currentTimeMillis();
    long accountsIn = warehouse.read(InputTables.ACCOUNTS, asOf).count();
    long marginsOut = warehouse.read(OutputTables.MARGINS, asOf).count();
    long rejectRows = warehouse.read(OutputTables.REJECTS, asOf).count();
    if (writeRiskArrays) {
      results.unpersist();
    }
    run.timing("plan_inputs", tPlan - t1).timing("stage2_margins", t2 - tPlan).timing("rejects_risk_arrays", t3 - t2)
        .timing("exposures", t4 - t3)
        .count("accounts_in", accountsIn).count("margins_out", marginsOut).count("rejects", rejectRows)
        .count("invariant_accounts_equal_margins", accountsIn == marginsOut ? 1 : 0);
    run.finishAndAppend(warehouse, spark);
    if (accountsIn != marginsOut) {
      throw new IllegalStateException("invariant broken: " + accountsIn + " accounts in but " + marginsOut
          + " margins rows written for " + asOf + " (run " + run.runId() + ")");
    }
    return new Result(run.runId(), accountsIn, marginsOut, rejectRows, used.names(), used.reasons(),
        inputs.groupingPath(), book);
  }
}
