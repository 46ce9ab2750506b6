package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.Issue;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;

/**
 * {@code riskgrid margin}: the daily exchange-wide margin run (DESIGN §2). Stage 1 values every
 * instrument under every scenario on the driver and broadcasts the book (P&L matrix, Greeks, vol
 * surface, scenario grid, policy); stage 2 streams accounts through the aggregation kernel inside
 * {@code mapPartitions} in batches. Writes {@code margins} (one row per input account, always),
 * {@code rejects}, {@code exposures}, optionally {@code risk_arrays}, and a {@code runs} row.
 */
public final class MarginJob {
  /** Accounts per kernel call: big enough to amortise, small enough to stay in cache-sized buffers. */
  static final int BATCH = 512;

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
    CollectionAccumulator<String> kernelsUsed = spark.sparkContext().collectionAccumulator("riskgrid kernels");
    PartitionSideOutputs side = new PartitionSideOutputs();
    // Unnamed: a named accumulator is shown in the Spark UI, whose listener renders every value as text.
    spark.sparkContext().register(side);
    JavaRDD<Row> rows = inputs.items().mapPartitions(new MarginPartition(shared, kernel.requested(), kernelsUsed, side,
        issuesPerPartition, d, run.runId(), writeRiskArrays));
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
    KernelsUsed used = KernelsUsed.of(kernelsUsed.value(), kernel);
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

  /**
   * The kernels the tasks ran, as {@code runs} records them: their names joined ("simd", or
   * "cuda,simd" on a mixed cluster) and their reasons; the driver's choice when no task ran.
   */
  record KernelsUsed(String names, String reasons) {
    static KernelsUsed of(List<String> perTask, Kernels.Choice driver) {
      java.util.TreeSet<String> names = new java.util.TreeSet<>();
      java.util.TreeSet<String> reasons = new java.util.TreeSet<>();
      for (String entry : perTask) {
        String[] parts = entry.split("\t", 2);
        names.add(parts[0]);
        reasons.add(parts[0] + ": " + parts[1]);
      }
      if (names.isEmpty()) {
        return new KernelsUsed(driver.kernel().name(), driver.reason());
      }
      return new KernelsUsed(String.join(",", names), String.join("; ", reasons));
    }
  }

  /**
   * Stage 2 for one partition: accounts in batches through the engine, one result row per account, a
   * row per orphan input row, and at the end one row with the partition's exposure sums.
   */
  static final class MarginPartition implements FlatMapFunction<Iterator<AccountInputs.Item>, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<InstrumentBook> book;
    private final String kernel;
    private final CollectionAccumulator<String> kernelsUsed;
    private final PartitionSideOutputs side;
    private final int issuesPerPartition;
    private final Date asOf;
    private final String runId;
    private final boolean riskArrays;

    MarginPartition(Broadcast<InstrumentBook> book, String kernel, CollectionAccumulator<String> kernelsUsed,
        PartitionSideOutputs side, int issuesPerPartition, Date asOf, String runId, boolean riskArrays) {
      this.book = book;
      this.kernel = kernel;
      this.kernelsUsed = kernelsUsed;
      this.side = side;
      this.issuesPerPartition = issuesPerPartition;
      this.asOf = asOf;
      this.runId = runId;
      this.riskArrays = riskArrays;
    }

    @Override
    public Iterator<Row> call(Iterator<AccountInputs.Item> items) {
      Kernels.Choice chosen = ExecutorKernel.forThisTask(kernel);
      kernelsUsed.add(chosen.kernel().name() + "\t" + chosen.reason());
      MarginCalculator calc = new MarginCalculator(book.value(), chosen.kernel());
      ExposureSums exposures = new ExposureSums(book.value());
      int partition = org.apache.spark.TaskContext.getPartitionId();
      return new Iterator<>() {
        private final List<Account> batch = new ArrayList<>(BATCH);
        private final List<Row> done = new ArrayList<>(BATCH);
        private final List<Row> issues = new ArrayList<>();
        private boolean issuesOverflowed;
        private int next;
        private boolean reported;

        private void keep(Issue issue) {
          if (issues.size() < issuesPerPartition) {
            issues.add(RowFactory.create(issue.sourceTable(), issue.key(), issue.reason()));
          } else {
            issuesOverflowed = true;
          }
        }

        @Override
        public boolean hasNext() {
          if (next < done.size()) {
            return true;
          }
          done.clear();
          next = 0;
          batch.clear();
          while (batch.size() < BATCH && items.hasNext()) {
            AccountInputs.Item item = items.next();
            if (item.account() != null) {
              batch.add(item.account());
            } else {
              keep(item.orphan());
              done.add(MarginRows.orphan(item.orphan(), asOf, runId));
            }
          }
          if (!batch.isEmpty()) {
            List<AccountMargin> margins = calc.marginAll(batch);
            for (int k = 0; k < batch.size(); k++) {
              exposures.add(batch.get(k), margins.get(k), calc.instrumentRows(k));
              margins.get(k).issues().forEach(this::keep);
              done.add(MarginRows.of(margins.get(k), asOf, runId, riskArrays));
            }
          }
          if (done.isEmpty() && !reported) {
            // The partition is done: its small outputs go to the driver once, keyed by partition.
            reported = true;
            side.add(new PartitionSideOutputs.Partition(partition, exposures.rows(),
                issuesOverflowed ? List.of() : List.copyOf(issues), issuesOverflowed));
          }
          return !done.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return done.get(next++);
        }
      };
    }
  }
}
