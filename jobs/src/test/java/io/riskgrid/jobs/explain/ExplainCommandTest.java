package io.riskgrid.jobs.explain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riskgrid.jobs.Riskgrid;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.input.AccountInputs;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.spark.KeyLookup;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.valuation.StageOne;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.kernel.SimdKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.AccountMargin;
import io.riskgrid.margin.MarginCalculator;
import io.riskgrid.margin.Position;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code riskgrid explain} on a generated exchange margined by the real margin job (local Spark, Delta in a
 * temp folder, six files per table and date): the explanation shows its margins row, contributions sum to
 * each underlying's MM, incremental margins match a separate engine run without the position, lookups
 * skip files, and unknown ids and dates are exit code 2.
 */
class ExplainCommandTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);
  private static final MarginPolicy POLICY = PolicyLoader.preset("seed-default");
  private static final long ACCOUNTS = 1_200;
  /** Files per table and date: the generator writes one per partition, local mode one partition per core or more. */
  private static final int FILES = 6;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Warehouse warehouse;
  private static Path dir;

  @BeforeAll
  static void generateAndMargin() throws Exception {
    Map<String, String> conf = Map.of("spark.master", "local[2]", "spark.default.parallelism", Integer.toString(FILES),
        "spark.sql.shuffle.partitions", "2", "spark.ui.enabled", "false", "spark.databricks.delta.snapshotPartitions", "2");
    spark = SparkSessions.getOrCreate("explain-test", conf);
    if (spark.sparkContext().defaultParallelism() != FILES) {
      // A session left by another test class has its own parallelism, which sets the generator's files.
      spark.stop();
      spark = SparkSessions.getOrCreate("explain-test", conf);
    }
    dir = Files.createTempDirectory("riskgrid-explain-test");
    warehouse = Warehouse.at(spark, dir.toString());
    GenerateJob.run(spark, warehouse, AS_OF, ACCOUNTS, 11, POLICY, SimdKernel.INSTANCE);
    MarginJob.Result run = MarginJob.run(spark, warehouse, AS_OF, POLICY, Kernels.select("simd"), false);
    assertEquals("clustered", run.groupingPath(), "the generated layout is read without a shuffle");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Explanation explain(String accountId) {
    return new Explainer(warehouse, ScalarKernel.INSTANCE).explain(accountId, null, null, true);
  }

  private static Row marginsRow(String accountId) {
    return warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("account_id").equalTo(lit(accountId))).first();
  }

  /**
   * Margined accounts: the USD portfolio account with the largest pm_mm among those whose contributions
   * were cut to the top 5 and OTHER, the coin account with the largest pm_mm, and a STANDARD one.
   */
  private static List<String> sampleAccounts() {
    var margins = warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("pm_mm").gt(0));
    List<String> ids = new ArrayList<>();
    ids.add(margins.filter(col("margin_currency").equalTo("USD")).filter(col("margin_mode").equalTo("PORTFOLIO"))
        .filter("exists(by_underlying, u -> exists(u.contributions, c -> c.source = 'OTHER'))")
        .orderBy(col("pm_mm").desc()).first().<String>getAs("account_id"));
    ids.add(margins.filter(col("margin_currency").notEqual("USD")).orderBy(col("pm_mm").desc()).first().<String>getAs("account_id"));
    ids.add(margins.filter(col("margin_mode").equalTo("STANDARD")).orderBy(col("mm").desc()).first().<String>getAs("account_id"));
    return ids;
  }

  private static double contributionSum(Explanation.UnderlyingPart u) {
    return u.contributions().stream().mapToDouble(Explanation.ContributionPart::contribution).sum();
  }

  @Test
  void showsTheStatusImAndMmOfItsMarginsRowAndTheRecomputationAgrees() {
    for (String id : sampleAccounts()) {
      Row row = marginsRow(id);
      Explanation x = explain(id);
      assertEquals(AS_OF, x.asOf(), "the latest margined date by default");
      assertEquals(row.getAs("status"), x.row().status(), id);
      assertEquals((Double) row.getAs("im"), x.row().im(), id);
      assertEquals((Double) row.getAs("mm"), x.row().mm(), id);
      assertEquals((Double) row.getAs("equity"), x.row().equity(), id);
      assertEquals(row.getList(row.fieldIndex("by_underlying")).size(), x.underlyings().size(), id);
      assertTrue(x.recomputed().agrees(), id + ": " + x.warnings());
      assertEquals(List.of(), x.warnings(), id);
      assertTrue(x.policy().matchesRun());
      String text = ExplanationText.render(x);
      assertTrue(text.contains("status " + row.getAs("status")), text);
      assertTrue(text.contains(ExplanationText.amount(x.row().mm(), x.row().marginCurrency())), text);
      assertTrue(text.contains(ExplanationText.amount(x.row().im(), x.row().marginCurrency())), text);
      assertFalse(text.contains("WARNING"), text);
    }
  }

  @Test
  void contributionsShownSumToEachUnderlyingsMmAndBindingScenariosComeFromThePolicyGrid() {
    for (String id : sampleAccounts()) {
      for (Explanation.UnderlyingPart u : explain(id).underlyings()) {
        double scale = u.contributions().stream().mapToDouble(c -> Math.abs(c.contribution())).sum();
        assertEquals(u.mm(), contributionSum(u), 1e-9 * Math.max(Math.abs(u.mm()), scale) + 1e-12, id + " " + u.underlying());
        assertTrue(u.contributions().size() <= Explainer.TOP + 1, id + " " + u.contributions());
        if (u.scanLoss() > 0) {
          assertNotNull(u.move(), id + " " + u.bindingScenario());
          io.riskgrid.scenario.Scenario s = POLICY.gridFor(u.underlying()).scenarios().stream()
              .filter(sc -> sc.label().equals(u.bindingScenario())).findFirst().orElseThrow();
          assertEquals(s.priceShock(), u.move().priceShock());
          assertEquals(s.volShock(), u.move().volShock());
        }
      }
    }
  }

  @Test
  void incrementalMarginOfATopPositionIsMmMinusMmOfASeparateEngineRunWithoutIt() {
    // The independent side: the full book of the date (every instrument) and the account grouped by the shuffle path.
    MarginCalculator engine = new MarginCalculator(StageOne.book(MarketTables.read(warehouse, AS_OF), POLICY,
        ScalarKernel.INSTANCE), ScalarKernel.INSTANCE);
    int checked = 0;
    for (String id : sampleAccounts()) {
      Explanation x = explain(id);
      Account account = AccountInputs.toAccount(AccountInputs.read(warehouse, AS_OF).accounts()
          .filter(col("account_id").equalTo(lit(id))).first());
      AccountMargin all = engine.margin(account);
      for (Explanation.UnderlyingPart u : x.underlyings()) {
        for (Explanation.ContributionPart c : u.contributions()) {
          if (c.kind() != Explanation.Source.POSITION) {
            assertNull(c.incrementalMm(), c.toString());
            continue;
          }
          List<Position> without = account.positions().stream().filter(p -> !p.instrumentId().equals(c.source())).toList();
          assertTrue(without.size() < account.positions().size(), id + " holds " + c.source());
          AccountMargin rest = engine.margin(new Account(account.accountId(), account.parentId(), account.marginMode(),
              account.marginCurrency(), without, account.collateral()));
          double expected = all.mm() - rest.mm();
          double tolerance = 1e-9 * Math.max(Math.abs(all.mm()), Math.abs(rest.mm())) + 1e-9 * x.recomputed().notional();
          assertEquals(expected, c.incrementalMm(), tolerance, id + " without " + c.source());
          checked++;
        }
      }
    }
    assertTrue(checked >= 5, "incremental margins checked: " + checked);
  }

  @Test
  void eachLookupReadsOneFileOfTheDateNotTheTable() {
    String id = sampleAccounts().get(0);
    Explanation x = explain(id);
    assertEquals(List.of("margins", "accounts", "positions", "collateral"), List.copyOf(x.filesRead().keySet()));
    x.filesRead().forEach((table, f) -> {
      assertTrue(f.ofDate() >= FILES, table + " has " + f.ofDate() + " files for the date");
      assertTrue(f.read() >= 1 && f.read() < f.ofDate(), table + ": read " + f.read() + " of " + f.ofDate());
      assertEquals(1, f.read(), table + ": the generator puts every account wholly in one file");
    });
    // The same from Delta's planning: the filtered dataframe's input files, against the whole table's.
    for (Table t : List.of(OutputTables.MARGINS, InputTables.ACCOUNTS, InputTables.POSITIONS, InputTables.COLLATERAL)) {
      int planned = KeyLookup.matching(warehouse, t, AS_OF, "account_id", id).inputFiles().length;
      int table = warehouse.read(t).inputFiles().length;
      assertTrue(planned < table && planned == 1, t.name() + ": " + planned + " of " + table + " files planned");
    }
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Riskgrid());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("explain"));
    all.addAll(List.of(args));
    all.addAll(List.of("--warehouse", dir.toString()));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Cli(exit, out.toString(), err.toString());
  }

  @Test
  void unknownAccountOrDateIsExitCodeTwoNamingIt() {
    Cli unknown = cli("NO-SUCH-ACCOUNT", "--as-of", AS_OF.toString());
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(unknown.err().contains("NO-SUCH-ACCOUNT") && unknown.err().contains(AS_OF.toString()), unknown.err());
    Cli noDate = cli(sampleAccounts().get(0), "--as-of", "2026-01-06");
    assertEquals(2, noDate.exit(), noDate.err());
    assertTrue(noDate.err().contains("no margins for 2026-01-06"), noDate.err());
  }

  @Test
  void jsonParsesWithTheDocumentedFields() throws Exception {
    String id = sampleAccounts().get(0);
    Cli run = cli(id, "--json", "--count-files");
    assertEquals(0, run.exit(), run.err());
    JsonNode json = JSON.readTree(run.out());
    for (String f : List.of("account_id", "as_of_date", "run_id", "policy", "kernel", "margin_mode", "margin_currency",
        "status", "reason", "equity", "im", "mm", "pm_im", "pm_mm", "standard_im", "standard_mm", "pm_saving", "liq_move_down", "liq_move_up", "by_underlying",
        "collateral", "recomputed", "warnings", "files_read")) {
      assertTrue(json.has(f), f + " in " + run.out());
    }
    for (String f : List.of("name", "hash", "run_name", "run_hash", "matches_run")) {
      assertTrue(json.get("policy").has(f), "policy." + f);
    }
    JsonNode u = json.get("by_underlying").get(0);
    for (String f : List.of("underlying", "index_price", "scan_loss", "binding_scenario", "scenario", "c_opt", "c_fut", "som",
        "mm", "delta", "gamma", "vega", "theta", "contributions")) {
      assertTrue(u.has(f), "by_underlying." + f);
    }
    for (String f : List.of("label", "p", "v", "vol_mode", "h_days", "kind", "cover")) {
      assertTrue(u.get("scenario").has(f), "scenario." + f);
    }
    for (String f : List.of("source", "kind", "quantity", "contribution", "incremental_mm")) {
      assertTrue(u.get("contributions").get(0).has(f), "contributions." + f);
    }
    for (String f : List.of("asset", "quantity", "haircut", "equity_value", "mm_contribution")) {
      assertTrue(json.get("collateral").get(0).has(f), "collateral." + f);
    }
    for (String f : List.of("status", "reason", "equity", "im", "mm", "notional", "mm_tolerance", "agrees")) {
      assertTrue(json.get("recomputed").has(f), "recomputed." + f);
    }
    for (String f : List.of("table", "read", "of_date")) {
      assertTrue(json.get("files_read").get(0).has(f), "files_read." + f);
    }
    Row row = marginsRow(id);
    assertEquals(id, json.get("account_id").asText());
    assertEquals((Double) row.getAs("mm"), json.get("mm").asDouble());
    assertEquals((String) row.getAs("status"), json.get("status").asText());
    assertTrue(json.get("recomputed").get("agrees").asBoolean());
  }

  @Test
  void textShowsTheBreakdown() {
    String id = sampleAccounts().get(0);
    Cli run = cli(id, "--as-of", AS_OF.toString());
    assertEquals(0, run.exit(), run.err());
    for (String part : List.of("explain " + id + " on " + AS_OF, "binding scenario", "contributions (sum to MM_u)",
        "incremental MM", "collateral", "agrees with the row", "data files read: margins 1")) {
      assertTrue(run.out().contains(part), part + " in:\n" + run.out());
    }
  }

  @Test
  void inputsChangedAfterTheRunGiveAWarningNotSilentlyInconsistentNumbers() {
    // A dedicated account: the other tests do not look at it, so the extra position does not disturb them.
    String id = warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("pm_mm").gt(0))
        .filter(col("margin_currency").equalTo("USD")).filter(col("account_id").isin(sampleAccounts().toArray()).unary_$bang())
        .orderBy(col("account_id")).first().<String>getAs("account_id");
    Explanation before = explain(id);
    assertTrue(before.recomputed().agrees(), before.warnings().toString());
    warehouse.append(spark.createDataFrame(List.of(RowFactory.create(java.sql.Date.valueOf(AS_OF), id, "BTC_USDC-PERPETUAL",
        25.0, 90_000.0)), InputTables.POSITIONS.schema()), InputTables.POSITIONS);
    Explanation after = explain(id);
    assertEquals(before.row(), after.row(), "the row is what it was");
    assertFalse(after.recomputed().agrees());
    assertTrue(after.warnings().stream().anyMatch(w -> w.contains("does not agree with the margins row")), after.warnings().toString());
    assertTrue(ExplanationText.render(after).contains("WARNING: recomputed MM"), ExplanationText.render(after));
  }

  @Test
  void anotherPolicyThanTheRunsIsNamedInAWarning() {
    String id = sampleAccounts().get(0);
    Explanation x = new Explainer(warehouse, ScalarKernel.INSTANCE).explain(id, AS_OF, "deribit-like", false);
    assertFalse(x.policy().matchesRun());
    assertEquals("seed-default", x.policy().runName());
    assertTrue(x.warnings().stream().anyMatch(w -> w.contains("deribit-like") && w.contains("seed-default")), x.warnings().toString());
    assertNull(x.filesRead().get("margins").ofDate(), "not counted unless asked");
  }
  @Test
  void demoBlockNamesTheAccountWithTheLargestImInUsdAndTheContributorsOfItsRow() {
    Map<String, Double> index = new java.util.HashMap<>();
    for (Row m : warehouse.read(InputTables.MARKET_UNDERLYINGS, AS_OF).collectAsList()) {
      index.put(m.getAs("underlying"), m.getAs("index_price"));
    }
    Row largest = null;
    double largestUsd = -1;
    for (Row m : warehouse.read(OutputTables.MARGINS, AS_OF).filter(col("im").isNotNull()).collectAsList()) {
      double usd = (Double) m.getAs("im") * index.getOrDefault((String) m.getAs("margin_currency"), 1.0);
      if (usd > largestUsd) {
        largestUsd = usd;
        largest = m;
      }
    }
    String id = largest.getAs("account_id");
    List<String> lines = LargestMargin.describe(warehouse, AS_OF, POLICY.name());
    assertTrue(lines.get(0).startsWith("largest IM: account " + id + " "), lines.toString());
    String ccy = largest.getAs("margin_currency");
    assertTrue(lines.get(0).contains("IM " + ExplanationText.amount(largest.getAs("im"), ccy)), lines.toString());
    Row u = largest.<Row>getList(largest.fieldIndex("by_underlying")).get(0);
    for (Row c : u.<Row>getList(u.fieldIndex("contributions"))) {
      String shown = ExplanationText.amount(c.getAs("contribution"), ccy);
      assertTrue(lines.stream().anyMatch(l -> l.contains((String) c.getAs("source")) && l.contains(shown)),
          c + " in " + lines);
    }
    assertEquals("  why: deploy/bin/riskgrid explain " + id + " --as-of " + AS_OF + " --policy seed-default", lines.get(lines.size() - 1));
  }
}
