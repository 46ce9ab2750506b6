package io.riskgrid.jobs.stress;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.loop.KernelsUsed;
import io.riskgrid.jobs.loop.MarginLoop;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.margin.InstrumentBook;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
   * largest shortfall scaled on the λ grid in one more pass, written to {@code reverse_stress}.
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
    stages.time("write_scenario_set", () -> writeScenarioSet(spark, warehouse, set));
    StressEvaluator evaluator = stages.time("stage1_revaluation", () -> new StressEvaluator(set, market.snapshot(),
        market.instruments().instruments(), policy, kernel.kernel()));
    AccountInputs.Stream inputs = stages.time("plan_inputs", () -> AccountInputs.stream(warehouse, asOf));
    run.groupingPath(inputs.describe());
    MarginLoop loop = MarginLoop.on(spark, kernel);
    Figures figures = stages.time("stage2_stress", () -> stressAccounts(spark, loop, inputs, evaluator));
    List<ScenarioResult> results = stages.time("write_results", () -> writeResults(spark, warehouse, asOf, run.runId(),
        set, figures));
    double resources = policy.stress().defaultResourcesUsd();
    List<ReverseStress.Result> reverse = List.of();
    List<Integer> chosen = ReverseStress.worst(figures.totals().shortfallUsd, ReverseStress.SCENARIOS);
    if (historical(set.name()) && !chosen.isEmpty()) {
      StressSet scaled = ReverseStress.scaledSet(set, chosen);
      StressEvaluator scaledEvaluator = stages.time("stage1_reverse", () -> new StressEvaluator(scaled, market.snapshot(),
          market.instruments().instruments(), policy, kernel.kernel()));
      Figures scaledFigures = stages.time("stage2_reverse", () -> stressAccounts(spark, loop, inputs, scaledEvaluator));
      reverse = ReverseStress.results(set, chosen, scaledFigures.totals().shortfallUsd, resources);
      List<ReverseStress.Result> written = reverse;
      stages.time("write_reverse", () -> writeReverse(spark, warehouse, asOf, run.runId(), set, written, resources));
      run.count("reverse_scenarios", scaled.size());
    }
    KernelsUsed used = loop.kernelsUsed();
    run.kernel(used.names(), used.reasons());
    run.count("accounts_valid", figures.accounts()).count("scenarios", set.size()).timing("stress", stages.elapsedMillis())
        .finishAndAppend(warehouse, spark);
    stages.done(figures.accounts());
    return new Outcome(results, reverse, resources);
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

  /** The exchange-wide sums of one set: per scenario over accounts, and over members; valid accounts counted. */
  private record Figures(StressAggregates totals, StressAggregates byMember, long accounts) {}

  /**
   * Stage 2: every account through the margin loop on the set's book, its stress figures summed over
   * accounts (treeAggregate) and by member (a keyed reduce, then the largest shortfalls).
   */
  private static Figures stressAccounts(SparkSession spark, MarginLoop loop, AccountInputs.Stream inputs,
      StressEvaluator evaluator) {
    Broadcast<StressEvaluator> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(evaluator);
    JavaRDD<StressEvaluator.AccountStress> perAccount = loop.margin(inputs.items(), new PerAccountStress(shared))
        .persist(StorageLevel.MEMORY_AND_DISK());
    int n = evaluator.set().size();
    StressAggregates totals = perAccount.treeAggregate(new StressAggregates(n),
        (agg, a) -> agg.addAccount(a.pnlUsd(), a.shortfallUsd()), StressAggregates::merge);
    StressAggregates byMember = byMember(perAccount, n);
    long accounts = perAccount.count();
    perAccount.unpersist();
    return new Figures(totals, byMember, accounts);
  }

  /** Members' summed shortfalls and netted figures, reduced by member id on the executors. */
  private static StressAggregates byMember(JavaRDD<StressEvaluator.AccountStress> perAccount, int n) {
    JavaPairRDD<String, double[]> members = perAccount.mapToPair(a -> {
      double[] both = new double[2 * n];
      System.arraycopy(a.shortfallUsd(), 0, both, 0, n);
      System.arraycopy(a.netUsd(), 0, both, n, n);
      return new Tuple2<>(a.memberId(), both);
    }).reduceByKey((x, y) -> {
      double[] sum = x.clone();
      for (int k = 0; k < sum.length; k++) {
        sum[k] += y[k];
      }
      return sum;
    });
    return members.treeAggregate(new StressAggregates(n), (agg, m) -> {
      double[] shortfall = java.util.Arrays.copyOfRange(m._2(), 0, n);
      double[] net = java.util.Arrays.copyOfRange(m._2(), n, 2 * n);
      return agg.addMember(m._1(), shortfall, net);
    }, StressAggregates::merge);
  }

  /**
   * The stress run's side of the margin loop: the figures of every margined account. Orphan input rows
   * belong to no account (the margin run reports them as rejects) and REJECTED or DATA_ERROR accounts
   * have no figures: both are skipped.
   */
  private static final class PerAccountStress implements MarginLoop.Sinks<StressEvaluator.AccountStress> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<StressEvaluator> evaluator;

    PerAccountStress(Broadcast<StressEvaluator> evaluator) {
      this.evaluator = evaluator;
    }

    @Override
    public InstrumentBook book() {
      return evaluator.value().book();
    }

    @Override
    public MarginLoop.Sink<StressEvaluator.AccountStress> open(int partition) {
      StressEvaluator ev = evaluator.value();
      return (account, margin, instrumentRows, movePnl, out) -> {
        StressEvaluator.AccountStress stress = ev.evaluate(account, margin);
        if (stress.valid()) {
          out.accept(stress);
        }
      };
    }
  }

  /** One {@code stress_results} row per scenario, replacing the (date, set) slice; the headlines returned. */
  private static List<ScenarioResult> writeResults(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId,
      StressSet set, Figures figures) {
    List<ScenarioResult> results = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    java.sql.Date d = SparkValues.date(asOf);
    StressAggregates totals = figures.totals();
    StressAggregates byMember = figures.byMember();
    for (int j = 0; j < set.size(); j++) {
      JointScenario sc = set.scenarios().get(j);
      List<String> coverMembers = byMember.top.get(j).stream().limit(2).map(StressAggregates.MemberShortfall::member).toList();
      List<Row> contributors = byMember.top.get(j).stream()
          .map(m -> RowFactory.create(m.member(), m.shortfallUsd())).toList();
      ScenarioResult r = new ScenarioResult(set.name(), sc.label(), totals.totalPnlUsd[j], totals.shortfallUsd[j],
          totals.accountsInDeficit[j], byMember.cover(j, 1), byMember.cover(j, 2), coverMembers);
      results.add(r);
      rows.add(RowFactory.create(d, runId, set.name(), j, sc.label(), r.totalPnlUsd(), r.shortfallUsd(),
          r.accountsInDeficit(), r.cover1Usd(), r.cover2Usd(), SparkValues.seq(coverMembers), byMember.nettedShortfallUsd[j],
          SparkValues.seq(sc.substitutions()), SparkValues.seq(contributors)));
    }
    warehouse.replaceWhere(spark.createDataFrame(rows, OutputTables.STRESS_RESULTS.schema()), OutputTables.STRESS_RESULTS,
        Where.equal("as_of_date", asOf).and("set_name", set.name()));
    return results;
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
