package io.riskgrid.schemas;

import static io.riskgrid.schemas.Columns.amount;
import static io.riskgrid.schemas.Columns.column;
import static io.riskgrid.schemas.Columns.mapOfDoubles;
import static io.riskgrid.schemas.Columns.mapOfStrings;
import static io.riskgrid.schemas.Columns.required;
import static io.riskgrid.schemas.Columns.runId;
import static io.riskgrid.schemas.Columns.text;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import java.util.List;

/**
 * The model-validation tables of DESIGN §3.6. They span years of days, so they are not partitioned by
 * date (that would be thousands of tiny files): Delta's file statistics skip by date instead. Amounts are
 * in the portfolio's margin currency.
 */
public final class BacktestTables {

  private BacktestTables() {}

  public static final Table BACKTEST_DAILY = Table.sliced("backtest_daily",
      "one row per backtest portfolio and observation date", "date", false,
      runId(),
      text("portfolio_id", "backtest panel portfolio"),
      required("date", DateType, "observation date t"),
      amount("mm", "maintenance margin MM_t"),
      amount("im", "initial margin IM_t"),
      amount("loss", "L_t = -(V_t+h - V_t) of the frozen portfolio; positive is a loss"),
      column("breach_mm", BooleanType, "loss > mm"),
      column("breach_im", BooleanType, "loss > im"),
      text("vol_source", "SURFACE, ATM_IV, DVOL or REALISED: where the day's vol came from"),
      text("margin_currency", "currency of mm, im, loss, v_t and v_t_h: USD, or the coin of a coin account"),
      amount("v_t", "V_t: equity of the frozen portfolio at t's market (collateral after haircut, positions at"
          + " mark), margin currency"),
      amount("v_t_h", "V_t+h: the same portfolio at t+h's market, every T aged by h; loss = v_t - v_t_h"),
      column("index_t", mapOfDoubles(), "S_t in USD per coin, by underlying of the portfolio (legs and coin"
          + " collateral)"),
      column("index_t_h", mapOfDoubles(), "S_t+h in USD per coin, same underlyings"),
      column("binding_scenario", mapOfStrings(), "by underlying: the scenario label that sets the scan loss at t"
          + " (DESIGN 3.4); null where no scenario loses"),
      amount("stressed_im", "IM_t under the policy's anti_procyclicality.stressed_window (DESIGN 7.7), margin"
          + " currency"));

  public static final Table BACKTEST_SUMMARY = Table.sliced("backtest_summary",
      "one row per backtest portfolio, plus ALL for the pooled panel (and ALL:<currency> per margin currency for a"
          + " book)", "to_date", false,
      runId(),
      column("from_date", DateType, "first observation date"),
      required("to_date", DateType, "last observation date"),
      text("portfolio_id", "backtest panel portfolio or book account_id, or a pooled row: ALL, ALL:<currency>"),
      text("policy_name", "the margin policy backtested"),
      text("history", "the market history: real (its files) or synthetic (its seed)"),
      column("horizon_days", LongType, "loss horizon h in days"),
      column("observations", LongType, "observed days the breach statistics count (see counting)"),
      column("breaches", LongType, "MM breaches"),
      column("im_breaches", LongType, "IM breaches"),
      amount("coverage", "1 - breaches / observations"),
      amount("pof_lr", "Kupiec proportion-of-failures likelihood ratio"),
      amount("pof_p", "p-value of pof_lr, chi-squared with 1 degree of freedom"),
      amount("ind_lr", "Christoffersen independence likelihood ratio"),
      amount("ind_p", "p-value of ind_lr, chi-squared with 1 degree of freedom"),
      amount("cc_lr", "conditional coverage, pof_lr + ind_lr"),
      amount("cc_p", "p-value of cc_lr, chi-squared with 2 degrees of freedom"),
      text("last_zone", "traffic light of the last 250-observation window: GREEN, YELLOW or RED"),
      column("red_windows", LongType, "rolling 250-observation windows in the red zone; ALL: distinct windows, by their"
          + " last date, in which at least one portfolio is red"),
      amount("peak_to_trough", "max A / min A, A_t the panel IM in USD"),
      amount("max_1d_increase", "largest A_t / A_t-1 - 1"),
      amount("max_30d_increase", "largest A_t / A_t-30 days - 1"),
      amount("avg_im_usd", "mean IM in USD over the observations; ALL: sum over the portfolios"),
      amount("pof_rejected_share", "ALL row: share of portfolios the Kupiec test rejects at 5 percent"),
      amount("confidence", "the policy's backtest.confidence, e.g. 0.99"),
      amount("breach_probability", "p = 1 - confidence, the expected breach rate the tests use"),
      column("n00", LongType, "independence test: quiet day followed by a quiet day (ALL: summed)"),
      column("n01", LongType, "independence test: quiet day followed by a breach (ALL: summed)"),
      column("n10", LongType, "independence test: breach followed by a quiet day (ALL: summed)"),
      column("n11", LongType, "independence test: breach followed by a breach (ALL: summed)"),
      text("pof_direction", "at 5 percent: NOT_REJECTED, TOO_MANY_BREACHES (margin too low) or TOO_FEW_BREACHES"
          + " (margin conservative)"),
      text("ind_direction", "at 5 percent: NOT_REJECTED, CLUSTERED (a breach follows a breach more often than a quiet"
          + " day) or DISPERSED"),
      text("cc_direction", "at 5 percent: NOT_REJECTED, the coverage direction when breaches / observations differs"
          + " from p, else the independence direction"),
      column("skipped_days", LongType, "days t in the window not observed for the portfolio (no market, DATA_ERROR,"
          + " REJECTED); ALL: summed over every portfolio of the panel"),
      column("red_portfolio_windows", LongType, "red windows summed over portfolios; a portfolio: its red_windows"),
      column("procyclicality_from", DateType, "first date of the IM series of peak_to_trough and the increases"),
      column("procyclicality_to", DateType, "last date of that series"),
      column("procyclicality_days", LongType, "dates in that series; ALL: the dates on which every portfolio was"
          + " observed"),
      text("counting", "OVERLAPPING: the breach statistics count every observed day (with h > 1, overlapping h-day"
          + " losses); NON_OVERLAPPING: every h-th day from the portfolio's first"),
      amount("apc_buffer", "ALL row: the policy's anti_procyclicality.buffer b (DESIGN 7.7)"),
      amount("buffered_peak_to_trough", "ALL row: peak_to_trough of the margin posted with buffer b, same dates"),
      amount("buffered_max_1d_increase", "ALL row: max_1d_increase of the margin posted with buffer b"),
      amount("buffered_max_30d_increase", "ALL row: max_30d_increase of the margin posted with buffer b"),
      amount("buffer_margin_cost", "ALL row: sum of posted over sum of required margin - 1, the buffer's cost"),
      amount("apc_stressed_floor", "ALL row: the policy's anti_procyclicality.stressed_floor f (DESIGN 7.7)"),
      amount("floored_peak_to_trough", "ALL row: peak_to_trough of max(IM, f x stressed IM), same dates"),
      amount("floored_max_1d_increase", "ALL row: max_1d_increase of the floored margin"),
      amount("floored_max_30d_increase", "ALL row: max_30d_increase of the floored margin"),
      amount("floor_margin_cost", "ALL row: sum of floored over sum of required margin - 1, the floor's cost"),
      column("pof_by_date_dates", LongType, "ALL row: dates D of the per-date coverage test, each one trial"),
      amount("pof_by_date_breach_shares", "ALL row: sum over dates of breaches / portfolios observed that date"),
      amount("pof_by_date_lr", "ALL row: Kupiec on the per-date breach share, which assumes nothing about how the"
          + " portfolios depend on each other (pof_lr assumes them independent)"),
      amount("pof_by_date_p", "ALL row: p-value of pof_by_date_lr, chi-squared with 1 degree of freedom"),
      text("pof_by_date_direction", "ALL row: NOT_REJECTED, TOO_MANY_BREACHES or TOO_FEW_BREACHES at 5 percent"),
      column("unconverted_accounts", LongType, "backtest --book, pooled rows: accounts read that could not be"
          + " converted (REJECTED, DATA_ERROR or UNCONVERTIBLE, listed with reasons in the output); ALL:<currency> counts"
          + " that margin currency's; null for accounts and for panel runs"));

  /** Both backtest tables. */
  public static final List<Table> ALL = List.of(BACKTEST_DAILY, BACKTEST_SUMMARY);
}
