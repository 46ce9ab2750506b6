package io.riskgrid.jobs.stress;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.stress.HistoricalStress;
import io.riskgrid.stress.ReverseStress;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(PolicyLoader.class.getResourceAsStream("/io/riskgrid/policy/seed-default.json"));
    ((ObjectNode) doc.get("stress")).put("default_fund_usd", resources * 0.75).put("insurance_fund_usd", resources * 0.25);
    MarginPolicy halfResources = PolicyLoader.fromJson(doc);

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
}
