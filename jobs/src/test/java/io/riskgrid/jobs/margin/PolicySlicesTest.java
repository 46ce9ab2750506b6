package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.riskgrid.InvalidInputException;
import io.riskgrid.jobs.explain.Explainer;
import io.riskgrid.jobs.explain.Explanation;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two policies margined on one date (DESIGN §7.4): both slices are kept, each with one row per account, a
 * rerun of one replaces only its own, and readers that need one policy choose it or say which exist.
 */
class PolicySlicesTest {
  private static final LocalDate AS_OF = TwoPolicyBook.AS_OF;
  private static final MarginPolicy SEED = TwoPolicyBook.SEED;
  private static final MarginPolicy DERIBIT = TwoPolicyBook.DERIBIT;
  private static final long ACCOUNTS = TwoPolicyBook.ACCOUNTS;
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static MarginJob.Result deribit;

  @BeforeAll
  static void marginTwice() throws Exception {
    TwoPolicyBook book = TwoPolicyBook.start("policy-slices-test", 5);
    spark = book.spark();
    warehouse = book.warehouse();
    deribit = book.deribit();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Rows of the slice by run id. */
  private static Map<String, Long> runsOf(MarginPolicy policy) {
    Map<String, Long> runs = new java.util.TreeMap<>();
    for (Row r : MarginSlices.read(warehouse, AS_OF, policy.name()).groupBy("run_id").count().collectAsList()) {
      runs.put(r.getString(0), r.getLong(1));
    }
    return runs;
  }

  @Test
  void bothPoliciesKeepOneRowPerAccountOnTheDate() {
    assertEquals(List.of("deribit-like", "seed-default"), MarginSlices.policies(warehouse, AS_OF));
    assertEquals(2 * ACCOUNTS, warehouse.read(OutputTables.MARGINS, AS_OF).count());
    assertEquals(ACCOUNTS, warehouse.read(OutputTables.MARGINS, AS_OF).select("account_id").distinct().count());
    assertEquals(Map.of(deribit.runId(), ACCOUNTS), runsOf(DERIBIT));
    for (MarginPolicy p : List.of(SEED, DERIBIT)) {
      List<Row> hashes = MarginSlices.read(warehouse, AS_OF, p.name()).select("policy_hash").distinct().collectAsList();
      assertEquals(List.of(p.hash()), hashes.stream().map(r -> r.getString(0)).toList(), p.name());
    }
    // Two real slices, not one copied: the deribit-like grid (35 scenarios) gives other margins than seed-default.
    double seedMm = MarginSlices.read(warehouse, AS_OF, SEED.name()).agg(org.apache.spark.sql.functions.sum("pm_mm")).first().getDouble(0);
    double deribitMm = MarginSlices.read(warehouse, AS_OF, DERIBIT.name()).agg(org.apache.spark.sql.functions.sum("pm_mm")).first().getDouble(0);
    assertNotEquals(seedMm, deribitMm);
  }

  @Test
  void aRerunOfOnePolicyReplacesOnlyItsSlice() {
    List<Row> deribitBefore = MarginSlices.read(warehouse, AS_OF, DERIBIT.name()).orderBy("account_id").collectAsList();
    MarginJob.Result again = MarginJob.run(spark, warehouse, AS_OF, SEED, Kernels.select("scalar"), false);
    assertEquals(ACCOUNTS, again.marginsOut(), "the run counts its own slice");
    assertEquals(Map.of(again.runId(), ACCOUNTS), runsOf(SEED));
    assertEquals(deribitBefore, MarginSlices.read(warehouse, AS_OF, DERIBIT.name()).orderBy("account_id").collectAsList());
    assertEquals(2 * ACCOUNTS, warehouse.read(OutputTables.MARGINS, AS_OF).count());
  }

  @Test
  void aReaderWithoutAChoiceNamesThePoliciesFound() {
    InvalidInputException several = assertThrows(InvalidInputException.class,
        () -> MarginSlices.choose(warehouse, AS_OF, null, "--policy"));
    assertTrue(several.getMessage().contains("2 policies [deribit-like, seed-default]: choose one with --policy"),
        several.getMessage());
    InvalidInputException absent = assertThrows(InvalidInputException.class,
        () -> MarginSlices.choose(warehouse, AS_OF, "span16", "--policy"));
    assertTrue(absent.getMessage().contains("no margins of policy 'span16' for 2026-01-05; the date has "
        + "[deribit-like, seed-default]"), absent.getMessage());
    assertEquals("deribit-like", MarginSlices.choose(warehouse, AS_OF, "deribit-like", "--policy"));
    InvalidInputException noDate = assertThrows(InvalidInputException.class,
        () -> MarginSlices.choose(warehouse, AS_OF.plusDays(1), null, "--policy"));
    assertTrue(noDate.getMessage().contains("no margins for 2026-01-06"), noDate.getMessage());
    assertEquals("seed-default", MarginSlices.choose(List.of("seed-default"), AS_OF, null, "--policy"), "the only one");
  }

  @Test
  void explainPicksTheRowOfTheChosenPolicy() {
    Row row = MarginSlices.read(warehouse, AS_OF, DERIBIT.name()).filter(col("pm_mm").gt(0)).orderBy("account_id").first();
    String id = row.getAs("account_id");
    Explainer explainer = new Explainer(warehouse, ScalarKernel.INSTANCE);
    InvalidInputException ambiguous = assertThrows(InvalidInputException.class,
        () -> explainer.explain(id, AS_OF, null, false));
    assertTrue(ambiguous.getMessage().contains("[deribit-like, seed-default]"), ambiguous.getMessage());
    Explanation x = explainer.explain(id, AS_OF, "deribit-like", false);
    assertEquals((Double) row.getAs("im"), x.row().im());
    assertEquals((String) row.getAs("run_id"), x.runId());
    assertTrue(x.policy().matchesRun(), "recomputed with the row's own policy");
  }
}
