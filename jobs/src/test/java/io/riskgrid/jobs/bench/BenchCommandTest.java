package io.riskgrid.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's figures and its JSON contract (issue: floor_s, riskgrid_s, ... results_equal). */
class BenchCommandTest {
  private static BenchJob.Figures figures(BenchJob.Timing sql, MarginAgreement.Comparison agreement) {
    return new BenchJob.Figures(1_000, 20_000, 35, 105, "deribit-like", "clustered", null,
        new BenchJob.Timing(List.of(4.0, 2.0, 3.0)), new BenchJob.Timing(List.of(2.5, 3.0, 2.0)),
        new BenchJob.Timing(List.of(3.0, 4.5, 3.5)), new BenchJob.Timing(List.of(9.0, 7.0, 8.0)), sql, agreement, sql == null ? "too many accounts" : null,
        1L << 30, 2, new BenchJob.Timing(List.of(3.0, 3.0, 2.8)),
        Map.of("positions", new io.riskgrid.jobs.spark.Warehouse.Detail(3, 12, 1L << 20)),
        Map.of("margin simd", new BenchJob.JvmCosts(List.of(0.25, 0.5, 0.125), java.util.Arrays.asList(9.5, null, 1.5),
            List.of(190L, 28L, 27L))), null, null);
  }

  @Test
  void mediansAndRatiosComeFromTheRepetitions() {
    assertEquals(3.0, new BenchJob.Timing(List.of(4.0, 2.0, 3.0)).median());
    assertEquals(2.5, new BenchJob.Timing(List.of(4.0, 2.0, 3.0, 1.0)).median());
    BenchJob.Figures f = figures(new BenchJob.Timing(List.of(35.0)), new MarginAgreement.Comparison(1_000, 0, 0, 0.1, "x"));
    assertEquals(3.5 / 3.0, f.ratioVsFloor(), 1e-15);
    assertEquals(3.5 / 2.5, f.ratioVsWideFloor(), 1e-15);
    assertEquals(10.0, f.speedupVsSql(), 1e-15);
    assertEquals(8.0 / 3.5, f.speedupVsScalar(), 1e-15);
    assertEquals(3.5 / 3.0, f.liquidationCostRatio(), 1e-15, "median with over median without liquidation");
    assertTrue(f.resultsEqual());
  }

  @Test
  void theJsonHasEveryKeyTheIssueNames() {
    Map<String, Object> json = BenchCommand.toJson(figures(new BenchJob.Timing(List.of(35.0)),
        new MarginAgreement.Comparison(1_000, 2, 1, 7.5, "account A")));
    for (String key : List.of("floor_s", "riskgrid_s", "scalar_s", "sql_s", "ratio_vs_floor", "speedup_vs_sql", "accounts",
        "positions", "scenarios", "results_equal")) {
      assertTrue(json.containsKey(key), key);
    }
    assertEquals(3.0, json.get("floor_s"));
    assertEquals(2.5, json.get("wide_floor_s"));
    assertEquals(1.4, json.get("ratio_vs_wide_floor"));
    assertEquals(3.5, json.get("riskgrid_s"));
    assertEquals(35.0, json.get("sql_s"));
    assertEquals(false, json.get("results_equal"));
    assertEquals(1_000L, json.get("accounts"));
    assertEquals(35, json.get("scenarios"));
    assertEquals(Map.of("version", 3L, "files", 12L, "bytes", 1L << 20),
        ((Map<?, ?>) json.get("tables_before")).get("positions"));
    assertEquals(true, json.get("fresh_outputs"), "no margins table before the bench");
    assertEquals(List.of(0.25, 0.5, 0.125), ((Map<?, ?>) json.get("gc_runs_s")).get("margin simd"));
    assertEquals(java.util.Arrays.asList(9.5, null, 1.5), ((Map<?, ?>) json.get("jit_runs_s")).get("margin simd"),
        "a JVM that does not time its JIT gives null, not 0");
    assertEquals(List.of(190L, 28L, 27L), ((Map<?, ?>) json.get("generated_classes_runs")).get("margin simd"));
  }

  @Test
  void aSkippedSqlRunLeavesItsFiguresNullNotZero() {
    Map<String, Object> json = BenchCommand.toJson(figures(null, null));
    assertNull(json.get("sql_s"));
    assertNull(json.get("speedup_vs_sql"));
    assertNull(json.get("results_equal"));
    assertEquals("too many accounts", json.get("sql_skipped"));
  }

  @Test
  void aStressRunIsReportedByItsSetAndLeftNullWhenNotAsked() {
    BenchJob.Figures f = figures(null, null);
    Map<String, Object> without = BenchCommand.toJson(f);
    assertTrue(without.containsKey("stress_s"));
    assertNull(without.get("stress_s"), "no stress run: null, not 0");
    assertNull(without.get("stress_set"));
    BenchJob.Figures withStress = new BenchJob.Figures(f.accounts(), f.positions(), f.scenariosPerUnderlying(),
        f.scenarioColumns(), f.policy(), f.groupingPath(), null, f.floor(), f.wideFloor(), f.riskgrid(), f.scalar(), null,
        null, f.sqlSkipped(), f.peakHeapBytes(), f.cores(), f.withoutLiquidation(), f.tablesBefore(), f.jvm(), "hist-1d",
        new BenchJob.Timing(List.of(70.0, 55.5, 50.25)));
    Map<String, Object> json = BenchCommand.toJson(withStress);
    assertEquals("hist-1d", json.get("stress_set"));
    assertEquals(55.5, json.get("stress_s"), "the median of the repetitions");
    assertEquals(List.of(70.0, 55.5, 50.25), json.get("stress_runs_s"));
  }

  @Test
  void badOptionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BenchJob.Options(0, 1, java.time.LocalDate.now(),
        io.riskgrid.policy.PolicyLoader.preset("deribit-like"), 1, false, 1, false, false, null));
    assertThrows(IllegalArgumentException.class, () -> new BenchJob.Options(1, 1, java.time.LocalDate.now(),
        io.riskgrid.policy.PolicyLoader.preset("deribit-like"), 1, false, 1, false, false, " "));
  }
}
