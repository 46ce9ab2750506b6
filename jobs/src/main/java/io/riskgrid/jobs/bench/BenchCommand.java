package io.riskgrid.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.policy.PolicyLoader;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid bench}: the end-to-end benchmark of DESIGN §6 in one process (see {@link BenchJob}).
 * Prints wall times, accounts/s and the ratios against the targets, or with {@code --json} the same
 * figures as one JSON object on stdout (progress goes to stderr). Exits 1 when the SQL formulation's
 * margins disagree with riskgrid's.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "End-to-end benchmark: I/O floor, margin (simd, scalar) and the plain Spark SQL formulation on one "
        + "generated exchange; checks that SQL and riskgrid margins agree.")
public final class BenchCommand implements Callable<Integer> {
  static final double TARGET_RATIO_VS_FLOOR = 1.25;
  static final double TARGET_SPEEDUP_VS_SQL = 10.0;

  @Mixin
  SparkOptions spark;

  @Option(names = "--accounts", defaultValue = "1000000", description = "Accounts to generate or reuse (default: ${DEFAULT-VALUE}).")
  long accounts;

  @Option(names = "--repeat", defaultValue = "3", description = "Repetitions of each run; the median is reported (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--policy", defaultValue = "deribit-like", description = "Preset or policy JSON file (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--seed", defaultValue = "42", description = "Seed when the exchange is generated (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--as-of", defaultValue = "2026-01-05", description = "Business date (default: ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--regenerate", description = "Generate the exchange even if the warehouse already has one of this size.")
  boolean regenerate;

  @Option(names = "--sql-max-accounts", defaultValue = "1000000",
      description = "Skip the SQL formulation above this many accounts (at 10M it joins ~14 billion rows) (default: ${DEFAULT-VALUE}).")
  long sqlMaxAccounts;

  @Option(names = "--skip-scalar", description = "Leave out the scalar-kernel margin run (slow at 10M accounts).")
  boolean skipScalar;

  @Option(names = "--liquidation-cost", description = "Also time the simd margin run without liquidation distances and "
      + "curve, and report the ratio (DESIGN §7.5: at most 1.3).")
  boolean liquidationCost;

  @Option(names = "--stress", paramLabel = "SET", description = "Also time 'stress --set SET' (e.g. hist-1d, with its reverse "
      + "stress) under --policy on the simd kernel, after the margin runs of each repetition.")
  String stressSet;

  @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (accounts < 1 || repeat < 1) {
      System.err.println("bench: --accounts and --repeat must be >= 1");
      return 2;
    }
    PrintStream log = json ? System.err : System.out;
    SparkSession session = spark.session("riskgrid bench");
    BenchJob.Figures f = BenchJob.run(session, spark.warehouse(session),
        new BenchJob.Options(accounts, seed, asOf, PolicyLoader.load(policy), repeat, regenerate, sqlMaxAccounts, skipScalar,
            liquidationCost, stressSet), log);
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(f)));
    } else {
      printTable(f, System.out);
    }
    if (Boolean.FALSE.equals(f.resultsEqual())) {
      System.err.printf("bench: THE SQL FORMULATION AND RISKGRID DISAGREE on %,d of %,d accounts (%,d missing); worst: %s%n",
          f.agreement().accountsDiffering(), f.agreement().accountsCompared(), f.agreement().accountsMissing(),
          f.agreement().worstExample());
      return 1;
    }
    return 0;
  }

  static Map<String, Object> toJson(BenchJob.Figures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accounts", f.accounts());
    m.put("positions", f.positions());
    m.put("scenarios", f.scenariosPerUnderlying());
    m.put("scenario_columns", f.scenarioColumns());
    m.put("policy", f.policy());
    m.put("floor_s", round(f.floor().median()));
    m.put("wide_floor_s", round(f.wideFloor().median()));
    m.put("riskgrid_s", round(f.riskgrid().median()));
    m.put("scalar_s", f.scalar() == null ? null : round(f.scalar().median()));
    m.put("sql_s", f.sql() == null ? null : round(f.sql().median()));
    m.put("ratio_vs_floor", round(f.ratioVsFloor()));
    m.put("ratio_vs_wide_floor", round(f.ratioVsWideFloor()));
    m.put("speedup_vs_sql", f.speedupVsSql() == null ? null : round(f.speedupVsSql()));
    m.put("speedup_vs_scalar", f.speedupVsScalar() == null ? null : round(f.speedupVsScalar()));
    m.put("without_liquidation_s", f.withoutLiquidation() == null ? null : round(f.withoutLiquidation().median()));
    m.put("liquidation_cost_ratio", f.liquidationCostRatio() == null ? null : round(f.liquidationCostRatio()));
    m.put("stress_set", f.stressSet());
    m.put("stress_s", f.stress() == null ? null : round(f.stress().median()));
    m.put("results_equal", f.resultsEqual());
    if (f.agreement() != null) {
      m.put("accounts_compared", f.agreement().accountsCompared());
      m.put("accounts_differing", f.agreement().accountsDiffering());
      m.put("worst_agreement_excess", f.agreement().worstExcess());
    }
    m.put("sql_skipped", f.sqlSkipped());
    m.put("riskgrid_accounts_per_s", Math.round(f.accounts() / f.riskgrid().median()));
    m.put("grouping_path", f.groupingPath());
    m.put("repeat", f.riskgrid().seconds().size());
    m.put("floor_runs_s", f.floor().seconds());
    m.put("wide_floor_runs_s", f.wideFloor().seconds());
    m.put("riskgrid_runs_s", f.riskgrid().seconds());
    m.put("scalar_runs_s", f.scalar() == null ? null : f.scalar().seconds());
    m.put("sql_runs_s", f.sql() == null ? null : f.sql().seconds());
    m.put("without_liquidation_runs_s", f.withoutLiquidation() == null ? null : f.withoutLiquidation().seconds());
    m.put("stress_runs_s", f.stress() == null ? null : f.stress().seconds());
    m.put("generate_s", f.generatedSeconds() == null ? null : round(f.generatedSeconds()));
    m.put("gc_runs_s", byRun(f.jvm(), BenchJob.JvmCosts::gcSeconds));
    m.put("jit_runs_s", byRun(f.jvm(), BenchJob.JvmCosts::jitSeconds));
    m.put("generated_classes_runs", byRun(f.jvm(), BenchJob.JvmCosts::generatedClasses));
    Map<String, Object> tables = new LinkedHashMap<>();
    f.tablesBefore().forEach((name, d) -> tables.put(name, d == null ? null
        : Map.of("version", d.version(), "files", d.files(), "bytes", d.bytes())));
    m.put("tables_before", tables);
    Warehouse.Detail margins = f.tablesBefore().get("margins");
    m.put("fresh_outputs", margins == null || margins.files() == 0);
    m.put("peak_heap_mb", f.peakHeapBytes() >> 20);
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    m.put("cores", f.cores());
    m.put("target_ratio_vs_floor", TARGET_RATIO_VS_FLOOR);
    m.put("target_speedup_vs_sql", TARGET_SPEEDUP_VS_SQL);
    return m;
  }

  private static void printTable(BenchJob.Figures f, PrintStream out) {
    out.printf("%nriskgrid bench: %,d accounts, %,d positions, %s (%d scenarios per underlying, %d columns), %d cores, %s grouping%n",
        f.accounts(), f.positions(), f.policy(), f.scenariosPerUnderlying(), f.scenarioColumns(), f.cores(), f.groupingPath());
    out.printf("%-28s %10s %14s   %s%n", "run", "median s", "accounts/s", "runs (s)");
    row(out, "I/O floor", f.floor(), f.accounts());
    row(out, "I/O floor, margins-wide row", f.wideFloor(), f.accounts());
    row(out, "riskgrid margin (simd)", f.riskgrid(), f.accounts());
    if (f.scalar() != null) {
      row(out, "riskgrid margin (scalar)", f.scalar(), f.accounts());
    }
    if (f.withoutLiquidation() != null) {
      row(out, "margin without liquidation", f.withoutLiquidation(), f.accounts());
    }
    if (f.stress() != null) {
      row(out, "riskgrid stress " + f.stressSet(), f.stress(), f.accounts());
    }
    if (f.sql() != null) {
      row(out, "Spark SQL formulation", f.sql(), f.accounts());
    } else {
      out.printf("%-28s skipped: %s%n", "Spark SQL formulation", f.sqlSkipped());
    }
    out.printf("%nratio vs I/O floor   %.2f  (target <= %.2f: %s)%n", f.ratioVsFloor(), TARGET_RATIO_VS_FLOOR,
        f.ratioVsFloor() <= TARGET_RATIO_VS_FLOOR ? "met" : "MISSED");
    out.printf("ratio vs wide floor  %.2f  (the engine's cost over Spark and Delta writing the same row)%n",
        f.ratioVsWideFloor());
    if (f.speedupVsSql() != null) {
      out.printf("speedup vs SQL       %.1fx (target >= %.0fx: %s)%n", f.speedupVsSql(), TARGET_SPEEDUP_VS_SQL,
          f.speedupVsSql() >= TARGET_SPEEDUP_VS_SQL ? "met" : "MISSED");
      out.printf("results equal        %s (%,d accounts compared, %,d differ; worst |a-b| = %.3g x tolerance)%n",
          f.resultsEqual(), f.agreement().accountsCompared(), f.agreement().accountsDiffering(), f.agreement().worstExcess());
    }
    if (f.speedupVsScalar() != null) {
      out.printf("simd vs scalar run   %.2fx%n", f.speedupVsScalar());
    }
    if (f.liquidationCostRatio() != null) {
      out.printf("liquidation cost     %.2fx the run without (target <= 1.30: %s)%n", f.liquidationCostRatio(),
          f.liquidationCostRatio() <= 1.30 ? "met" : "MISSED");
    }
    out.printf("peak heap            %,d MB of %,d MB%n", f.peakHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    f.tablesBefore().forEach((name, d) -> out.printf("%-20s %s%n", name + " before", d == null ? "absent (fresh)"
        : String.format(java.util.Locale.ROOT, "version %d, %,d files, %,d MB", d.version(), d.files(), d.bytes() >> 20)));
    f.jvm().forEach((run, c) -> out.printf("%-20s GC %s s, JIT %s s, generated classes %s%n", run, c.gcSeconds(),
        c.jitSeconds(), c.generatedClasses()));
  }

  /** One of {@link BenchJob.JvmCosts}' lists for every run, in the order the runs were timed. */
  private static Map<String, List<?>> byRun(Map<String, BenchJob.JvmCosts> jvm,
      Function<BenchJob.JvmCosts, List<?>> list) {
    Map<String, List<?>> m = new LinkedHashMap<>();
    jvm.forEach((run, c) -> m.put(run, list.apply(c)));
    return m;
  }

  private static void row(PrintStream out, String name, BenchJob.Timing t, long accounts) {
    out.printf("%-28s %10.2f %,14d   %s%n", name, t.median(), Math.round(accounts / t.median()), BenchJob.roundedRuns(t));
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
