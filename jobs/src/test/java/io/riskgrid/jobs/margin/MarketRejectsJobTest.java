package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 on a generated exchange: a spoiled market row is named once in {@code rejects}, not once per
 * position it touches, while exactly the accounts touching it (found here by a join of the inputs) are
 * DATA_ERROR; an instrument multiplier of 1e308 makes its holders DATA_ERROR naming the multiplier, and no
 * table gets Infinity or NaN.
 */
class MarketRejectsJobTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static String hugeInstrument;
  private static String duplicated;

  @BeforeAll
  static void spoilAndMargin() throws Exception {
    spark = SparkSessions.getOrCreate("market-rejects-test", Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions",
        "2", "spark.default.parallelism", "2", "spark.ui.enabled", "false"));
    warehouse = Warehouse.at(spark, Files.createTempDirectory("riskgrid-market-rejects").toString());
    GenerateJob.run(spark, warehouse, AS_OF, 400, 11, POLICY, SimdKernel.INSTANCE);
    Dataset<Row> und = warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).localCheckpoint();
    warehouse.replaceSlice(und.withColumn("index_price", when(col("underlying").equalTo("SOL"), lit(-1.0))
        .otherwise(col("index_price"))), InputTables.MARKET_UNDERLYINGS, AS_OF);
    // The most held ETH linear instrument gets a multiplier of 1e308: a finite number that overflows.
    hugeInstrument = warehouse.read(InputTables.POSITIONS, AS_OF).join(warehouse.read(InputTables.INSTRUMENTS)
            .where("underlying = 'ETH' AND settlement = 'LINEAR'"), "instrument_id")
        .groupBy("instrument_id").count().orderBy(col("count").desc(), col("instrument_id")).first().getString(0);
    Dataset<Row> ins = warehouse.read(InputTables.INSTRUMENTS).localCheckpoint();
    warehouse.overwrite(ins.withColumn("multiplier", when(col("instrument_id").equalTo(hugeInstrument), lit(1e308))
        .otherwise(col("multiplier"))), InputTables.INSTRUMENTS);
    // A second row for an account that touches neither: one account, REJECTED naming both rows.
    Set<String> btcOnly = ids(warehouse.read(InputTables.ACCOUNTS, AS_OF).where("margin_currency = 'BTC'"));
    duplicated = btcOnly.stream().sorted().findFirst().orElseThrow();
    warehouse.append(warehouse.read(InputTables.ACCOUNTS, AS_OF).where(col("account_id").equalTo(duplicated))
        .withColumn("margin_mode", lit("STANDARD")), InputTables.ACCOUNTS);
    MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Set<String> ids(Dataset<Row> rows) {
    return rows.select("account_id").distinct().collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  @Test
  void aSpoiledMarketRowIsNamedOnceAndExactlyItsAccountsAreDataError() {
    Dataset<Row> instruments = warehouse.read(InputTables.INSTRUMENTS);
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, AS_OF);
    Set<String> touching = ids(positions.join(instruments, "instrument_id")
        .where(col("underlying").equalTo("SOL").or(col("instrument_id").equalTo(hugeInstrument))));
    touching.addAll(ids(warehouse.read(InputTables.COLLATERAL, AS_OF).where("upper(trim(asset)) = 'SOL' AND quantity != 0")));
    touching.addAll(ids(warehouse.read(InputTables.ACCOUNTS, AS_OF).where("upper(trim(margin_currency)) = 'SOL'")));
    Dataset<Row> margins = warehouse.read(OutputTables.MARGINS, AS_OF);
    Set<String> dataErrors = ids(margins.where("status = 'DATA_ERROR'"));
    assertTrue(touching.size() > 20, "the generated book trades SOL and the huge instrument: " + touching.size());
    assertEquals(touching, dataErrors);
    List<Row> rejects = warehouse.read(OutputTables.REJECTS, AS_OF).collectAsList();
    List<Row> sol = rejects.stream().filter(r -> "SOL".equals(r.getAs("key"))).toList();
    assertEquals(1, sol.size(), "one row for the spoiled SOL index: " + sol);
    assertEquals("market_underlyings", sol.get(0).getAs("source_table"));
    assertTrue(rejects.size() < 50, "rejects name market problems, not every position: " + rejects.size());
    Row huge = rejects.stream().filter(r -> hugeInstrument.equals(r.getAs("key"))).findFirst().orElseThrow();
    assertTrue(((String) huge.getAs("reason")).contains("multiplier 1.0E308"), huge.toString());
    String reason = margins.where(col("account_id").isin(positions.where(col("instrument_id").equalTo(hugeInstrument))
        .select("account_id").first().getString(0))).first().getAs("reason");
    assertTrue(reason.contains(hugeInstrument) || reason.contains("SOL"), reason);
  }

  @Test
  void aRepeatedAccountIdIsOneRejectedAccountAndTheInvariantHolds() {
    Dataset<Row> margins = warehouse.read(OutputTables.MARGINS, AS_OF);
    List<Row> rejected = margins.where("status = 'REJECTED'").collectAsList();
    assertEquals(1, rejected.size(), rejected.toString());
    assertEquals(duplicated, rejected.get(0).getAs("account_id"));
    String reason = rejected.get(0).getAs("reason");
    assertTrue(reason.contains("has 2 rows in accounts") && reason.contains("STANDARD") && reason.contains("PORTFOLIO"), reason);
    assertEquals(warehouse.read(InputTables.ACCOUNTS, AS_OF).select("account_id").distinct().count(), margins.count());
    assertEquals(1, warehouse.read(OutputTables.REJECTS, AS_OF).where(col("key").equalTo(duplicated)).count());
    Row run = warehouse.read(OutputTables.RUNS).where("command = 'margin'").orderBy(col("started_at").desc()).first();
    Map<String, Long> counts = run.getJavaMap(run.fieldIndex("counts"));
    assertEquals(counts.get("accounts_in") + 1, counts.get("account_rows_in"), counts.toString());
  }

  @Test
  void noTableHoldsInfinityOrNaN() {
    Dataset<Row> margins = warehouse.read(OutputTables.MARGINS, AS_OF);
    for (String c : List.of("equity", "im", "mm", "pm_im", "pm_mm", "standard_im", "standard_mm", "liq_move_down",
        "liq_move_up")) {
      assertEquals(0, margins.where("isnan(" + c + ") OR abs(" + c + ") = double('Infinity')").count(), c);
    }
    Dataset<Row> exposures = warehouse.read(OutputTables.EXPOSURES, AS_OF);
    for (String c : List.of("net_delta", "gamma", "vega", "theta", "long_oi", "short_oi")) {
      assertEquals(0, exposures.where("isnan(" + c + ") OR abs(" + c + ") = double('Infinity')").count(), c);
    }
  }
}
