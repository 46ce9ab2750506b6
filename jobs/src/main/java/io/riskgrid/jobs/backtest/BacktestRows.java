package io.riskgrid.jobs.backtest;

import io.riskgrid.backtest.WindowCounting;
import io.riskgrid.backtest.history.ToolEffect;
import io.riskgrid.backtest.history.DateShareLine;
import io.riskgrid.backtest.history.Observation;
import io.riskgrid.backtest.history.SummaryLine;
import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.schemas.BacktestTables;
import io.riskgrid.schemas.Table;
import java.sql.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** {@code backtest_daily} and {@code backtest_summary} rows, built by column name in the tables' own order. */
final class BacktestRows {
  private BacktestRows() {}

  static Row daily(String runId, Observation o) {
    Map<String, Object> v = new HashMap<>();
    v.put("run_id", runId);
    v.put("portfolio_id", o.portfolioId());
    v.put("date", Date.valueOf(o.date()));
    v.put("mm", o.mm());
    v.put("im", o.im());
    v.put("loss", o.loss());
    v.put("breach_mm", o.breachMm());
    v.put("breach_im", o.breachIm());
    v.put("vol_source", o.volSource().name());
    v.put("margin_currency", o.marginCurrency());
    v.put("v_t", o.equityAtT());
    v.put("v_t_h", o.equityAtHorizon());
    v.put("index_t", SparkValues.map(o.indexAtT()));
    v.put("index_t_h", SparkValues.map(o.indexAtHorizon()));
    v.put("binding_scenario", SparkValues.map(o.bindingScenarios()));
    v.put("stressed_im", o.stressedIm());
    return inOrder(BacktestTables.BACKTEST_DAILY, v);
  }

  static Row summary(String runId, String policyName, double confidence, String history, int horizonDays,
      WindowCounting counting, SummaryLine l, ToolEffect buffer, ToolEffect floor, Long unconvertedAccounts) {
    Map<String, Object> v = new HashMap<>();
    v.put("run_id", runId);
    v.put("from_date", Date.valueOf(l.fromDate()));
    v.put("to_date", Date.valueOf(l.toDate()));
    v.put("portfolio_id", l.portfolioId());
    v.put("policy_name", policyName);
    v.put("history", history);
    v.put("horizon_days", (long) horizonDays);
    v.put("observations", l.observations());
    v.put("breaches", l.breaches());
    v.put("im_breaches", l.imBreaches());
    v.put("coverage", l.coverage());
    v.put("pof_lr", l.pofLr());
    v.put("pof_p", l.pofP());
    v.put("ind_lr", l.indLr());
    v.put("ind_p", l.indP());
    v.put("cc_lr", l.ccLr());
    v.put("cc_p", l.ccP());
    v.put("last_zone", l.lastZone().name());
    v.put("red_windows", l.redWindows());
    v.put("peak_to_trough", l.peakToTrough());
    v.put("max_1d_increase", l.max1dIncrease());
    v.put("max_30d_increase", l.max30dIncrease());
    v.put("avg_im_usd", l.averageImUsd());
    v.put("pof_rejected_share", l.pofRejectedShare());
    v.put("confidence", confidence);
    v.put("breach_probability", l.breachProbability());
    v.put("n00", l.transitions().n00());
    v.put("n01", l.transitions().n01());
    v.put("n10", l.transitions().n10());
    v.put("n11", l.transitions().n11());
    v.put("pof_direction", l.pofDirection().name());
    v.put("ind_direction", l.indDirection().name());
    v.put("cc_direction", l.ccDirection().name());
    v.put("skipped_days", l.skippedDays());
    v.put("red_portfolio_windows", l.redPortfolioWindows());
    v.put("procyclicality_from", l.procyclicalityFrom() == null ? null : Date.valueOf(l.procyclicalityFrom()));
    v.put("procyclicality_to", l.procyclicalityTo() == null ? null : Date.valueOf(l.procyclicalityTo()));
    v.put("procyclicality_days", l.procyclicalityDays());
    v.put("counting", counting.name());
    v.put("apc_buffer", buffer == null ? null : buffer.parameter());
    v.put("buffered_peak_to_trough", buffer == null ? null : buffer.peakToTrough());
    v.put("buffered_max_1d_increase", buffer == null ? null : buffer.max1dIncrease());
    v.put("buffered_max_30d_increase", buffer == null ? null : buffer.max30dIncrease());
    v.put("buffer_margin_cost", buffer == null ? null : buffer.marginCost());
    v.put("apc_stressed_floor", floor == null ? null : floor.parameter());
    v.put("floored_peak_to_trough", floor == null ? null : floor.peakToTrough());
    v.put("floored_max_1d_increase", floor == null ? null : floor.max1dIncrease());
    v.put("floored_max_30d_increase", floor == null ? null : floor.max30dIncrease());
    v.put("floor_margin_cost", floor == null ? null : floor.marginCost());
    DateShareLine byDate = l.dateShare();
    v.put("pof_by_date_dates", byDate == null ? null : byDate.dates());
    v.put("pof_by_date_breach_shares", byDate == null ? null : byDate.breachShares());
    v.put("pof_by_date_lr", byDate == null ? null : byDate.lr());
    v.put("pof_by_date_p", byDate == null ? null : byDate.p());
    v.put("pof_by_date_direction", byDate == null ? null : byDate.direction().name());
    v.put("unconverted_accounts", unconvertedAccounts);
    return inOrder(BacktestTables.BACKTEST_SUMMARY, v);
  }

  /** The values in the table's column order; a column without a value, or a value without a column, is a bug. */
  private static Row inOrder(Table table, Map<String, Object> values) {
    String[] names = table.schema().fieldNames();
    if (names.length != values.size()) {
      throw new IllegalStateException(table.name() + " has columns " + String.join(", ", names) + " but the row has "
          + values.keySet());
    }
    Object[] row = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      if (!values.containsKey(names[i])) {
        throw new IllegalStateException(table.name() + "." + names[i] + " has no value");
      }
      Object value = values.get(names[i]);
      if (value instanceof Double d && Double.isNaN(d)) {
        throw new IllegalStateException("NaN reached " + table.name() + "." + names[i]);
      }
      row[i] = value;
    }
    return RowFactory.create(row);
  }
}
