package io.riskgrid.jobs.stress;

import static org.apache.spark.sql.functions.col;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.input.AccountBytes;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.loop.KernelsUsed;
import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.WritesBehind;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.Account;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.stress.HistoricalStress;
import io.riskgrid.stress.JointScenario;
import io.riskgrid.stress.ReverseStress;
import io.riskgrid.stress.StressEvaluator;
import io.riskgrid.stress.StressSet;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * {@code riskgrid stress}: exchange-wide stress losses per joint scenario (DESIGN §3.5): total P&L,
 * shortfall beyond equity, accounts in deficit, Cover-1/Cover-2 by member, netted shortfall and top
 * contributors. Per-account P&L comes from the margin engine on a book built for the set's moves;
 * totals combine with treeAggregate and member sums with a keyed reduce.
 */
public final class StressJob {
  /** The shipped sets: the policy grid moved jointly, and the three historical crash windows. */
  public static final String HISTORICAL = "historical";
  /** The stablecoin de-peg set: USDT −10%, USDC −13%. */
  public static final String DEPEG = "depeg";

  /** {@code hist-<h>d}: the rolling historical-simulation set of h-day windows (DESIGN §7.6), h from 1 to 99. */
  static final Pattern ROLLING = Pattern.compile("hist-([1-9][0-9]?)d");

  private StressJob() {}

  /** One scenario's headline, for summaries. */
  public record ScenarioResult(String set, String label, double totalPnlUsd, double shortfallUsd, long accountsInDeficit,
      double cover1Usd, double cover2Usd, List<String> coverMembers) {}

  public static StressSet resolveSet(String name, MarginPolicy policy, MarketSnapshot market) {
    List<String> underlyings = new ArrayList<>(market.underlyings().keySet());
    if (HISTORICAL.equals(name)) {
      return HistoricalStress.shipped(underlyings, policy.stress().defaultVolShock());
    }
    if (DEPEG.equals(name)) {
      return HistoricalStress.depeg();
    }
    Matcher rolling = ROLLING.matcher(name);
    if (rolling.matches()) {
      return HistoricalStress.shippedRolling(underlyings, Integer.parseInt(rolling.group(1)), policy.stress().defaultVolShock());
    }
    if (PolicyLoader.PRESETS.contains(name) || name.equals(policy.name())) {
      MarginPolicy grid = name.equals(policy.name()) ? policy : PolicyLoader.preset(name);
      return StressSet.fromPolicyGrid(grid, underlyings);
    }
    throw new InvalidInputException("--set", "unknown stress set '" + name + "'; use " + HISTORICAL + ", " + DEPEG
        + ", hist-<h>d (every overlapping h-day window since " + HistoricalStress.ROLLING_FROM + ")"
        + ", the policy's name, or a preset " + PolicyLoader.PRESETS);
  }

  /** A set's results, and its reverse stress (empty for sets that are not historical). */
  public record Outcome(List<ScenarioResult> scenarios, List<ReverseStress.Result> reverse, double resourcesUsd) {}

  public static List<ScenarioResult> run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      String setName, Kernels.Choice kernel) {
    return runSet(spark, warehouse, asOf, policy, setName, kernel).scenarios();
  }

  /**
   * Stresses every account of {@code asOf} under the set, writes {@code stress_results}; for a historical
   * set ({@link #HISTORICAL} or {@code hist-<h>d}) also reverse stress (DESIGN §7.6): its 50 scenarios of
   * largest shortfall scaled on the λ grid, written to {@code reverse_stress}: λ ≤ 2 in one more pass, and
   * λ above 2 in another for the scenarios that the first leaves standing ({@link ReverseStress.Search}).
   * λ = 1 is the window itself, so its shortfall comes from this run's {@code stress_results} figures, and
   * a window already above the resources there needs only λ &lt; 1.
   * The set's {@code scenario_sets} rows and the {@code stress_results} are written behind the passes
   * that follow them ({@link WritesBehind}); the run returns once every write has committed.
   */
  public static Outcome runSet(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      String setName, Kernels.Choice kernel) {
    RunRecord run = RunRecord.start("stress", asOf).policy(policy.name(), policy.hash())
        .kernel(kernel.kernel().name(), kernel.reason()).config("set=" + setName);
    warehouse.requireInputs("stress");
    warehouse.ensureTables();
    run.inputVersions(warehouse.versions(InputTables.ALL));
    StageTimer stages = StageTimer.of(run);
    MarketTables.MarketOfDate market = stages.time("read_market", () -> MarketTables.read(warehouse, asOf));
    StressSet set = resolveSet(setName, policy, market.snapshot());
    try (WritesBehind writes = new WritesBehind("riskgrid-stress-writes")) {
      // No stage reads the tables this run writes, so each write goes on behind the passes that follow it.
      writes.submit(() -> stages.time("write_scenario_set", () -> writeScenarioSet(spark, warehouse, set)));
      StressEvaluator evaluator = stages.time("stage1_revaluation", () -> new StressEvaluator(set, market.snapshot(),
          market.instruments().instruments(), policy, kernel.kernel()));
      AccountInputs.Stream inputs = stages.time("plan_inputs", () -> AccountInputs.stream(warehouse, asOf));
      run.groupingPath(inputs.describe());
      MarginLoop loop = MarginLoop.on(spark, kernel);
      Set<String> parentAccounts = stages.time("member_accounts", () -> parentAccounts(warehouse, asOf));
      StageTimer.Work stressed = StageTimer.Work.of(spark, 0, "accounts");
      StressAggregates figures = stages.time("stage2_stress", stressed,
          () -> stressAccounts(spark, loop, inputs, parentAccounts, evaluator, stressed));
      List<ScenarioResult> results = scenarioResults(set, figures);
      writes.submit(() -> stages.time("write_results", () -> writeResults(spark, warehouse, asOf, run.runId(), set,
          figures, results)));
      double resources = policy.stress().defaultResourcesUsd();
      List<ReverseStress.Result> reverse = List.of();
      List<Integer> chosen = ReverseStress.worst(figures.shortfallUsd, ReverseStress.SCENARIOS);
      if (historical(set.name()) && !chosen.isEmpty()) {
        ReverseStress.Search search = new ReverseStress.Search(set, chosen, resources, figures.shortfallUsd);
        for (int pass = 1; search.hasNextPass(); pass++) {
          String stage = "reverse_to_" + String.format(Locale.ROOT, "%.2f", search.nextPassUpToLambda()) + "x";
          StressSet scaled = search.nextPass();
          StressEvaluator scaledEvaluator = stages.time("stage1_" + stage, () -> new StressEvaluator(scaled,
              market.snapshot(), market.instruments().instruments(), policy, kernel.kernel()));
          StageTimer.Work reversed = StageTimer.Work.of(spark, figures.accounts, "accounts");
          StressAggregates scaledFigures = stages.time("stage2_" + stage, reversed, () -> stressAccounts(spark, loop,
              inputs, null, scaledEvaluator, reversed));
          search.record(scaledFigures.shortfallUsd);
          run.count("reverse_scenarios_pass" + pass, scaled.size());
        }
        reverse = search.results();
        List<ReverseStress.Result> written = reverse;
        stages.time("write_reverse", () -> writeReverse(spark, warehouse, asOf, run.runId(), set, written, resources));
        run.count("reverse_scenarios", search.scenariosEvaluated());
      }
      stages.time("await_writes", writes::await);
      KernelsUsed used = loop.kernelsUsed();
      run.kernel(used.names(), used.reasons());
      run.count("accounts_valid", figures.accounts).count("scenarios", set.size()).timing("stress", stages.elapsedMillis())
          .finishAndAppend(warehouse, spark);
      stages.done(figures.accounts);
      return new Outcome(results, reverse, resources);
    }
  }

  /** Whether reverse stress applies: the shipped crash windows and the rolling {@code hist-<h>d} sets. */
  static boolean historical(String setName) {
    return HISTORICAL.equals(setName) || ROLLING.matcher(setName).matches();
  }

  /** {@code reverse_stress} rows of one set, replacing its (date, set) slice. */
  private static void writeReverse(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId, StressSet set,
      List<ReverseStress.Result> reverse, double resources) {
    java.sql.Date d = SparkValues.date(asOf);
    List<Row> rows = new ArrayList<>();
    for (ReverseStress.Result r : reverse) {
      double btc = set.scenarios().get(r.scenarioId()).move("BTC").p();
      double scale = r.lambda() == null ? ReverseStress.MAX_LAMBDA : r.lambda();
      rows.add(RowFactory.create(d, runId, set.name(), r.scenarioId(), r.label(), r.lambda(),
          Math.max(ReverseStress.MIN_PRICE_MOVE, scale * btc), r.shortfallAtLambdaUsd(), resources));
    }
    warehouse.replaceWhere(spark.createDataFrame(rows, OutputTables.REVERSE_STRESS.schema()), OutputTables.REVERSE_STRESS,
        Where.equal("as_of_date", asOf).and("set_name", set.name()));
  }

  /**
   * Stage 2: every account through the margin loop on the set's book, folded into one small aggregate
   * per partition (totals over accounts, members' shortfalls into the largest few), merged on the driver.
   * Nothing per account is kept or shuffled: at 1M accounts and 3,000 scenarios an account's P&amp;L,
   * net and shortfall vectors are 73 GB, which the earlier keyed reduce of per-account vectors spilled to
   * disk. Instead the accounts that share a member with another account (a parent_id, or an account that
   * is a parent) are moved to their member's partition as inputs (DESIGN §2's one shuffle, of the few
   * hundred bytes of an account's rows ({@link AccountBytes}) rather than 16 bytes per scenario), so that
   * each member is summed in one place; accounts that are their own member are folded where they are.
   * Both come out of one read of the inputs ({@link MarginLoop.Diversion}): its rows (a partial per
   * partition, and the moved accounts' bytes) are kept in memory until the moved accounts are folded.
   * {@code parentAccounts} null: totals over accounts only (no member figures, so no shuffle), which is
   * all reverse stress reads.
   */
  private static StressAggregates stressAccounts(SparkSession spark, MarginLoop loop, AccountInputs.Stream inputs,
      Set<String> parentAccounts, StressEvaluator evaluator, StageTimer.Work work) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<StressEvaluator> shared = jsc.broadcast(evaluator);
    int n = evaluator.set().size();
    if (parentAccounts == null) {
      return totals(loop.margin(inputs.items(), new MemberFold(shared, true, false, work.done())), n);
    }
    Broadcast<Set<String>> parents = jsc.broadcast(parentAccounts);
    JavaRDD<StageTwoRow> pass = loop.margin(inputs.items(), new MemberFold(shared, true, true, work.done()),
        account -> sharesMember(account, parents.value())
            ? new StageTwoRow(null, memberOf(account), AccountBytes.encode(account)) : null)
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      JavaRDD<AccountInputs.Item> byMember = pass.filter(r -> r.member() != null)
          .mapToPair(r -> new Tuple2<>(r.member(), r.account()))
          .groupByKey(Math.max(1, inputs.items().getNumPartitions()))
          .flatMap(member -> byAccountId(member._2()));
      StressAggregates members = totals(loop.margin(byMember, new MemberFold(shared, false, true, work.done())), n);
      return totals(pass.filter(r -> r.partial() != null), n).merge(members);
    } finally {
      pass.unpersist(false);
    }
  }

  /** The partials of {@code rows} merged (tree reduction) into the exchange's figures. */
  private static StressAggregates totals(JavaRDD<StageTwoRow> rows, int scenarios) {
    return rows.map(StageTwoRow::partial).treeAggregate(new StressAggregates(scenarios), StressAggregates::merge,
        StressAggregates::merge);
  }

  /**
   * A row of stage 2: a partition's partial figures ({@code partial}), or an account that shares its
   * member with others, as its member's id and its bytes ({@link AccountBytes}) for the shuffle.
   */
  record StageTwoRow(StressAggregates partial, String member, byte[] account) implements Serializable {}

  /** Whether an account shares its member with other accounts. */
  static boolean sharesMember(Account a, Set<String> parentAccounts) {
    return a.parentId() != null || parentAccounts.contains(a.accountId());
  }

  /** DESIGN §3.5: a member is a parent account; an account without a parent is its own member. */
  static String memberOf(Account a) {
    return a.parentId() == null ? a.accountId() : a.parentId();
  }

  /** A member's accounts in account_id order, so its sums do not depend on the shuffle's order. */
  private static Iterator<AccountInputs.Item> byAccountId(Iterable<byte[]> accounts) {
    List<AccountInputs.Item> sorted = new ArrayList<>();
    accounts.forEach(bytes -> sorted.add(new AccountInputs.Item(AccountBytes.decode(bytes), null)));
    sorted.sort(Comparator.comparing(i -> i.account().accountId()));
    return sorted.iterator();
  }

  /** The account ids of {@code asOf} that other accounts name as their parent: members with accounts of their own. */
  static Set<String> parentAccounts(Warehouse warehouse, LocalDate asOf) {
    Dataset<Row> accounts = warehouse.read(InputTables.ACCOUNTS, asOf);
    Dataset<Row> parents = accounts.select(col("parent_id").as("id")).where(col("id").isNotNull()).distinct();
    List<Row> rows = accounts.select("account_id").distinct()
        .join(parents, accounts.col("account_id").equalTo(parents.col("id")), "left_semi").collectAsList();
    Set<String> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.getString(0)));
    return ids;
  }

  /** The headline figures per scenario, in the set's order. */
  private static List<ScenarioResult> scenarioResults(StressSet set, StressAggregates figures) {
    List<ScenarioResult> results = new ArrayList<>(set.size());
    for (int j = 0; j < set.size(); j++) {
      List<String> coverMembers = figures.top.get(j).stream().limit(2).map(StressAggregates.MemberShortfall::member).toList();
      results.add(new ScenarioResult(set.name(), set.scenarios().get(j).label(), figures.totalPnlUsd[j],
          figures.shortfallUsd[j], figures.accountsInDeficit[j], figures.cover(j, 1), figures.cover(j, 2), coverMembers));
    }
    return results;
  }

  /** One {@code stress_results} row per scenario ({@code results} in the set's order), replacing the (date, set) slice. */
  private static void writeResults(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId, StressSet set,
      StressAggregates figures, List<ScenarioResult> results) {
    List<Row> rows = new ArrayList<>();
    java.sql.Date d = SparkValues.date(asOf);
    for (int j = 0; j < set.size(); j++) {
      JointScenario sc = set.scenarios().get(j);
      ScenarioResult r = results.get(j);
      List<Row> contributors = figures.top.get(j).stream()
          .map(m -> RowFactory.create(m.member(), m.shortfallUsd())).toList();
      rows.add(RowFactory.create(d, runId, set.name(), j, sc.label(), r.totalPnlUsd(), r.shortfallUsd(),
          r.accountsInDeficit(), r.cover1Usd(), r.cover2Usd(), SparkValues.seq(r.coverMembers()),
          figures.nettedShortfallUsd[j], SparkValues.seq(sc.substitutions()), SparkValues.seq(contributors)));
    }
    warehouse.replaceWhere(spark.createDataFrame(rows, OutputTables.STRESS_RESULTS.schema()), OutputTables.STRESS_RESULTS,
        Where.equal("as_of_date", asOf).and("set_name", set.name()));
  }

  /** Writes the set's scenarios into {@code scenario_sets}, one row per scenario and underlying. */
  private static void writeScenarioSet(SparkSession spark, Warehouse warehouse, StressSet set) {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < set.size(); j++) {
      JointScenario sc = set.scenarios().get(j);
      for (var e : new java.util.TreeMap<>(sc.moves()).entrySet()) {
        rows.add(RowFactory.create(set.name(), j, sc.label(), e.getKey(), e.getValue().p(), e.getValue().v(),
            (int) Math.round(e.getValue().horizonDays()), "REGULAR", 1.0, set.volMode().name().toLowerCase()));
      }
    }
    warehouse.replaceWhere(spark.createDataFrame(rows, InputTables.SCENARIO_SETS.schema()), InputTables.SCENARIO_SETS,
        Where.equal("set_name", set.name()));
  }
}
