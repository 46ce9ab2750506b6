package io.riskgrid.jobs.explain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.riskgrid.jobs.input.ImportedRejects;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.input.OneAccount;
import io.riskgrid.jobs.margin.MarginSlices;
import io.riskgrid.jobs.spark.CommittedRuns;
import io.riskgrid.jobs.spark.KeyLookup;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.Contribution;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.scenario.Scenario;
import io.riskgrid.scenario.ScenarioGrid;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import io.riskgrid.schemas.Table;
import io.riskgrid.valuation.HistoricalGrids;
import io.riskgrid.valuation.ValuedBookBuilder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;

/**
 * Builds the {@link Explanation} of one account (DESIGN §7.3 {@code explain}): its {@code margins} row
 * for the date, the run's policy (checked by hash), and a recomputation on the driver from the account's
 * positions, collateral and the date's market, which gives each top position's incremental margin and
 * checks the row. Every table is read for this one account only ({@link KeyLookup}: partition pruning on
 * the date, data skipping on account_id), so the cost does not grow with the exchange.
 */
public final class Explainer {
  /** Contributions shown per underlying before one OTHER row, as the margin run keeps them (DESIGN §4). */
  static final int TOP = 5;

  private final Warehouse warehouse;
  private final RiskKernel kernel;

  /** An account or date the warehouse does not have: a user error, not a failure (exit code 2). */
  public static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  public Explainer(Warehouse warehouse, RiskKernel kernel) {
    this.warehouse = warehouse;
    this.kernel = kernel;
  }

  /**
   * @param asOf the date, or null for the latest date in {@code margins}
   * @param policyOverride a preset name or policy file to recompute with, or null for the run's policy
   * @param countFiles whether to count each table's files of the date (one more Delta planning per table)
   *     beside the files read
   * @throws NotFound when there are no margins for the date or the account has no row in them
   */
  public Explanation explain(String accountId, LocalDate asOf, String policyOverride, boolean countFiles) {
    Map<String, Long> timings = Collections.synchronizedMap(new LinkedHashMap<>());
    if (!warehouse.exists(OutputTables.MARGINS)) {
      throw new NotFound("no margins table in " + warehouse.location() + ": run 'riskgrid margin --as-of DATE' first"
          + " (or check --warehouse)");
    }
    LocalDate date = asOf != null ? asOf : timed(timings, "latest_date", this::latestMarginDate);
    // The lookups are independent small Spark jobs: run together, the explanation costs about the slowest.
    ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
    try {
      CompletableFuture<KeyLookup.Result> rowLookup = async(pool, timings, "margins_row",
          () -> KeyLookup.of(warehouse, OutputTables.MARGINS, date, "account_id", accountId));
      CompletableFuture<OneAccount.Read> inputsLookup = async(pool, timings, "account_rows",
          () -> OneAccount.read(warehouse, date, accountId, pool));
      CompletableFuture<String> inputReject = async(pool, timings, "import_rejects",
          () -> ImportedRejects.reason(warehouse, date, accountId));
      CompletableFuture<MarketTables.MarketOfDate> marketRead = async(pool, timings, "market",
          () -> MarketTables.read(warehouse, date, pool));
      // The margin runs of the date, so the row's run need not wait for the row (runs keeps statistics on as_of_date).
      CompletableFuture<List<Row>> runsOfDate = async(pool, timings, "runs_of_date", () -> KeyLookup.where(warehouse,
          OutputTables.RUNS, col("as_of_date").equalTo(lit(date)).and(col("command").equalTo(lit("margin")))).rows());
      CompletableFuture<Map<String, Long>> fileCounts = countFiles
          ? async(pool, timings, "count_files", () -> filesOfDate(date)) : CompletableFuture.completedFuture(Map.of());
      KeyLookup.Result lookedUp = join(rowLookup);
      Row rowSeen = marginsRow(accountId, date, lookedUp, policyOverride);
      List<String> warnings = new ArrayList<>();
      List<Row> runs = join(runsOfDate);
      Row committed = CommittedRuns.insteadOfUnfinished(SparkValues.text(rowSeen, "run_id"),
          SparkValues.text(rowSeen, "policy_name"), runs);
      if (committed != null) {
        // The row's run died after writing margins, before its runs row: show the committed run's row.
        warnings.add("the latest margins row was written by run " + SparkValues.text(rowSeen, "run_id") + ", which has "
            + "no runs row (it did not finish); shown is run " + SparkValues.text(committed, "run_id")
            + ", the latest margin run of " + date + " that did");
        lookedUp = KeyLookup.of(CommittedRuns.asLeftBy(warehouse, committed), OutputTables.MARGINS, date, "account_id",
            accountId);
        rowSeen = marginsRow(accountId, date, lookedUp, SparkValues.text(rowSeen, "policy_name"));
      }
      KeyLookup.Result found = lookedUp;
      Row row = rowSeen;
      String runId = SparkValues.text(row, "run_id");
      Policy policy = timed(timings, "run_and_policy", () -> resolvePolicy(runId, runs, policyOverride, warnings));
      OneAccount.Read inputs = join(inputsLookup);
      MarketTables.MarketOfDate market = join(marketRead);
      Map<String, Long> ofDate = join(fileCounts);
      Map<String, Explanation.Files> files = new LinkedHashMap<>();
      files.put(OutputTables.MARGINS.name(), new Explanation.Files(found.filesRead(), ofDate.get(OutputTables.MARGINS.name())));
      inputs.filesRead().forEach((table, read) -> files.put(table, new Explanation.Files(read, ofDate.get(table))));
      // As the margin run: an account with a row that import book rejected is REJECTED with that reason.
      String rejectedAtImport = join(inputReject);
      Account account = inputs.account() == null || rejectedAtImport == null ? inputs.account()
          : inputs.account().withInputReject(rejectedAtImport);
      Recomputation recomputation = null;
      if (account == null) {
        warnings.add("the accounts table of " + date + " no longer has account " + accountId
            + ": it was margined by run " + runId + " but cannot be recomputed, so incremental margins are unavailable");
      } else {
        recomputation = timed(timings, "recompute", () -> Recomputation.of(account, market, policy.loaded(), kernel));
      }
      Recomputation r = recomputation;
      Explanation.RowFigures figures = figures(row);
      List<Explanation.UnderlyingPart> underlyings = timed(timings, "incremental_margins",
          () -> underlyings(row, market, policy.loaded(), account, r, warnings));
      Explanation.Recomputed recomputed = r == null ? null : r.check(figures, runId, date, warnings);
      return new Explanation(accountId, date, runId, policy.used(), kernel.name(), figures, underlyings,
          Recomputation.collateral(account, r), recomputed, List.copyOf(warnings), files, Collections.unmodifiableMap(
          new LinkedHashMap<>(timings)));
    } finally {
      pool.shutdown();
    }
  }

  /** Each looked-up table's data files of the date, by table name. */
  private Map<String, Long> filesOfDate(LocalDate date) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Table t : List.of(OutputTables.MARGINS, InputTables.ACCOUNTS, InputTables.POSITIONS, InputTables.COLLATERAL)) {
      counts.put(t.name(), KeyLookup.filesOfDate(warehouse, t, date));
    }
    return counts;
  }

  private static <T> T timed(Map<String, Long> timings, String stage, Supplier<T> step) {
    long t = System.nanoTime();
    T result = step.get();
    timings.put(stage, (System.nanoTime() - t) / 1_000_000);
    return result;
  }

  private static <T> CompletableFuture<T> async(ExecutorService pool, Map<String, Long> timings, String stage, Supplier<T> step) {
    return CompletableFuture.supplyAsync(() -> timed(timings, stage, step), pool);
  }

  /** The result of {@code step}, with its own exception (a {@link NotFound} stays one) rather than a wrapper. */
  static <T> T join(CompletableFuture<T> step) {
    try {
      return step.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static ThreadFactory daemonThreads() {
    return task -> {
      Thread t = new Thread(task, "riskgrid-explain");
      t.setDaemon(true);
      return t;
    };
  }

  /** The latest {@code as_of_date} of {@code margins} (Delta answers it from the log, reading no data file). */
  LocalDate latestMarginDate() {
    Row r = warehouse.read(OutputTables.MARGINS).agg(max(col("as_of_date"))).first();
    if (r.isNullAt(0)) {
      throw new NotFound("the margins table in " + warehouse.location() + " is empty: run 'riskgrid margin --as-of DATE' first");
    }
    return r.getDate(0).toLocalDate();
  }

  /**
   * The account's row of {@code found}, or why there is none. With margins of several policies on the
   * date (DESIGN §7.4), {@code policyOverride}'s name picks the row, and without it the choice is an error
   * naming the policies found.
   */
  private Row marginsRow(String accountId, LocalDate date, KeyLookup.Result found, String policyOverride) {
    List<Row> rows = found.rows();
    List<String> policies = rows.stream().map(r -> SparkValues.text(r, OutputTables.POLICY_NAME)).distinct().sorted().toList();
    if (rows.size() > 1 && policies.size() == rows.size()) {
      String wanted = policyOverride == null ? null : PolicyLoader.load(policyOverride).name();
      String chosen = MarginSlices.choose(policies, date, wanted, "--policy");
      rows = rows.stream().filter(r -> chosen.equals(SparkValues.text(r, OutputTables.POLICY_NAME))).toList();
    }
    if (rows.size() == 1) {
      return rows.get(0);
    }
    if (rows.size() > 1) {
      throw new IllegalStateException("margins has " + rows.size() + " rows for account " + accountId + " on "
          + date + "; a margin run writes one per account (rerun 'riskgrid margin --as-of " + date + "')");
    }
    if (warehouse.read(OutputTables.MARGINS, date).isEmpty()) {
      throw new NotFound("no margins for " + date + " in " + warehouse.location() + " (the latest margined date is "
          + latestMarginDate() + "): run 'riskgrid margin --as-of " + date + "' or give another --as-of");
    }
    boolean inAccounts = !KeyLookup.of(warehouse, InputTables.ACCOUNTS, date, "account_id", accountId).rows().isEmpty();
    throw new NotFound("account '" + accountId + "' has no margins row for " + date + (inAccounts
        ? ", although the accounts table of that date has it: it was added after the margin run; rerun 'riskgrid margin --as-of "
            + date + "'"
        : " and is not in the accounts table of that date: check the id, or give the --as-of of a date it was margined"));
  }

  /**
   * The run's policy from {@code runs} (among the date's margin runs, else by id), and the policy explain
   * recomputes with: {@code policyOverride}, else the run's policy loaded by name. A hash that differs from
   * the run's is a warning, not an error.
   */
  private Policy resolvePolicy(String runId, List<Row> runsOfDate, String policyOverride, List<String> warnings) {
    List<Row> runs = runsOfDate.stream().filter(r -> runId.equals(SparkValues.text(r, "run_id"))).toList();
    if (runs.isEmpty()) {
      // A run recorded under another date or command than the row's: look it up by id.
      runs = KeyLookup.of(warehouse, OutputTables.RUNS, "run_id", runId).rows();
    }
    String runName = runs.isEmpty() ? null : SparkValues.text(runs.get(0), "policy_name");
    String runHash = runs.isEmpty() ? null : SparkValues.text(runs.get(0), "policy_hash");
    if (runs.isEmpty()) {
      warnings.add("run " + runId + " is not in the runs table, so its policy is unknown");
    }
    String wanted = policyOverride != null ? policyOverride : runName;
    if (wanted == null) {
      throw new NotFound("the policy of run " + runId + " is not recorded in runs: give --policy with the preset or file"
          + " the run used");
    }
    if (policyOverride == null && !PolicyLoader.PRESETS.contains(wanted)) {
      throw new NotFound("run " + runId + " used policy '" + wanted + "', which is not a shipped preset " + PolicyLoader.PRESETS
          + ": give --policy with the file it was read from");
    }
    MarginPolicy policy = PolicyLoader.load(wanted);
    Explanation.PolicyUsed used = new Explanation.PolicyUsed(policy.name(), policy.hash(), runName, runHash);
    if (runHash != null && !used.matchesRun()) {
      warnings.add("policy " + policy.name() + " has hash " + shortHash(policy.hash()) + " but run " + runId + " used "
          + runName + " with hash " + shortHash(runHash) + ": the recomputation below uses another policy than the row");
    }
    return new Policy(policy, used);
  }

  /** The policy loaded for the recomputation, and how it compares with the run's. */
  private record Policy(MarginPolicy loaded, Explanation.PolicyUsed used) {}

  private static String shortHash(String hash) {
    return hash == null ? "null" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static Explanation.RowFigures figures(Row r) {
    return new Explanation.RowFigures(SparkValues.text(r, "margin_mode"), SparkValues.text(r, "margin_currency"),
        SparkValues.text(r, "status"), SparkValues.text(r, "reason"), amount(r, "equity"), amount(r, "im"), amount(r, "mm"),
        amount(r, "pm_im"), amount(r, "pm_mm"), amount(r, "standard_im"), amount(r, "standard_mm"), amount(r, "pm_saving"),
        amount(r, "liq_move_down"), amount(r, "liq_move_up"));
  }

  private static Double amount(Row r, String field) {
    double v = SparkValues.number(r, field);
    return Double.isNaN(v) ? null : v;
  }

  /** The row's by_underlying with each binding scenario's move and each contribution's incremental margin. */
  private static List<Explanation.UnderlyingPart> underlyings(Row row, MarketTables.MarketOfDate market, MarginPolicy policy,
      Account account, Recomputation recomputation, List<String> warnings) {
    List<Explanation.UnderlyingPart> out = new ArrayList<>();
    int bi = row.fieldIndex("by_underlying");
    if (row.isNullAt(bi)) {
      return out;
    }
    Map<String, Double> incremental = new HashMap<>();
    for (Row u : row.<Row>getList(bi)) {
      String name = SparkValues.text(u, "underlying");
      String binding = SparkValues.text(u, "binding_scenario");
      Explanation.ScenarioMove move = binding == null ? null : move(policy, market, name, binding);
      if (binding != null && move == null) {
        warnings.add(name + ": binding scenario " + binding + " is not in the " + name + " grid of policy " + policy.name());
      }
      double mm = SparkValues.number(u, "mm");
      List<Contribution> stored = contributions(u);
      if (stored.isEmpty() && mm != 0 && recomputation != null) {
        stored = recomputation.contributions(name);
        warnings.add(name + ": the margins row has no contributions (a run before they were kept), so those shown are "
            + "the recomputation's");
      }
      List<Explanation.ContributionPart> parts = new ArrayList<>();
      for (Contribution c : shown(stored)) {
        Explanation.Source kind = Contribution.OTHER.equals(c.source()) ? Explanation.Source.OTHER
            : c.source().equals(name) ? Explanation.Source.COLLATERAL : Explanation.Source.POSITION;
        Double quantity = account == null || kind == Explanation.Source.OTHER ? null
            : kind == Explanation.Source.POSITION ? Recomputation.positionQuantity(account, c.source())
                : Recomputation.collateralQuantity(account, c.source());
        Double inc = kind == Explanation.Source.POSITION && recomputation != null
            ? incremental.computeIfAbsent(c.source(), recomputation::incrementalMm) : null;
        parts.add(new Explanation.ContributionPart(c.source(), kind, quantity, c.amount(), inc));
      }
      UnderlyingMarket um = market.snapshot().underlying(name);
      out.add(new Explanation.UnderlyingPart(name, um == null ? null : um.index(), SparkValues.number(u, "scan_loss"), binding,
          move, SparkValues.number(u, "c_opt"), SparkValues.number(u, "c_fut"), SparkValues.number(u, "som"), mm,
          SparkValues.number(u, "delta"), SparkValues.number(u, "gamma"), SparkValues.number(u, "vega"),
          SparkValues.number(u, "theta"), parts));
    }
    return out;
  }

  private static List<Contribution> contributions(Row u) {
    List<Contribution> out = new ArrayList<>();
    int ci = u.fieldIndex("contributions");
    if (!u.isNullAt(ci)) {
      for (Row c : u.<Row>getList(ci)) {
        out.add(new Contribution(SparkValues.text(c, "source"), SparkValues.number(c, "contribution")));
      }
    }
    return out;
  }

  /**
   * The {@link #TOP} largest named contributions by absolute value, then one OTHER row for the rest: the
   * row's own OTHER plus any named row beyond the top (a run with {@code --contributions all} keeps every
   * one). The rows shown still sum to the underlying's MM.
   */
  static List<Contribution> shown(List<Contribution> stored) {
    List<Contribution> named = new ArrayList<>();
    double other = 0;
    boolean anyOther = false;
    for (Contribution c : stored) {
      if (Contribution.OTHER.equals(c.source())) {
        other += c.amount();
        anyOther = true;
      } else {
        named.add(c);
      }
    }
    named.sort((a, b) -> Double.compare(Math.abs(b.amount()), Math.abs(a.amount())));
    List<Contribution> out = new ArrayList<>(named.subList(0, Math.min(TOP, named.size())));
    for (Contribution c : named.subList(out.size(), named.size())) {
      other += c.amount();
      anyOther = true;
    }
    if (anyOther) {
      out.add(new Contribution(Contribution.OTHER, other));
    }
    return out;
  }

  /**
   * The scenario of {@code label} in the grid {@code underlying} was margined on, or null: the policy's, or
   * for a historical-ES policy the joint windows stage 1 built for the date's book.
   */
  static Explanation.ScenarioMove move(MarginPolicy policy, MarketTables.MarketOfDate market, String underlying,
      String label) {
    ScenarioGrid grid = policy.scenarios().jointHistory() == null ? policy.gridFor(underlying)
        : HistoricalGrids.of(ValuedBookBuilder.underlyings(market.snapshot(), market.instruments().instruments()),
            policy.scenarios().jointHistory()).get(underlying);
    if (grid == null) {
      return null;
    }
    for (Scenario s : grid.scenarios()) {
      if (s.label().equals(label)) {
        return new Explanation.ScenarioMove(label, s.priceShock(), s.volShock(), grid.volMode().name(), s.horizonDays(),
            s.kind().name(), s.cover());
      }
    }
    return null;
  }

}
