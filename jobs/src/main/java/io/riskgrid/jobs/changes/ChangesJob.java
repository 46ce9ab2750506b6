package io.riskgrid.jobs.changes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.ImportedRejects;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code riskgrid changes}: the day-on-day change of every account's MM (DESIGN §7.3), from the margins
 * slices of D (policy π₁) and of D₀, the latest earlier date with margins of the previous policy π₀.
 * Both dates' inputs are read at the Delta versions their margin runs recorded in {@code runs}
 * (time travel), so a reload of either date since does not leak into the split. The two intermediate
 * margins, MM(P₁, M₀, π₀) and MM(P₁, M₁, π₀) (the second only when π₀ ≠ π₁), come from the stage-2 loop
 * over D's accounts on books valued against D₀'s market (with D's instrument list, so that instruments
 * listed since D₀ are valued on D₀'s surface) and under π₀; {@link ChangeAttribution} makes the split.
 */
public final class ChangesJob {
  private ChangesJob() {}

  /** MM of every account of D on one book: account_id, currency, mm (null when invalid), status, reason. */
  static final StructType MARGINED = new StructType()
      .add("account_id", DataTypes.StringType)
      .add("margin_currency", DataTypes.StringType)
      .add("mm", DataTypes.DoubleType)
      .add("status", DataTypes.StringType)
      .add("reason", DataTypes.StringType);

  /** What the run did, for the printed summary and tests. */
  public record Result(String runId, LocalDate asOf, LocalDate previous, String policyName, boolean samePolicy,
      Dataset<Row> changes) {}

  /**
   * @param policy π₁: the policy of D's margins slice (its hash must be that run's)
   * @param previousPolicy π₀, the policy of D₀'s slice; null when it is {@code policy} itself
   */
  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      MarginPolicy previousPolicy, Kernels.Choice kernel) {
    MarginPolicy before = previousPolicy == null ? policy : previousPolicy;
    RunRecord run = RunRecord.start("changes", asOf).policy(policy.name(), policy.hash())
        .kernel(kernel.kernel().name(), kernel.reason()).config(policy.hash() + "|previous=" + before.hash());
    if (!warehouse.exists(OutputTables.MARGINS)) {
      throw new InvalidInputException("--warehouse", "no margins in " + warehouse.location() + ": run 'riskgrid margin' "
          + "for both dates first");
    }
    warehouse.ensureTable(OutputTables.MARGIN_CHANGES);
    StageTimer stages = StageTimer.of(run);
    MarginRun today = MarginRun.of(warehouse, asOf, policy, "--policy");
    LocalDate previous = previousDate(warehouse, asOf, before.name());
    MarginRun earlier = MarginRun.of(warehouse, previous, before, previousPolicy == null ? "--policy" : "--previous-policy");
    Map<String, Long> versions = new LinkedHashMap<>(today.inputVersions());
    earlier.inputVersions().forEach((table, version) -> versions.put("previous:" + table, version));
    run.inputVersions(versions).count("previous_as_of_epoch_day", previous.toEpochDay());
    Warehouse todayInputs = warehouse.atVersions(today.inputVersions());
    Warehouse earlierInputs = warehouse.atVersions(earlier.inputVersions());
    boolean samePolicy = before.hash().equals(policy.hash());

    MarketTables.MarketOfDate marketToday = stages.time("read_markets", () -> MarketTables.read(todayInputs, asOf));
    MarketTables.MarketOfDate earlierMarket = new MarketTables.MarketOfDate(marketToday.instruments(),
        MarketTables.readSnapshot(earlierInputs, previous));
    InstrumentBook onEarlierMarket = stages.time("stage1_previous_market",
        () -> StageOne.book(earlierMarket, before, kernel.kernel()));
    InstrumentBook underEarlierPolicy = samePolicy ? null
        : stages.time("stage1_previous_policy", () -> StageOne.book(marketToday, before, kernel.kernel()));

    AccountInputs.Stream inputs = ImportedRejects.mark(todayInputs,
        AccountInputs.shuffled(todayInputs, asOf, "day-on-day change: D's inputs at the versions its margin run read"),
        ImportedRejects.reasons(todayInputs, asOf));
    JavaRDD<AccountInputs.Item> items = inputs.items().persist(StorageLevel.MEMORY_AND_DISK());
    MarginLoop loop = MarginLoop.on(spark, kernel);
    Dataset<Row> a = stages.time("stage2_previous_market", () -> margined(spark, loop, items, onEarlierMarket));
    Dataset<Row> b = underEarlierPolicy == null ? null
        : stages.time("stage2_previous_policy", () -> margined(spark, loop, items, underEarlierPolicy));

    Dataset<Row> changes = Attribution.rows(spark, asOf, run.runId(), policy.name(), previous,
        MarginSlices.read(warehouse, previous, before.name()), MarginSlices.read(warehouse, asOf, policy.name()), a, b,
        samePolicy);
    stages.time("write", () -> warehouse.replaceWhere(changes, OutputTables.MARGIN_CHANGES,
        Where.equal(Columns.AS_OF_DATE, asOf).and(OutputTables.POLICY_NAME, policy.name())));
    items.unpersist();
    Dataset<Row> written = warehouse.read(OutputTables.MARGIN_CHANGES, asOf)
        .where(col(OutputTables.POLICY_NAME).equalTo(lit(policy.name())));
    long rows = written.count();
    run.count("accounts", rows).count("same_policy", samePolicy ? 1 : 0)
        .count("notes", written.where(col("note").isNotNull()).count())
        .kernel(loop.kernelsUsed().names(), loop.kernelsUsed().reasons())
        .groupingPath(inputs.describe()).finishAndAppend(warehouse, spark);
    stages.done(rows);
    return new Result(run.runId(), asOf, previous, policy.name(), samePolicy, written);
  }

  /** The latest date before {@code asOf} with a margins slice of {@code policyName}. */
  static LocalDate previousDate(Warehouse warehouse, LocalDate asOf, String policyName) {
    Row latest = warehouse.read(OutputTables.MARGINS)
        .where(col(OutputTables.POLICY_NAME).equalTo(lit(policyName)).and(col(Columns.AS_OF_DATE).lt(lit(asOf))))
        .agg(max(Columns.AS_OF_DATE)).first();
    if (latest.isNullAt(0)) {
      throw new InvalidInputException("--as-of", "no margins of policy '" + policyName + "' before " + asOf
          + ": run 'riskgrid margin --as-of <an earlier date> --policy " + policyName + "' first");
    }
    return latest.getDate(0).toLocalDate();
  }

  /** The MM of every account of {@code items} on {@code book}. */
  private static Dataset<Row> margined(SparkSession spark, MarginLoop loop, JavaRDD<AccountInputs.Item> items,
      InstrumentBook book) {
    Broadcast<InstrumentBook> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(book);
    JavaRDD<Row> rows = loop.margin(items, new MmOnly(shared));
    return spark.createDataFrame(rows, MARGINED);
  }

  /** The stage-2 side that keeps only each account's MM and status. */
  private record MmOnly(Broadcast<InstrumentBook> shared) implements MarginLoop.Sinks<Row> {
    @Override
    public InstrumentBook book() {
      return shared.value();
    }

    /** MM and status only: no risk array is read. */
    @Override
    public boolean riskArrays() {
      return false;
    }

    @Override
    public MarginLoop.Sink<Row> open(int partition) {
      return (Account account, AccountMargin m, MarginCalculator batch, int k, Consumer<Row> out) ->
          out.accept(RowFactory.create(m.accountId(), m.marginCurrency(), m.isValid() ? m.mm() : null, m.status().name(),
              m.reason()));
    }
  }

  /** The margins run of a (date, policy) slice: its id and the input versions it read. */
  record MarginRun(String runId, Map<String, Long> inputVersions) {
    static MarginRun of(Warehouse warehouse, LocalDate date, MarginPolicy policy, String option) {
      List<Row> ids = MarginSlices.read(warehouse, date, policy.name()).select("run_id", "policy_hash").distinct()
          .collectAsList();
      if (ids.isEmpty()) {
        throw new InvalidInputException("--as-of", "no margins of policy '" + policy.name() + "' for " + date
            + ": run 'riskgrid margin --as-of " + date + " --policy " + policy.name() + "' first");
      }
      if (ids.size() > 1) {
        throw new IllegalStateException("the margins slice (" + date + ", " + policy.name() + ") has rows of " + ids.size()
            + " runs; a margin run replaces its slice whole, so the table was written by something else");
      }
      String runId = ids.get(0).getString(0);
      String hash = ids.get(0).getString(1);
      if (!policy.hash().equals(hash)) {
        throw new InvalidInputException(option, "the margins of " + date + " (run " + runId + ") were computed with "
            + "policy '" + policy.name() + "' of hash " + hash + ", not the hash " + policy.hash() + " of the policy given: "
            + ("--previous-policy".equals(option) ? "give the policy file that run used"
                : "give the policy that run used with --previous-policy when comparing days, or rerun 'riskgrid margin "
                    + "--as-of " + date + "'"));
      }
      List<Row> runs = warehouse.read(OutputTables.RUNS).where(col("run_id").equalTo(lit(runId)))
          .select("input_versions").collectAsList();
      if (runs.size() != 1 || runs.get(0).isNullAt(0)) {
        throw new IllegalStateException("runs has no input versions for margin run " + runId + " of " + date
            + "; its inputs cannot be read as that run read them");
      }
      Map<String, Long> recorded = new LinkedHashMap<>(runs.get(0).getJavaMap(0));
      recorded.keySet().retainAll(InputTables.ALL.stream().map(io.riskgrid.schemas.Table::name).toList());
      return new MarginRun(runId, recorded);
    }
  }

  static java.sql.Date date(LocalDate d) {
    return SparkValues.date(d);
  }
}
