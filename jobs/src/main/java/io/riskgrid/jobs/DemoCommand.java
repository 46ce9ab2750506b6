package io.riskgrid.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.jobs.explain.LargestMargin;
import io.riskgrid.jobs.margin.LiquidationCurveRows;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.generate.GenerateJob;
import io.riskgrid.jobs.imports.ImportMarketJob;
import io.riskgrid.jobs.imports.ImportReport;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.margin.MarginJob;
import io.riskgrid.jobs.report.HtmlReport;
import io.riskgrid.jobs.spark.SparkOptions;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.jobs.stress.StressCommand;
import io.riskgrid.jobs.stress.StressJob;
import io.riskgrid.kernel.Kernels;
import io.riskgrid.market.chain.ImportedMarket;
import io.riskgrid.market.chain.ShippedChains;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code riskgrid demo}: the README's main command. Local Spark, a Delta warehouse in
 * {@code ./riskgrid-warehouse}, a generated exchange (reused when the warehouse already holds one of
 * that size for the date), then the margin run and the stress run, and a readable summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate an exchange, run margin and stress, print a summary and write riskgrid-report.html beside "
        + "the warehouse (local Spark + Delta).")
public final class DemoCommand implements Callable<Integer> {
  @Mixin
  SparkOptions spark;

  @Option(names = "--accounts", defaultValue = "100000", description = "Accounts to generate (default: ${DEFAULT-VALUE}).")
  long accounts;

  @Option(names = "--as-of", defaultValue = "2026-01-05", description = "Business date (default: ${DEFAULT-VALUE}).")
  LocalDate asOf;

  @Option(names = "--policy", defaultValue = "seed-default", description = "Margin policy (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--kernel", defaultValue = "auto", description = "auto, scalar, simd or cuda (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--market", paramLabel = "DATE",
      description = "Import the shipped Deribit snapshot of DATE (2026-01-05, a calm day, or 2026-02-05, the evening of "
          + "a crash) and margin a book generated on its instruments; DATE is then the business date.")
  LocalDate market;

  @Override
  public Integer call() {
    if (market != null && !ShippedChains.dates().contains(market)) {
      System.err.println("demo: --market " + market + " has no shipped snapshot; shipped: " + ShippedChains.dates());
      return 2;
    }
    long start = System.currentTimeMillis();
    SparkSession session = spark.session("riskgrid demo");
    Warehouse warehouse = spark.warehouse(session);
    MarginPolicy marginPolicy = PolicyLoader.load(policy);
    Kernels.Choice choice = Kernels.select(kernel);
    warehouse.ensureTables();
    if (market != null) {
      asOf = market;
      importShippedMarket(session, warehouse, marginPolicy, choice);
    } else if (warehouse.read(InputTables.ACCOUNTS, asOf).count() == accounts && lastLoadWasGenerated(warehouse)) {
      System.out.printf("[1/3] reusing the %,d generated accounts of %s in %s%n", accounts, asOf, warehouse.location());
    } else {
      System.out.printf("[1/3] generating %,d accounts for %s ...%n", accounts, asOf);
      GenerateJob.run(session, warehouse, asOf, accounts, seed, marginPolicy, choice.kernel());
    }
    System.out.printf("[2/3] margin run (policy %s, kernel %s: %s) ...%n", marginPolicy.name(), choice.kernel().name(), choice.reason());
    long t = System.currentTimeMillis();
    MarginJob.Result margin = MarginJob.run(session, warehouse, asOf, marginPolicy, choice, false);
    long marginMs = System.currentTimeMillis() - t;
    System.out.println("[3/3] stress runs (policy grid moved jointly, historical crashes, stablecoin de-peg) ...");
    List<StressJob.ScenarioResult> stress = new ArrayList<>(StressJob.run(session, warehouse, asOf, marginPolicy,
        marginPolicy.name(), choice));
    StressJob.Outcome historical = StressJob.runSet(session, warehouse, asOf, marginPolicy, StressJob.HISTORICAL, choice);
    stress.addAll(historical.scenarios());
    stress.addAll(StressJob.run(session, warehouse, asOf, marginPolicy, StressJob.DEPEG, choice));
    List<String> resources = new ArrayList<>(List.of(StressCommand.coverage(stress, marginPolicy.stress())));
    if (!historical.reverse().isEmpty()) {
      resources.add(StressCommand.reverseHeadline(historical));
    }
    summary(warehouse, marginPolicy.name(), margin, stress, resources, marginMs, System.currentTimeMillis() - start);
    System.out.println("report: " + HtmlReport.write(warehouse, asOf, HtmlReport.besideWarehouse(warehouse), false).file());
    return 0;
  }

  /**
   * Whether the date's market and accounts were last written by a plain {@code generate} (its own
   * universe), not by an import or a generation on an imported market: only then are they reused.
   */
  private boolean lastLoadWasGenerated(Warehouse warehouse) {
    if (!warehouse.exists(OutputTables.RUNS)) {
      return false;
    }
    List<Row> last = warehouse.read(OutputTables.RUNS)
        .filter(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(asOf)))
            .and(col("command").isin("generate", "import market")))
        .orderBy(col("finished_at").desc()).limit(1).collectAsList();
    return !last.isEmpty() && "generate".equals(last.get(0).getAs("command"))
        && !String.valueOf(last.get(0).<String>getAs("config_hash")).contains(GenerateJob.ON_WAREHOUSE_MARKET);
  }

  /**
   * The shipped snapshot of {@code market} imported (market tables, instruments, fits), then accounts
   * generated over its instruments: always both, so a book generated on another market is never reused.
   */
  private void importShippedMarket(SparkSession session, Warehouse warehouse, MarginPolicy marginPolicy,
      Kernels.Choice choice) {
    System.out.printf("[1/3] importing the shipped Deribit snapshot of %s (%s) and fitting SVI ...%n", market,
        ShippedChains.snapshotTime(market));
    long t = System.currentTimeMillis();
    ImportedMarket imported = ShippedChains.market(market);
    ImportReport.print(System.out, imported, ImportMarketJob.run(session, warehouse, imported), System.currentTimeMillis() - t);
    System.out.printf("      generating %,d accounts on the imported instruments ...%n", accounts);
    GenerateJob.runOn(session, warehouse, market, MarketTables.read(warehouse, market), accounts, seed, marginPolicy,
        choice.kernel());
  }

  private void summary(Warehouse warehouse, String policyName, MarginJob.Result margin,
      List<StressJob.ScenarioResult> stress, List<String> resources, long marginMs, long totalMs) {
    System.out.println();
    System.out.printf("riskgrid demo, %s: %,d accounts margined in %.1f s (run %s), %.1f s in all%n", asOf, margin.accountsIn(),
        marginMs / 1000.0, margin.runId(), totalMs / 1000.0);
    System.out.println("accounts by status:");
    Dataset<Row> margins = MarginSlices.read(warehouse, asOf, policyName);
    for (Row r : margins.groupBy("status").count().orderBy(col("count").desc()).collectAsList()) {
      System.out.printf("  %-12s %,10d%n", r.getString(0), r.getLong(1));
    }
    // Coin-account amounts are converted to USD at the unshocked index (DESIGN §3.4 Exchange totals).
    Dataset<Row> index = warehouse.read(InputTables.MARKET_UNDERLYINGS, asOf).select("underlying", "index_price");
    Column usdPerUnit = coalesce(index.col("index_price"), lit(1.0));
    Row totals = margins.filter(col("pm_im").isNotNull())
        .join(index, margins.col("margin_currency").equalTo(index.col("underlying")), "left")
        .agg(sum(col("pm_im").multiply(usdPerUnit)), sum(col("pm_mm").multiply(usdPerUnit)),
            sum(col("standard_im").multiply(usdPerUnit)), sum(col("standard_mm").multiply(usdPerUnit)))
        .first();
    double pmIm = totals.getDouble(0);
    double stdIm = totals.getDouble(2);
    System.out.printf("portfolio margin: IM %,.0f USD, MM %,.0f USD%n", pmIm, totals.getDouble(1));
    System.out.printf("standard margin:  IM %,.0f USD, MM %,.0f USD%n", stdIm, totals.getDouble(3));
    System.out.printf("PM saving: %.1f%% of standard IM%n", 100 * (1 - pmIm / stdIm));
    StressJob.ScenarioResult worst = stress.stream().max(Comparator.comparingDouble(StressJob.ScenarioResult::shortfallUsd)).orElseThrow();
    StressJob.ScenarioResult cover2 = stress.stream().max(Comparator.comparingDouble(StressJob.ScenarioResult::cover2Usd)).orElseThrow();
    System.out.printf("worst stress scenario: %s (%s): shortfall %,.0f USD over %,d accounts, total P&L %,.0f USD%n",
        worst.label(), worst.set(), worst.shortfallUsd(), worst.accountsInDeficit(), worst.totalPnlUsd());
    System.out.printf("Cover-2: %,.0f USD in %s (%s), members %s%n", cover2.cover2Usd(), cover2.label(), cover2.set(),
        String.join(", ", cover2.coverMembers()));
    resources.forEach(System.out::println);
    LargestMargin.describe(warehouse, asOf, policyName).forEach(System.out::println);
    System.out.println(LiquidationCurveRows.describe(warehouse, asOf, policyName));
    System.out.printf("tables in %s; try: deploy/bin/riskgrid sql \"SELECT * FROM stress_results\"%n", warehouse.location());
  }
}
