package io.riskgrid.jobs.stress;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.stress.HistoricalStress;
import io.riskgrid.stress.ReverseStress;
import io.riskgrid.stress.StressEvaluator;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stress --set hist-1d} and reverse stress through Spark and Delta (DESIGN §7.6) on a small
 * generated exchange: every overlapping one-day window since 2017-08-17 is a scenario of
 * {@code stress_results} and {@code scenario_sets}; with default resources set to half the worst
 * shortfall, the worst scenario is exhausted below its own move, at a shortfall equal to the resources.
 */
class HistoricalStressJobTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-01-05");
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static SparkSession spark;
  private static Warehouse warehouse;

  @BeforeAll
  static void generate() throws Exception {
    spark = SparkSessions.getOrCreate("historical-stress-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    warehouse = Warehouse.at(spark, Files.createTempDirectory("riskgrid-hist-stress").toString());
    GenerateJob.run(spark, warehouse, AS_OF, 300, 5, POLICY, SimdKernel.INSTANCE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void everyOneDayWindowIsAScenarioAndTheWorstAreReversed() {
    StressJob.Outcome outcome = StressJob.runSet(spark, warehouse, AS_OF, POLICY, "hist-1d", Kernels.select("simd"));
    long days = ChronoUnit.DAYS.between(HistoricalStress.ROLLING_FROM, LocalDate.of(2026, 1, 5));
    assertEquals(days, outcome.scenarios().size());
    assertEquals(days, warehouse.read(OutputTables.STRESS_RESULTS, AS_OF).filter(col("set_name").equalTo("hist-1d")).count());
    assertEquals(3 * days, warehouse.read(InputTables.SCENARIO_SETS).filter(col("set_name").equalTo("hist-1d")).count());
    long withShortfall = outcome.scenarios().stream().filter(r -> r.shortfallUsd() > 0).count();
    assertEquals(Math.min(ReverseStress.SCENARIOS, withShortfall), outcome.reverse().size());
    assertEquals(outcome.reverse().size(),
        warehouse.read(OutputTables.REVERSE_STRESS, AS_OF).filter(col("set_name").equalTo("hist-1d")).count());
    assertEquals(POLICY.stress().defaultResourcesUsd(), outcome.resourcesUsd());
  }

  @Test
  void resourcesOfHalfTheWorstShortfallAreExhaustedBelowTheWorstMove() throws Exception {
    StressJob.Outcome base = StressJob.runSet(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, Kernels.select("simd"));
    StressJob.ScenarioResult worst = base.scenarios().stream()
        .max(Comparator.comparingDouble(StressJob.ScenarioResult::shortfallUsd)).orElseThrow();
    assertTrue(worst.shortfallUsd() > 0, "the generated exchange has a shortfall in a crash window");
    double resources = worst.shortfallUsd() / 2;
    MarginPolicy halfResources = withResources(resources * 0.75, resources * 0.25);

    StressJob.Outcome reversed = StressJob.runSet(spark, warehouse, AS_OF, halfResources, StressJob.HISTORICAL,
        Kernels.select("simd"));
    ReverseStress.Result r = reversed.reverse().stream().filter(x -> x.label().equals(worst.label())).findFirst().orElseThrow();
    assertTrue(r.lambda() != null && r.lambda() > 0 && r.lambda() < 1, "λ of " + worst.label() + ": " + r.lambda());
    assertEquals(resources, r.shortfallAtLambdaUsd(), 1e-6 * resources, "the interpolated shortfall at λ is the resources");
    List<Row> rows = warehouse.read(OutputTables.REVERSE_STRESS, AS_OF).filter(col("set_name").equalTo(StressJob.HISTORICAL)
        .and(col("label").equalTo(worst.label()))).collectAsList();
    assertEquals(1, rows.size());
    assertEquals(r.lambda(), rows.get(0).getAs("lambda"), 0.0);
    assertEquals(resources, (double) rows.get(0).getAs("resources_usd"), 1e-9 * resources);
    double btc = HistoricalStress.shipped(List.of("BTC", "ETH", "SOL"), 0.3).scenarios().stream()
        .filter(s -> s.label().equals(worst.label())).findFirst().orElseThrow().move("BTC").p();
    assertEquals(r.lambda() * btc, (double) rows.get(0).getAs("btc_move"), 1e-12);
    assertTrue(StressCommand.reverseHeadline(reversed).contains("resources exhausted at"), StressCommand.reverseHeadline(reversed));
  }

  /**
   * The λ search in two passes (λ ≤ 2, then above 2 for the scenarios still standing) gives what the whole
   * grid in one pass gives. The resources are set just above the second-worst crash window's largest
   * shortfall up to λ = 2, so the worst window is exhausted in the first pass and the second-worst needs
   * the second; each λ equals a driver-side evaluation of all 101 grid points on the scalar kernel.
   */
  @Test
  void theSearchInTwoPassesFindsWhatTheWholeGridFinds() throws Exception {
    StressJob.Outcome base = StressJob.runSet(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, Kernels.select("simd"));
    double[] shortfall = base.scenarios().stream().mapToDouble(StressJob.ScenarioResult::shortfallUsd).toArray();
    List<Integer> chosen = ReverseStress.worst(shortfall, ReverseStress.SCENARIOS);
    assertTrue(chosen.size() >= 2, "two crash windows with a shortfall: " + chosen);

    MarketTables.InstrumentSet instruments = MarketTables.readInstruments(warehouse);
    MarketSnapshot market = MarketTables.readSnapshot(warehouse, AS_OF);
    var set = StressJob.resolveSet(StressJob.HISTORICAL, POLICY, market);
    var whole = ReverseStress.scaledSet(set, chosen);
    double[] total = new double[whole.size()];
    for (StressEvaluator.AccountStress a : evaluateAll(new StressEvaluator(whole, market, instruments.instruments(), POLICY,
        ScalarKernel.INSTANCE)).values()) {
      if (a.valid()) {
        for (int j = 0; j < total.length; j++) {
          total[j] += a.shortfallUsd()[j];
        }
      }
    }
    int toLambda2 = (int) Math.round(2 / ReverseStress.STEP) + 1;
    double worstTo2 = java.util.Arrays.stream(total, 0, toLambda2).max().orElseThrow();
    double secondTo2 = java.util.Arrays.stream(total, ReverseStress.POINTS, ReverseStress.POINTS + toLambda2).max().orElseThrow();
    double resources = 1.01 * secondTo2;
    assertTrue(worstTo2 > resources, "the worst window exceeds " + resources + " by λ = 2: " + worstTo2);
    List<ReverseStress.Result> reference = ReverseStress.results(set, chosen, total, resources);
    assertTrue(reference.get(1).lambda() == null || reference.get(1).lambda() > 2, "second-worst: " + reference.get(1));

    List<ReverseStress.Result> searched = StressJob.runSet(spark, warehouse, AS_OF, withResources(resources, 0.0),
        StressJob.HISTORICAL, Kernels.select("simd")).reverse();
    assertEquals(reference.size(), searched.size());
    for (int i = 0; i < reference.size(); i++) {
      ReverseStress.Result want = reference.get(i);
      ReverseStress.Result got = searched.get(i);
      assertEquals(want.scenarioId(), got.scenarioId());
      assertEquals(want.label(), got.label());
      if (want.lambda() == null) {
        assertEquals(null, got.lambda(), want.label());
      } else {
        assertEquals(want.lambda(), got.lambda(), 1e-9 * want.lambda(), want.label());
      }
      assertEquals(want.shortfallAtLambdaUsd(), got.shortfallAtLambdaUsd(), 1e-9 * Math.max(1, want.shortfallAtLambdaUsd()),
          want.label());
    }
  }

  /**
   * Members are summed wherever their accounts lie, and a parent can be an account with positions of
   * its own (DESIGN §3.5): the seven solo accounts of largest shortfall in the first crash window become
   * one member, the first the parent of the other six. Every figure of {@code stress_results} equals a
   * driver-side recomputation on the scalar kernel: totals, accounts in deficit, Cover-1/Cover-2 and
   * their members, the netted shortfall and the top contributors.
   */
  @Test
  void membersSumTheirAccountsWhereverTheyLieAndAParentCanHoldPositions() {
    MarketTables.InstrumentSet instruments = MarketTables.readInstruments(warehouse);
    MarketSnapshot market = MarketTables.readSnapshot(warehouse, AS_OF);
    StressEvaluator ev = new StressEvaluator(StressJob.resolveSet(StressJob.HISTORICAL, POLICY, market), market,
        instruments.instruments(), POLICY, ScalarKernel.INSTANCE);
    Map<String, StressEvaluator.AccountStress> before = evaluateAll(ev);
    List<String> largest = before.entrySet().stream().map(Map.Entry::getValue)
        .filter(a -> a.valid() && a.shortfallUsd()[0] > 0 && before.containsKey(a.memberId()))
        .sorted(Comparator.comparingDouble((StressEvaluator.AccountStress a) -> -a.shortfallUsd()[0]))
        .limit(7).map(StressEvaluator.AccountStress::memberId).toList();
    assertEquals(7, largest.size(), "seven solo accounts in deficit in the first crash window");
    String parent = largest.get(0);
    DeltaTable.forPath(spark, warehouse.path(InputTables.ACCOUNTS)).update(
        col("account_id").isin(largest.subList(1, 7).toArray()), Map.of("parent_id", lit(parent)));

    StressJob.runSet(spark, warehouse, AS_OF, POLICY, StressJob.HISTORICAL, Kernels.select("simd"));
    List<StressEvaluator.AccountStress> after = new ArrayList<>(evaluateAll(ev).values());
    assertEquals(7, after.stream().filter(a -> a.memberId().equals(parent)).count(), "the parent and its six accounts");
    List<Row> rows = warehouse.read(OutputTables.STRESS_RESULTS, AS_OF).filter(col("set_name").equalTo(StressJob.HISTORICAL))
        .orderBy("scenario_id").collectAsList();
    int n = ev.set().size();
    assertEquals(n, rows.size());
    for (int j = 0; j < n; j++) {
      double pnl = 0;
      double scale = 0;
      double shortfall = 0;
      long inDeficit = 0;
      Map<String, double[]> members = new TreeMap<>();
      for (StressEvaluator.AccountStress a : after) {
        if (!a.valid()) {
          continue;
        }
        pnl += a.pnlUsd()[j];
        scale += Math.abs(a.pnlUsd()[j]) + Math.abs(a.netUsd()[j]);
        shortfall += a.shortfallUsd()[j];
        inDeficit += a.shortfallUsd()[j] > 0 ? 1 : 0;
        double[] m = members.computeIfAbsent(a.memberId(), k -> new double[2]);
        m[0] += a.shortfallUsd()[j];
        m[1] += a.netUsd()[j];
      }
      double tolerance = 1e-9 * Math.max(1, scale);
      Row r = rows.get(j);
      String label = r.getAs("label");
      assertEquals(pnl, (double) r.getAs("total_pnl_usd"), tolerance, "total P&L " + label);
      assertEquals(shortfall, (double) r.getAs("shortfall_usd"), tolerance, "shortfall " + label);
      assertEquals(inDeficit, (long) r.getAs("accounts_in_deficit"), "accounts in deficit " + label);
      double netted = members.values().stream().mapToDouble(m -> Math.max(0, -m[1])).sum();
      assertEquals(netted, (double) r.getAs("netted_shortfall_usd"), tolerance, "netted shortfall " + label);
      List<Map.Entry<String, double[]>> ranked = members.entrySet().stream().filter(e -> e.getValue()[0] > 0)
          .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0])).toList();
      double cover1 = ranked.isEmpty() ? 0 : ranked.get(0).getValue()[0];
      double cover2 = cover1 + (ranked.size() < 2 ? 0 : ranked.get(1).getValue()[0]);
      assertEquals(cover1, (double) r.getAs("cover1_usd"), tolerance, "Cover-1 " + label);
      assertEquals(cover2, (double) r.getAs("cover2_usd"), tolerance, "Cover-2 " + label);
      List<String> coverMembers = r.getList(r.fieldIndex("cover_members"));
      assertEquals(ranked.stream().limit(2).map(Map.Entry::getKey).toList(), coverMembers, "cover members " + label);
      List<Row> contributors = r.getList(r.fieldIndex("top_contributors"));
      assertEquals(Math.min(5, ranked.size()), contributors.size(), "top contributors " + label);
      for (int k = 0; k < contributors.size(); k++) {
        assertEquals(ranked.get(k).getKey(), contributors.get(k).getString(0), "contributor " + k + " " + label);
        assertEquals(ranked.get(k).getValue()[0], contributors.get(k).getDouble(1), tolerance);
      }
    }
    assertEquals(parent, rows.get(0).getList(rows.get(0).fieldIndex("cover_members")).get(0),
        "the seven largest deficits of the first window, as one member, are its Cover-1");
  }

  /** seed-default with the given default fund and insurance fund (USD). */
  private static MarginPolicy withResources(double defaultFundUsd, double insuranceFundUsd) throws Exception {
    ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(
        PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    ((ObjectNode) doc.get("stress")).put("default_fund_usd", defaultFundUsd).put("insurance_fund_usd", insuranceFundUsd);
    return PolicyLoader.fromJson(doc);
  }

  /** Every account's stress figures by account id, computed on the driver. */
  private static Map<String, StressEvaluator.AccountStress> evaluateAll(StressEvaluator ev) {
    MarginCalculator calculator = ev.newCalculator();
    Map<String, StressEvaluator.AccountStress> all = new TreeMap<>();
    for (Row g : AccountInputs.read(warehouse, AS_OF).accounts().collectAsList()) {
      io.riskgrid.margin.Account account = AccountInputs.toAccount(g);
      all.put(account.accountId(), ev.evaluate(account, calculator));
    }
    return all;
  }
}
