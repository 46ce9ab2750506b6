package io.riskgrid.jobs.compare;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.spark.RunRecord;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.StageTimer;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.spark.Where;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.Columns;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code riskgrid compare}: one book under two policies (DESIGN §7.4). Each policy's {@code margins} slice
 * of the date is reused when it was computed with the same policy hash on the current inputs, else the
 * margin run writes it; then the two slices are joined by account into {@code policy_comparison}, and the
 * figures a venue looks at before changing a parameter are aggregated in Spark (never per account on the
 * driver, except the few largest increases). Exchange totals are in USD, coin accounts converted at the
 * unshocked index (DESIGN §3.4).
 */
public final class CompareJob {
  private CompareJob() {}

  /** The quantiles of the IM change printed and returned, as fractions. */
  public static final double[] QUANTILES = {0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1};

  /** Where a policy's margins came from: reused from an earlier run, or computed by this compare. */
  public record Side(String policyName, String policyHash, String runId, boolean reused) {}

  /** Accounts whose status differs under the two policies, by (status under A, status under B). */
  public record Flip(String statusA, String statusB, long accounts) {}

  /** Portfolio IM (Σ MM_u × im_multiplier) of one underlying under each policy, USD. */
  public record UnderlyingTotal(String underlying, double imAUsd, double imBUsd) {}

  /** IM of the accounts of one margin currency under each policy, in that currency and in USD. */
  public record CurrencyTotal(String marginCurrency, long accounts, double imA, double imB, double imAUsd, double imBUsd) {}

  /** One account's IM under each policy, margin currency, and the change in USD. */
  public record Increase(String accountId, String marginCurrency, double imA, double imB, double changeUsd) {}

  /**
   * What the comparison found.
   *
   * @param changeQuantilesUsd IM(B) − IM(A) in USD at {@link #QUANTILES}, over the accounts with an IM under both
   * @param relativeQuantiles IM(B) / IM(A) − 1 at {@link #QUANTILES}, over the accounts with IM(A) > 0
   * @param withoutIm accounts with no IM under A or B (REJECTED or DATA_ERROR), left out of the quantiles
   */
  public record Result(String runId, LocalDate asOf, Side a, Side b, long accounts, long withoutIm,
      double[] changeQuantilesUsd, double[] relativeQuantiles, List<Flip> flips, List<UnderlyingTotal> byUnderlying,
      List<CurrencyTotal> byCurrency, List<Increase> largestIncreases) {}

  /**
   * @param top how many accounts with the largest IM increase to return
   * @throws InvalidInputException when the two policies share a name: slices are per name, so they could not coexist
   */
  public static Result run(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy a, MarginPolicy b,
      Kernels.Choice kernel, int top) {
    if (a.name().equals(b.name())) {
      throw new InvalidInputException("--policy", "both policies are named '" + a.name() + "'"
          + (a.hash().equals(b.hash()) ? ", and are the same policy" : " with different contents")
          + ": margins are kept per policy name, so compare two policies with different names");
    }
    if (top < 0) {
      throw new InvalidInputException("--top", "must be at least 0, got " + top);
    }
    RunRecord run = RunRecord.start("compare", asOf).policy(a.name() + " vs " + b.name(), a.hash() + " vs " + b.hash())
        .kernel(kernel.kernel().name(), kernel.reason()).config(a.hash() + "|" + b.hash());
    warehouse.ensureTables();
    StageTimer stages = StageTimer.of(run);
    Side sideA = stages.time("margins_a", () -> margins(spark, warehouse, asOf, a, kernel));
    Side sideB = stages.time("margins_b", () -> margins(spark, warehouse, asOf, b, kernel));
    Dataset<Row> rows = stages.time("write_comparison", () -> write(warehouse, asOf, run.runId(), sideA, sideB));
    Result result = stages.time("aggregate", () -> aggregate(warehouse, asOf, run.runId(), sideA, sideB, a, b, rows, top));
    run.count("accounts", result.accounts()).count("accounts_without_im", result.withoutIm())
        .count("reused_a", sideA.reused() ? 1 : 0).count("reused_b", sideB.reused() ? 1 : 0);
    run.finishAndAppend(warehouse, spark);
    stages.done(result.accounts());
    return result;
  }

  /**
   * The policy's margins slice of the date: reused when one run wrote it with the policy's hash on the
   * input versions of today (so the same inputs and policy), else computed now.
   */
  private static Side margins(SparkSession spark, Warehouse warehouse, LocalDate asOf, MarginPolicy policy,
      Kernels.Choice kernel) {
    List<Row> slice = MarginSlices.read(warehouse, asOf, policy.name()).select("run_id", "policy_hash").distinct()
        .collectAsList();
    if (slice.size() == 1 && policy.hash().equals(slice.get(0).getString(1))) {
      String runId = slice.get(0).getString(0);
      if (sameInputs(warehouse, runId)) {
        System.out.printf("%s: reusing the margins of run %s (same policy hash, same input versions)%n", policy.name(), runId);
        return new Side(policy.name(), policy.hash(), runId, true);
      }
      System.out.printf("%s: the margins of run %s were computed on other input versions; margining again%n",
          policy.name(), runId);
    } else if (!slice.isEmpty()) {
      System.out.printf("%s: the date's margins were computed with another version of the policy; margining again%n",
          policy.name());
    }
    MarginJob.Result r = MarginJob.run(spark, warehouse, asOf, policy, kernel, false);
    return new Side(policy.name(), policy.hash(), r.runId(), false);
  }

  /** Whether run {@code runId} read the margin inputs at the versions they have now ({@code scenario_sets} aside). */
  private static boolean sameInputs(Warehouse warehouse, String runId) {
    List<Row> runs = warehouse.read(OutputTables.RUNS).where(col("run_id").equalTo(lit(runId))).select("input_versions")
        .collectAsList();
    if (runs.size() != 1 || runs.get(0).isNullAt(0)) {
      return false;
    }
    Map<String, Long> recorded = runs.get(0).getJavaMap(0);
    List<io.riskgrid.schemas.Table> read = InputTables.ALL.stream().filter(t -> t != InputTables.SCENARIO_SETS).toList();
    Map<String, Long> now = warehouse.versions(read);
    for (Map.Entry<String, Long> table : now.entrySet()) {
      if (!Objects.equals(recorded.get(table.getKey()), table.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The two slices joined by account, written as the (date, A, B) slice of {@code policy_comparison}. */
  private static Dataset<Row> write(Warehouse warehouse, LocalDate asOf, String runId, Side a, Side b) {
    Dataset<Row> ma = MarginSlices.read(warehouse, asOf, a.policyName()).select(col("account_id"),
        col("margin_currency"), col("im").as("im_a"), col("mm").as("mm_a"), col("status").as("status_a"),
        col("run_id").as("run_id_a"));
    Dataset<Row> mb = MarginSlices.read(warehouse, asOf, b.policyName()).select(col("account_id").as("account_id_b"),
        col("margin_currency").as("margin_currency_b"), col("im").as("im_b"), col("mm").as("mm_b"),
        col("status").as("status_b"), col("run_id").as("run_id_b"));
    Dataset<Row> joined = ma.join(mb, ma.col("account_id").equalTo(mb.col("account_id_b")), "full_outer");
    long unmatched = joined.filter(col("account_id").isNull().or(col("account_id_b").isNull())
        .or(not(col("margin_currency").eqNullSafe(col("margin_currency_b"))))).count();
    if (unmatched > 0) {
      throw new IllegalStateException(unmatched + " accounts of " + asOf + " are in one policy's margins but not the "
          + "other's (or changed margin currency): runs " + a.runId() + " and " + b.runId() + " margined different books; "
          + "rerun 'riskgrid margin --as-of " + asOf + " --policy P' for both");
    }
    Dataset<Row> rows = joined.select(lit(SparkValues.date(asOf)).as("as_of_date"), lit(runId).as("run_id"),
        lit(a.policyName()).as("policy_a"), lit(b.policyName()).as("policy_b"), col("account_id"),
        col("margin_currency"), col("im_a"), col("im_b"), col("mm_a"), col("mm_b"), col("status_a"), col("status_b"),
        col("run_id_a"), col("run_id_b"));
    warehouse.replaceWhere(rows, OutputTables.POLICY_COMPARISON, Where.equal(Columns.AS_OF_DATE, asOf)
        .and("policy_a", a.policyName()).and("policy_b", b.policyName()));
    return warehouse.read(OutputTables.POLICY_COMPARISON, asOf).where(col("run_id").equalTo(lit(runId)));
  }

  /** USD per unit of each margin currency: the unshocked index of a coin, 1 for USD. */
  private static Dataset<Row> usdPerUnit(Warehouse warehouse, LocalDate asOf) {
    return warehouse.read(InputTables.MARKET_UNDERLYINGS, asOf).select(col("underlying").as("ccy"),
        col("index_price").as("usd_per_unit"));
  }

  private static Result aggregate(Warehouse warehouse, LocalDate asOf, String runId, Side a, Side b,
      MarginPolicy pa, MarginPolicy pb, Dataset<Row> rows, int top) {
    Dataset<Row> index = usdPerUnit(warehouse, asOf);
    Column rate = coalesce(col("usd_per_unit"), lit(1.0));
    Dataset<Row> usd = rows.join(index, rows.col("margin_currency").equalTo(index.col("ccy")), "left")
        .withColumn("change_usd", col("im_b").minus(col("im_a")).multiply(rate))
        .withColumn("rate", rate).cache();
    try {
      Row counts = usd.agg(count(lit(1)), sum(when(col("im_a").isNull().or(col("im_b").isNull()), 1).otherwise(0)))
          .first();
      Dataset<Row> both = usd.filter(col("change_usd").isNotNull());
      double[] change = quantiles(both, col("change_usd"));
      double[] relative = quantiles(both.filter(col("im_a").gt(0)), col("im_b").divide(col("im_a")).minus(1));
      List<Flip> flips = new ArrayList<>();
      for (Row r : usd.filter(not(col("status_a").eqNullSafe(col("status_b")))).groupBy("status_a", "status_b").count()
          .orderBy(col("count").desc(), col("status_a"), col("status_b")).collectAsList()) {
        flips.add(new Flip(r.getString(0), r.getString(1), r.getLong(2)));
      }
      List<CurrencyTotal> byCurrency = new ArrayList<>();
      for (Row r : usd.groupBy("margin_currency").agg(count(lit(1)), sum("im_a"), sum("im_b"),
          sum(col("im_a").multiply(col("rate"))), sum(col("im_b").multiply(col("rate")))).orderBy("margin_currency")
          .collectAsList()) {
        byCurrency.add(new CurrencyTotal(r.getString(0), r.getLong(1), orZero(r, 2), orZero(r, 3), orZero(r, 4), orZero(r, 5)));
      }
      List<Increase> largest = new ArrayList<>();
      for (Row r : both.orderBy(col("change_usd").desc(), col("account_id")).limit(top)
          .select("account_id", "margin_currency", "im_a", "im_b", "change_usd").collectAsList()) {
        largest.add(new Increase(r.getString(0), r.getString(1), r.getDouble(2), r.getDouble(3), r.getDouble(4)));
      }
      return new Result(runId, asOf, a, b, counts.getLong(0), counts.getLong(1), change, relative, flips,
          underlyingTotals(warehouse, asOf, pa, pb, index), byCurrency, largest);
    } finally {
      usd.unpersist();
    }
  }

  private static double orZero(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getDouble(i);
  }

  /** Exact quantiles ({@code percentile}, interpolated) of {@code value}; NaN each when there are no rows. */
  private static double[] quantiles(Dataset<Row> rows, Column value) {
    Row r = rows.select(value.as("v")).agg(org.apache.spark.sql.functions.expr("percentile(v, array("
        + joined(QUANTILES) + "))")).first();
    double[] out = new double[QUANTILES.length];
    if (r.isNullAt(0)) {
      java.util.Arrays.fill(out, Double.NaN);
      return out;
    }
    List<Double> values = r.getList(0);
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static String joined(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(v);
    }
    return s.toString();
  }

  /**
   * Portfolio IM per underlying under each policy: Σ over accounts of MM_u × the policy's im_multiplier,
   * in USD, from {@code margins.by_underlying} of each slice (every account with a portfolio figure,
   * STANDARD ones included: their applicable IM is per position and has no per-underlying split).
   */
  private static List<UnderlyingTotal> underlyingTotals(Warehouse warehouse, LocalDate asOf, MarginPolicy a,
      MarginPolicy b, Dataset<Row> index) {
    Map<String, double[]> totals = new LinkedHashMap<>();
    MarginPolicy[] policies = {a, b};
    for (int side = 0; side < 2; side++) {
      Dataset<Row> u = MarginSlices.read(warehouse, asOf, policies[side].name())
          .select(col("margin_currency"), explode(col("by_underlying")).as("u"));
      for (Row r : u.join(index, u.col("margin_currency").equalTo(index.col("ccy")), "left")
          .groupBy(col("u.underlying")).agg(sum(col("u.mm").multiply(coalesce(col("usd_per_unit"), lit(1.0)))))
          .collectAsList()) {
        totals.computeIfAbsent(r.getString(0), k -> new double[2])[side] =
            (r.isNullAt(1) ? 0 : r.getDouble(1)) * policies[side].margin().imMultiplier();
      }
    }
    List<UnderlyingTotal> out = new ArrayList<>();
    totals.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.add(new UnderlyingTotal(e.getKey(), e.getValue()[0], e.getValue()[1])));
    return out;
  }
}
