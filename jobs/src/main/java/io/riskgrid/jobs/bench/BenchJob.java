package io.riskgrid.jobs.bench;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code riskgrid bench} (DESIGN §6): on one generated exchange, in one process, the I/O floor, the
 * margin run with the simd kernel and with the scalar kernel, and the straightforward Spark SQL
 * formulation, each repeated with the median reported; then the §3.4 agreement of the SQL margins with
 * riskgrid's for every margined account.
 */
public final class BenchJob {
  private BenchJob() {}

  /**
   * What to run. {@code sqlMaxAccounts}: above it the SQL formulation is skipped (DESIGN measures it up to
   * 1M). {@code liquidationCost}: also time the simd margin run without liquidation distances and curve
   * (DESIGN §7.5 bounds their cost at 1.3× the run without them). {@code stressSet}: also time
   * {@code stress --set} with it under the bench's policy and the simd kernel (null: no stress run).
   */
  public record Options(long accounts, long seed, LocalDate asOf, MarginPolicy policy, int repeat, boolean regenerate,
      long sqlMaxAccounts, boolean skipScalar, boolean liquidationCost, String stressSet) {
    public Options {
      if (accounts < 1 || repeat < 1) {
        throw new IllegalArgumentException("--accounts and --repeat must be >= 1, got " + accounts + " and " + repeat);
      }
      if (stressSet != null && stressSet.isBlank()) {
        throw new IllegalArgumentException("--stress needs a set name, e.g. hist-1d");
      }
    }
  }

  /** Seconds of every repetition of one run, and its median. */
  public record Timing(List<Double> seconds) {
    public double median() {
      double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = s.length;
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
  }

  /**
   * The figures of one bench. {@code sql} and {@code agreement} are null when the SQL formulation was
   * skipped, {@code scalar} when the scalar run was; {@code generatedSeconds} is null when the exchange was reused;
   * {@code withoutLiquidation} (the simd run without liquidation distances) is null unless asked for;
   * {@code tablesBefore}: version, files and bytes of the inputs and of {@code margins} when the bench
   * started (null when absent; a fresh directory's margins has no files); {@code jvm}: what the JVM spent
   * besides the job in each repetition, by run name; {@code stress}: the {@code stress} runs of
   * {@code stressSet}, both null unless asked for.
   */
  public record Figures(long accounts, long positions, int scenariosPerUnderlying, int scenarioColumns, String policy,
      String groupingPath, Double generatedSeconds, Timing floor, Timing wideFloor, Timing riskgrid, Timing scalar, Timing sql,
      MarginAgreement.Comparison agreement, String sqlSkipped, long peakHeapBytes, int cores, Timing withoutLiquidation,
      Map<String, Warehouse.Detail> tablesBefore, Map<String, JvmCosts> jvm, String stressSet, Timing stress) {

    public double ratioVsFloor() {
      return riskgrid.median() / floor.median();
    }

    /** The margin run over the wide floor, which writes a {@code margins}-wide row the same way. */
    public double ratioVsWideFloor() {
      return riskgrid.median() / wideFloor.median();
    }

    public Double speedupVsSql() {
      return sql == null ? null : sql.median() / riskgrid.median();
    }

    /** The margin run over the same run without liquidation distances and curve; null when not measured. */
    public Double liquidationCostRatio() {
      return withoutLiquidation == null ? null : riskgrid.median() / withoutLiquidation.median();
    }

    public Double speedupVsScalar() {
      return scalar == null ? null : scalar.median() / riskgrid.median();
    }

    /** True when every margined account agrees; null when the SQL formulation did not run. */
    public Boolean resultsEqual() {
      return agreement == null ? null : agreement.agree();
    }
  }

  /**
   * What the JVM spent besides the job in each repetition of one run (in local mode the driver's JVM is
   * the executors' too): garbage collection, seconds; JIT compilation, seconds summed over the compiler
   * threads (so up to cores × the run's wall time; null where the JVM does not measure it); and the
   * classes Spark's code generator compiled with Janino. A repetition whose JIT seconds or generated
   * classes stay high is not warm yet, and its time says more about the JVM than about the job.
   */
  public record JvmCosts(List<Double> gcSeconds, List<Double> jitSeconds, List<Long> generatedClasses) {
    JvmCosts() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  public static Figures run(SparkSession spark, Warehouse warehouse, Options o, PrintStream log) {
    Double generated = null;
    if (o.regenerate() || !hasExchange(warehouse, o.asOf(), o.accounts())) {
      log.printf("generating %,d accounts for %s (seed %d) ...%n", o.accounts(), o.asOf(), o.seed());
      long t = System.nanoTime();
      GenerateJob.run(spark, warehouse, o.asOf(), o.accounts(), o.seed(), o.policy(), SimdKernel.INSTANCE);
      generated = seconds(t);
    } else {
      log.printf("reusing the %,d accounts already in %s for %s%n", o.accounts(), warehouse.location(), o.asOf());
    }
    if (o.stressSet() != null) {
      // An unknown set name fails here, not after the first repetition's other runs.
      try {
        StressJob.resolveSet(o.stressSet(), o.policy(), MarketTables.readSnapshot(warehouse, o.asOf()));
      } catch (InvalidInputException e) {
        throw e.about("--stress");
      }
    }
    long positions = warehouse.read(InputTables.POSITIONS, o.asOf()).count();
    Map<String, Warehouse.Detail> tablesBefore = new LinkedHashMap<>();
    for (Table t : List.of(InputTables.ACCOUNTS, InputTables.POSITIONS, InputTables.COLLATERAL, OutputTables.MARGINS)) {
      tablesBefore.put(t.name(), warehouse.exists(t) ? warehouse.detail(t) : null);
    }
    Map<String, JvmCosts> jvm = new LinkedHashMap<>();
    String scratch = warehouse.location() + "/_bench";
    boolean sqlRuns = o.accounts() <= o.sqlMaxAccounts();
    List<Double> floor = new ArrayList<>();
    List<Double> wideFloor = new ArrayList<>();
    List<Double> simd = new ArrayList<>();
    List<Double> scalar = new ArrayList<>();
    List<Double> sql = new ArrayList<>();
    List<Double> withoutLiquidation = new ArrayList<>();
    List<Double> stress = new ArrayList<>();
    String[] grouping = new String[1];
    InstrumentBook[] book = new InstrumentBook[1];
    long peak = 0;
    for (int r = 1; r <= o.repeat(); r++) {
      // Each repetition runs all of them in the same order; simd goes last of the margin runs so that the
      // margins table the agreement reads is the simd run's.
      peak = Math.max(peak, timed(log, "floor", r, floor, jvm, () -> {
        grouping[0] = IoFloorJob.run(spark, warehouse, o.asOf(), scratch + "/floor").groupingPath();
        return null;
      }));
      peak = Math.max(peak, timed(log, "floor wide", r, wideFloor, jvm,
          () -> IoFloorJob.runWide(spark, warehouse, o.asOf(), scratch + "/floor_wide")));
      if (!o.skipScalar()) {
        peak = Math.max(peak, timed(log, "margin scalar", r, scalar, jvm,
            () -> MarginJob.run(spark, warehouse, o.asOf(), o.policy(), Kernels.select("scalar"), false)));
      }
      if (o.liquidationCost()) {
        peak = Math.max(peak, timed(log, "margin no-liq", r, withoutLiquidation, jvm, () -> MarginJob.run(spark, warehouse,
            o.asOf(), o.policy(), Kernels.select("simd"), MarginJob.Options.DEFAULT.withLiquidation(false))));
      }
      peak = Math.max(peak, timed(log, "margin simd", r, simd, jvm, () -> {
        book[0] = MarginJob.run(spark, warehouse, o.asOf(), o.policy(), Kernels.select("simd"), false).book();
        return null;
      }));
      if (o.stressSet() != null) {
        peak = Math.max(peak, timed(log, "stress " + o.stressSet(), r, stress, jvm, () -> StressJob.runSet(spark, warehouse,
            o.asOf(), o.policy(), o.stressSet(), Kernels.select("simd"))));
      }
      if (sqlRuns) {
        peak = Math.max(peak, timed(log, "spark sql", r, sql, jvm, () -> {
          runSql(spark, warehouse, o, scratch + "/sql_margins");
          return null;
        }));
      }
    }
    MarginAgreement.Comparison agreement = null;
    String skipped = null;
    if (sqlRuns) {
      agreement = MarginAgreement.compare(MarginSlices.read(warehouse, o.asOf(), o.policy().name()),
          spark.read().format("delta").load(scratch + "/sql_margins"));
    } else {
      skipped = o.accounts() + " accounts is more than --sql-max-accounts " + o.sqlMaxAccounts();
    }
    int perUnderlying = 0;
    for (int u = 0; u < book[0].valued().underlyings().size(); u++) {
      perUnderlying = Math.max(perUnderlying, book[0].valued().grid(u).size());
    }
    return new Figures(o.accounts(), positions, perUnderlying, book[0].valued().pnl().width(), o.policy().name(), grouping[0],
        generated, new Timing(floor), new Timing(wideFloor), new Timing(simd), o.skipScalar() ? null : new Timing(scalar), sqlRuns ? new Timing(sql) : null, agreement,
        skipped, peak, Runtime.getRuntime().availableProcessors(), o.liquidationCost() ? new Timing(withoutLiquidation) : null,
        tablesBefore, jvm, o.stressSet(), o.stressSet() == null ? null : new Timing(stress));
  }

  /** The SQL formulation end to end: market read and stage 1 (its P&L table), the query, a Delta write. */
  private static void runSql(SparkSession spark, Warehouse warehouse, Options o, String path) {
    InstrumentBook book = StageOne.book(MarketTables.read(warehouse, o.asOf()), o.policy(), SimdKernel.INSTANCE);
    SqlMarginFormulation.margins(spark, warehouse, o.asOf(), o.policy(), book)
        .write().format("delta").mode(SaveMode.Overwrite).save(path);
  }

  private static boolean hasExchange(Warehouse warehouse, LocalDate asOf, long accounts) {
    return warehouse.exists(InputTables.ACCOUNTS) && warehouse.exists(InputTables.POSITIONS)
        && warehouse.exists(InputTables.COLLATERAL) && warehouse.exists(InputTables.MARKET_UNDERLYINGS)
        && warehouse.read(InputTables.ACCOUNTS, asOf).count() == accounts;
  }

  /**
   * Runs {@code body}, appends its seconds to {@code into} and its {@link JvmCosts} to {@code jvm} under
   * {@code name}, logs them; returns the peak heap it used.
   */
  private static long timed(PrintStream log, String name, int repetition, List<Double> into, Map<String, JvmCosts> jvm,
      Supplier<?> body) {
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long gcBefore = gcMillis();
    long jitBefore = jitMillis();
    long classesBefore = generatedClasses();
    long t = System.nanoTime();
    body.get();
    double s = seconds(t);
    double gcSeconds = (gcMillis() - gcBefore) / 1000.0;
    Double jitSeconds = jitBefore < 0 ? null : (jitMillis() - jitBefore) / 1000.0;
    long classes = generatedClasses() - classesBefore;
    into.add(s);
    JvmCosts costs = jvm.computeIfAbsent(name, k -> new JvmCosts());
    costs.gcSeconds().add(gcSeconds);
    costs.jitSeconds().add(jitSeconds);
    costs.generatedClasses().add(classes);
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    log.printf("  %-14s run %d: %8.2f s  (GC %.2f s, JIT %s s, %d generated classes, peak heap %,d MB)%n", name, repetition,
        s, gcSeconds, jitSeconds == null ? "?" : String.format(java.util.Locale.ROOT, "%.2f", jitSeconds), classes, peak >> 20);
    return peak;
  }

  /** Total JIT compilation time of this JVM so far, milliseconds over all compiler threads; -1 if not measured. */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit == null || !jit.isCompilationTimeMonitoringSupported() ? -1 : jit.getTotalCompilationTime();
  }

  /** Classes Spark's code generator has compiled in this JVM so far (each cache miss is one). */
  private static long generatedClasses() {
    return CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
  }

  /** Total collection time of every garbage collector of this JVM so far, milliseconds. */
  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Each run's seconds rounded to 0.01, for the printed table. */
  static String roundedRuns(Timing t) {
    return Arrays.toString(t.seconds().stream().mapToDouble(Double::doubleValue).map(x -> Math.round(x * 100) / 100.0).toArray());
  }
}
