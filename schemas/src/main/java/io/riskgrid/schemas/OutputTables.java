package io.riskgrid.schemas;

import static io.riskgrid.schemas.Columns.amount;
import static io.riskgrid.schemas.Columns.arrayOf;
import static io.riskgrid.schemas.Columns.asOfDate;
import static io.riskgrid.schemas.Columns.column;
import static io.riskgrid.schemas.Columns.mapOfLongs;
import static io.riskgrid.schemas.Columns.runId;
import static io.riskgrid.schemas.Columns.struct;
import static io.riskgrid.schemas.Columns.text;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The output tables of the margin and stress runs (DESIGN §4), each carrying {@code as_of_date} and
 * {@code run_id}, plus the {@code runs} log itself. Account amounts are in the account's margin
 * currency (USD, or coin for a coin-margined account); columns ending in {@code _usd} are USD.
 */
public final class OutputTables {

  private OutputTables() {}

  /** The column that, with {@code as_of_date}, names a {@code margins} slice (DESIGN §7.4). */
  public static final String POLICY_NAME = "policy_name";

  /** One element of {@code margins.by_underlying.contributions} (DESIGN §7.3). */
  public static final StructType CONTRIBUTION = struct(
      text("source", "instrument_id, a collateral asset, or OTHER for the sum of the rows left out"),
      amount("contribution", "part of mm, margin currency; negative for a hedge"));

  /** One element of {@code margins.by_underlying}: why an underlying costs what it costs. */
  public static final StructType UNDERLYING_MARGIN = struct(
      text("underlying", "coin, e.g. BTC"),
      amount("scan_loss", "L_u, worst scenario loss with covers applied, margin currency"),
      text("binding_scenario", "label of the first scenario reaching scan_loss; null when it is 0"),
      amount("c_opt", "option contingency, margin currency"),
      amount("c_fut", "futures contingency, margin currency"),
      amount("som", "short option minimum, margin currency"),
      amount("mm", "MM_u = max(scan_loss + c_opt + c_fut, som), margin currency"),
      amount("delta", "forward delta, coin"),
      amount("gamma", "coin per USD"),
      amount("vega", "margin currency per vol point"),
      amount("theta", "margin currency per day"),
      column("contributions", arrayOf(CONTRIBUTION),
          "mm split by position and collateral asset, largest first: the 5 largest and OTHER unless the run kept all"));

  /** One element of {@code stress_results.top_contributors}. */
  public static final StructType CONTRIBUTOR = struct(
      text("member_id", "parent account, or an account without a parent"),
      amount("shortfall_usd", "loss of the member beyond its equity in this scenario, USD"));

  public static final Table RUNS = Table.whole("runs",
      "one row per run of a command: what it read, how it ran, what it wrote",
      Columns.required(Columns.RUN_ID, StringType, "unique id of the run"),
      text("command", "margin, stress, backtest, generate, ..."),
      column("as_of_date", DateType, "the date the run is for; null for commands without one"),
      text("config_hash", "hash of the effective configuration"),
      text("policy_name", "e.g. riskgrid-v1"),
      text("policy_hash", "hash of the policy file as read"),
      column("input_versions", mapOfLongs(), "Delta version of each input table read, by table name"),
      text("kernel", "scalar, simd or cuda"),
      text("kernel_reason", "why this kernel ran, e.g. the fallback reason of --kernel auto"),
      text("grouping_path", "how positions were grouped by account: clustered (no shuffle) or shuffle"),
      column("counts", mapOfLongs(), "rows in and out by name, e.g. accounts_in, margins_out, rejects"),
      column("timings_ms", mapOfLongs(), "wall time per stage, milliseconds"),
      text("code_version", "version of the riskgrid jar"),
      column("started_at", TimestampType, "UTC"),
      column("finished_at", TimestampType, "UTC"),
      column("output_versions", mapOfLongs(), "Delta version of each output table as the run left it, by table name; "
          + "the row is appended last, so it marks the run committed and readers read the run's slices at these "
          + "versions (null for runs before it was recorded)"));

  public static final Table MARGINS = Table.sliced("margins",
      "one row per input account, always", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      Columns.required(POLICY_NAME, StringType,
          "the policy of the run; a run replaces the slice (as_of_date, policy_name), so policies of one date coexist"),
      text("policy_hash", "hash of the policy as read, as in runs; equal hashes mean equal margins for equal inputs"),
      text("account_id"),
      text("parent_id", "member account; null when the account is its own member"),
      text("margin_mode", "PORTFOLIO or STANDARD"),
      text("margin_currency", "USD or a coin; every amount of the row is in it"),
      text("status", "OK, MARGIN_CALL, LIQUIDATION, DATA_ERROR or REJECTED"),
      text("reason", "why DATA_ERROR or REJECTED, naming the input; null otherwise"),
      amount("equity", "collateral after haircuts plus mark-to-market of positions"),
      amount("im", "initial margin under the margin_mode of the account"),
      amount("mm", "maintenance margin under the margin_mode of the account"),
      amount("pm_im", "portfolio initial margin, MM x im_multiplier"),
      amount("pm_mm", "portfolio maintenance margin, sum of by_underlying.mm"),
      amount("standard_im", "per-position standard initial margin"),
      amount("standard_mm", "per-position standard maintenance margin"),
      amount("pm_saving", "1 - pm_im / standard_im; null when standard_im is 0"),
      amount("liq_move_down", "liquidation distance down: smallest joint fall of every index (decimal, 0.125 = -12.5%, "
          + "vols and time unchanged) at which equity + P&L < mm, on a 0.5% grid to 50% interpolated linearly; "
          + "0 when already below mm; null when no fall up to 50% reaches it"),
      amount("liq_move_up", "liquidation distance up: smallest joint rise of every index (decimal) at which "
          + "equity + P&L < mm; 0 when already below mm; null when no rise up to 50% reaches it"),
      column("by_underlying", arrayOf(UNDERLYING_MARGIN), "one element per underlying held"))
      // Queries find rows by run, policy and account; statistics on the twenty-odd figures cost about
      // 1.2 s of a 1M-account margins write and prune nothing.
      .withStatisticsOnFirst(5)
      // An id per row and amounts that are almost all distinct: a dictionary attempt is wasted work.
      .withPlainEncoding(plainEncodedMarginsColumns());

  /**
   * The {@code margins} columns written plain (see {@link Table#withPlainEncoding}): the account id and
   * every amount, at the top level and in {@code by_underlying} with its contributions.
   */
  private static String[] plainEncodedMarginsColumns() {
    java.util.List<String> paths = new java.util.ArrayList<>(java.util.List.of("account_id", "equity", "im", "mm",
        "pm_im", "pm_mm", "standard_im", "standard_mm", "pm_saving", "liq_move_down", "liq_move_up"));
    String element = "by_underlying.list.element.";
    for (String amount : java.util.List.of("scan_loss", "c_opt", "c_fut", "som", "mm", "delta", "gamma", "vega", "theta")) {
      paths.add(element + amount);
    }
    paths.add(element + "contributions.list.element.contribution");
    return paths.toArray(new String[0]);
  }

  public static final Table LIQUIDATION_CURVE = Table.sliced("liquidation_curve",
      "the exchange liquidation curve (DESIGN §7.5): one row per joint index move of the grid -50%..+50% "
          + "(step 0.5%) and policy; replaced by (as_of_date, policy_name) with the margins slice",
      Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      Columns.required(POLICY_NAME, StringType, "the policy whose mm the accounts are held to, as in margins"),
      amount("move", "joint relative move x of every index, decimal (-0.2 = every index 20% lower), vols and time unchanged"),
      column("accounts_liquidated", LongType, "valid accounts with equity + P&L(x) < mm (mm of today); at 0 the "
          + "accounts in LIQUIDATION"),
      amount("shortfall_usd", "sum over those accounts of max(0, -(equity + P&L(x))), USD; coin accounts at their "
          + "coin's moved index"),
      amount("equity_at_risk_usd", "sum over those accounts of max(0, equity + P&L(x)), USD: the equity left to "
          + "the liquidation engine; coin accounts at their coin's moved index"))
      .withStatisticsOnFirst(4);

  public static final Table MARGIN_CHANGES = Table.sliced("margin_changes",
      "day-on-day change of each account's mm split into positions, market and policy effects (DESIGN §7.3), in "
          + "that order; replaced by (as_of_date, policy_name)", Columns.AS_OF_DATE, true,
      asOfDate("the later date D"),
      runId(),
      Columns.required(POLICY_NAME, StringType, "the policy of D's margins slice (pi1)"),
      column("prev_as_of_date", DateType, "the earlier date D0: the latest date before D with margins of the previous policy"),
      text("account_id"),
      text("margin_currency", "USD or a coin; every amount of the row is in it (D's, else D0's)"),
      amount("mm_prev", "mm on D0 (P0, M0, pi0), from D0's margins; 0 for an account new on D; null when invalid on D0"),
      amount("mm", "mm on D (P1, M1, pi1), from D's margins; 0 for an account closed on D; null when invalid on D"),
      amount("positions_effect", "MM(P1, M0, pi0) - MM(P0, M0, pi0): D's positions and collateral on D0's market and policy"),
      amount("market_effect", "MM(P1, M1, pi0) - MM(P1, M0, pi0): D's market, with D's positions and D0's policy"),
      amount("policy_effect", "MM(P1, M1, pi1) - MM(P1, M1, pi0): D's policy; 0 when the policy hashes are equal"),
      text("note", "why an effect is null or what kind of change the row is (new account, closed account); null for "
          + "an account valid on both dates"))
      .withStatisticsOnFirst(4);

  public static final Table RISK_ARRAYS = Table.sliced("risk_arrays",
      "optional: one row per account and underlying with the whole risk array", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      text("account_id"),
      text("underlying", "coin, e.g. BTC"),
      column("scenario_labels", arrayOf(StringType), "scenario labels in policy order"),
      column("risk_array", arrayOf(DoubleType),
          "P&L per scenario in margin currency, loss negative, aligned with scenario_labels"))
      .withStatisticsOnFirst(3);

  public static final Table EXPOSURES = Table.sliced("exposures",
      "exchange exposure per underlying and expiry bucket, USD-value basis", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      text("underlying", "coin, e.g. BTC"),
      text("bucket", "expiry as an ISO-8601 UTC instant, PERP, or SPOT for collateral"),
      amount("net_delta", "coin, on the USD-value basis"),
      amount("gamma", "coin per USD"),
      amount("vega", "USD per vol point"),
      amount("theta", "USD per day"),
      amount("long_oi", "long open interest, coin"),
      amount("short_oi", "short open interest, coin"));

  public static final Table STRESS_RESULTS = Table.sliced("stress_results",
      "one row per joint stress scenario", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      text("set_name", "the stress set, see scenario_sets"),
      column("scenario_id", IntegerType, "position in the set"),
      text("label", "scenario label"),
      amount("total_pnl_usd", "P&L of every account, USD"),
      amount("shortfall_usd", "sum of account losses beyond equity, USD"),
      column("accounts_in_deficit", LongType, "accounts whose loss exceeds their equity"),
      amount("cover1_usd", "largest member shortfall, USD"),
      amount("cover2_usd", "sum of the two largest member shortfalls, USD"),
      column("cover_members", arrayOf(StringType), "members behind cover2_usd, largest first"),
      amount("netted_shortfall_usd", "member shortfall with sub-accounts netted, USD"),
      column("substitutions", arrayOf(StringType), "market data substituted in this scenario; empty when none"),
      column("top_contributors", arrayOf(CONTRIBUTOR), "members with the largest shortfall, largest first"));

  public static final Table REVERSE_STRESS = Table.sliced("reverse_stress",
      "one row per reversed historical scenario (DESIGN §7.6)", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      text("set_name", "the historical stress set reversed, see stress_results"),
      column("scenario_id", IntegerType, "position of the scenario in its set"),
      text("label", "scenario label"),
      amount("lambda", "smallest scale of the joint move of the scenario (p and v times lambda) at which the exchange "
          + "shortfall exceeds the default resources, linear between grid points of 0.05; > 1: the resources survive "
          + "the move itself; null: they survive 5 times it"),
      amount("btc_move", "the BTC price move at lambda (decimal, -0.25 = -25%); at 5 times the move when lambda is null"),
      amount("shortfall_at_lambda_usd", "exchange shortfall at lambda, USD (the resources, by construction, unless "
          + "lambda is 0 or null)"),
      amount("resources_usd", "default resources: default fund plus insurance fund of the policy, USD"));

  public static final Table REJECTS = Table.sliced("rejects",
      "one row per rejected input row", Columns.AS_OF_DATE, true,
      asOfDate("date of the input slice"),
      runId(),
      text("source_table", "input table of the offending row"),
      text("key", "key of the offending row, e.g. account_id/instrument_id"),
      text("reason", "what is wrong and what would fix it"));

  public static final Table POLICY_COMPARISON = Table.sliced("policy_comparison",
      "one row per account of a date compared under two policies (riskgrid compare, DESIGN §7.4); replaced by "
          + "(as_of_date, policy_a, policy_b)", Columns.AS_OF_DATE, true,
      asOfDate("date of the account and market snapshot"),
      runId(),
      Columns.required("policy_a", StringType, "the first policy, the baseline; its rows are the margins slice of run_id_a"),
      Columns.required("policy_b", StringType, "the second policy, the candidate; its rows are the margins slice of run_id_b"),
      text("account_id"),
      text("margin_currency", "USD or a coin; im and mm are in it"),
      amount("im_a", "IM under policy_a (the account's margin_mode), margin currency; null when rejected"),
      amount("im_b", "IM under policy_b, margin currency; null when rejected"),
      amount("mm_a", "MM under policy_a, margin currency"),
      amount("mm_b", "MM under policy_b, margin currency"),
      text("status_a", "status under policy_a"),
      text("status_b", "status under policy_b"),
      text("run_id_a", "the margin run whose margins rows policy_a's figures are"),
      text("run_id_b", "the margin run whose margins rows policy_b's figures are"))
      .withStatisticsOnFirst(4);

  /** Every output table of the margin and stress runs. */
  public static final List<Table> ALL = List.of(RUNS, MARGINS, LIQUIDATION_CURVE, MARGIN_CHANGES, RISK_ARRAYS, EXPOSURES, STRESS_RESULTS, REVERSE_STRESS,
      REJECTS, POLICY_COMPARISON);
}
