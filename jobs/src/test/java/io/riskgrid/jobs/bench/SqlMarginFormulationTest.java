package io.riskgrid.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL formulation against a real margin run: a generated exchange (USD and coin accounts, linear
 * and inverse instruments, option sellers, STANDARD accounts, coin collateral) plus hand-made accounts
 * for the collateral rules, on local Spark and Delta tables in a temp folder. Every account riskgrid
 * margins must agree under DESIGN §3.4, and the comparison must catch a perturbed or missing account.
 */
class SqlMarginFormulationTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  private static final MarginPolicy POLICY = PolicyLoader.preset("deribit-like");
  private static final long GENERATED_ACCOUNTS = 2_000;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Dataset<Row> riskgrid;
  private static Dataset<Row> sql;

  @BeforeAll
  static void generateMarginAndFormulate() throws Exception {
    spark = SparkSessions.getOrCreate("sql-margin-formulation-test", Map.of("spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false",
        "spark.databricks.delta.snapshotPartitions", "2"));
    warehouse = Warehouse.at(spark, Files.createTempDirectory("riskgrid-sql-formulation-test").toString());
    GenerateJob.run(spark, warehouse, AS_OF, GENERATED_ACCOUNTS, 11, POLICY, SimdKernel.INSTANCE);
    addHandMadeAccounts();
    MarginJob.Result run = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    riskgrid = warehouse.read(OutputTables.MARGINS, AS_OF).cache();
    sql = SqlMarginFormulation.margins(spark, warehouse, AS_OF, POLICY, run.book()).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * A coin loan next to haircut coin collateral, collateral-only USD and coin accounts, a negative
   * stablecoin balance, and an account REJECTED for an unknown instrument (which is not compared).
   */
  private static void addHandMadeAccounts() {
    Date d = Date.valueOf(AS_OF);
    warehouse.append(spark.createDataFrame(List.of(
        RowFactory.create(d, "X-LOAN", null, "PORTFOLIO", "USD"),
        RowFactory.create(d, "X-SOL-ONLY", null, "PORTFOLIO", "usd "),
        RowFactory.create(d, "X-BTC-COIN-ONLY", null, "PORTFOLIO", "BTC"),
        RowFactory.create(d, "X-REJECTED", null, "PORTFOLIO", "USD")), InputTables.ACCOUNTS.schema()), InputTables.ACCOUNTS);
    warehouse.append(spark.createDataFrame(List.of(
        RowFactory.create(d, "X-LOAN", "BTC", -0.5),
        RowFactory.create(d, "X-LOAN", "eth", 10.0),
        RowFactory.create(d, "X-LOAN", "USDT", -2_000.0),
        RowFactory.create(d, "X-LOAN", "USDC", 80_000.0),
        RowFactory.create(d, "X-SOL-ONLY", "SOL", 300.0),
        RowFactory.create(d, "X-SOL-ONLY", "BTC", 0.0),
        RowFactory.create(d, "X-BTC-COIN-ONLY", "BTC", 2.0),
        RowFactory.create(d, "X-REJECTED", "USDC", 1_000.0)), InputTables.COLLATERAL.schema()), InputTables.COLLATERAL);
    warehouse.append(spark.createDataFrame(List.of(
        RowFactory.create(d, "X-LOAN", "BTC_USDC-PERPETUAL", 3.0, 90_000.0),
        RowFactory.create(d, "X-REJECTED", "NO-SUCH-INSTRUMENT", 1.0, 100.0)), InputTables.POSITIONS.schema()),
        InputTables.POSITIONS);
  }

  private static Row riskgridRow(String accountId) {
    return riskgrid.filter(col("account_id").equalTo(accountId)).first();
  }

  @Test
  void everyAccountRiskgridMarginsAgreesOnPortfolioMmAndIm() {
    MarginAgreement.Comparison c = SqlMarginFormulation.compare(riskgrid, sql);
    long valid = riskgrid.filter("status not in ('REJECTED', 'DATA_ERROR')").count();
    assertEquals(valid, c.accountsCompared());
    assertTrue(valid >= GENERATED_ACCOUNTS, "the generated and hand-made accounts are valid: " + valid);
    assertEquals(0, c.accountsMissing(), c.worstExample());
    assertEquals(0, c.accountsDiffering(), c.worstExample());
    assertTrue(c.agree());
    assertTrue(c.worstExcess() <= 1, c.worstExample());
    System.out.println("SQL formulation vs riskgrid: " + c);
    assertEquals("REJECTED", riskgridRow("X-REJECTED").getAs("status"), "invalid accounts exist and are left out");
    assertEquals(GENERATED_ACCOUNTS + 4, sql.count(), "one SQL row per input account");
  }

  /** The agreement above covers every rule only if the exchange exercises it: check that it does. */
  @Test
  void theComparedExchangeExercisesEveryRule() {
    Dataset<Row> margined = riskgrid.filter("status not in ('REJECTED', 'DATA_ERROR') and pm_mm > 0");
    assertTrue(margined.filter("margin_currency <> 'USD'").count() > 50, "coin accounts");
    assertTrue(margined.filter("margin_mode = 'STANDARD'").count() > 20, "STANDARD accounts");
    assertTrue(margined.filter("margin_currency = 'USD' and size(by_underlying) > 1").count() > 0,
        "USD accounts with coin collateral in another underlying than their positions");
    assertTrue(margined.selectExpr("sum(size(filter(by_underlying, u -> u.c_opt > 0)))").first().getLong(0) > 50,
        "option contingency");
    assertTrue(margined.selectExpr("sum(size(filter(by_underlying, u -> u.c_fut > 0)))").first().getLong(0) > 50,
        "futures contingency");
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, AS_OF).join(warehouse.read(InputTables.INSTRUMENTS), "instrument_id");
    assertTrue(positions.filter("settlement = 'INVERSE' and kind = 'OPTION' and quantity < 0").count() > 50, "inverse option sellers");
    assertTrue(positions.filter("settlement = 'INVERSE' and kind <> 'OPTION'").count() > 50, "inverse futures and perpetuals");
    assertTrue(positions.filter("settlement = 'LINEAR' and kind = 'OPTION' and quantity < 0").count() > 50, "linear option sellers");
    assertTrue(warehouse.read(InputTables.COLLATERAL, AS_OF).filter("asset in ('BTC', 'ETH', 'SOL')")
        .join(warehouse.read(InputTables.ACCOUNTS, AS_OF).filter("margin_currency = 'USD'"), "account_id").count() > 20,
        "coin collateral in USD accounts");
    for (String id : new String[] {"X-LOAN", "X-SOL-ONLY", "X-BTC-COIN-ONLY"}) {
      assertFalse(List.of("REJECTED", "DATA_ERROR").contains(riskgridRow(id).<String>getAs("status")), id);
    }
    assertTrue(riskgridRow("X-SOL-ONLY").<Double>getAs("pm_mm") > 0, "collateral alone carries price risk");
    assertEquals(0.0, riskgridRow("X-BTC-COIN-ONLY").<Double>getAs("pm_mm"), "a coin account's own coin has no risk array");
  }

  @Test
  void aPerturbationBeyondTheToleranceIsCaughtAndOneWithinItIsNot() {
    Row target = sql.join(riskgrid.filter("status = 'OK' and pm_mm > 0").select("account_id"), "account_id")
        .orderBy("account_id").first();
    String id = target.getAs("account_id");
    double mm = target.getAs("pm_mm");
    double tolerance = 1e-9 * Math.abs(mm) + 1e-9 * target.<Double>getAs("notional");

    MarginAgreement.Comparison beyond = SqlMarginFormulation.compare(riskgrid, perturbMm(id, 4 * tolerance));
    assertEquals(1, beyond.accountsDiffering(), beyond.worstExample());
    assertEquals(0, beyond.accountsMissing());
    assertTrue(beyond.worstExample().contains(id), beyond.worstExample());
    assertFalse(beyond.agree());

    MarginAgreement.Comparison within = SqlMarginFormulation.compare(riskgrid, perturbMm(id, 0.25 * tolerance));
    assertEquals(0, within.accountsDiffering(), within.worstExample());
  }

  @Test
  void anAccountMissingFromTheSqlSideDiffers() {
    String id = riskgrid.filter("status = 'OK' and pm_mm > 0").orderBy("account_id").first().getAs("account_id");
    MarginAgreement.Comparison c = SqlMarginFormulation.compare(riskgrid, sql.filter(col("account_id").notEqual(id)));
    assertEquals(1, c.accountsMissing());
    assertEquals(1, c.accountsDiffering());
    assertTrue(c.worstExample().contains(id) && c.worstExample().contains("missing"), c.worstExample());

    MarginAgreement.Comparison nan = SqlMarginFormulation.compare(riskgrid,
        sql.withColumn("pm_im", when(col("account_id").equalTo(id), Double.NaN).otherwise(col("pm_im"))));
    assertEquals(1, nan.accountsDiffering(), "a NaN figure never agrees");
  }

  /** The SQL margins with {@code delta} added to one account's pm_mm only (pm_im untouched). */
  private static Dataset<Row> perturbMm(String accountId, double delta) {
    return sql.withColumn("pm_mm", when(col("account_id").equalTo(accountId), col("pm_mm").plus(delta)).otherwise(col("pm_mm")));
  }
}
