package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.backtest.TrafficLight;
import io.riskgrid.backtest.TrafficLightResult;
import io.riskgrid.backtest.history.PanelStatistics;
import io.riskgrid.jobs.report.chart.LineChart;
import io.riskgrid.jobs.report.chart.Numbers;
import io.riskgrid.policy.PolicyLoader;
import io.riskgrid.schemas.BacktestTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Model validation (DESIGN §3.6), when the warehouse holds a backtest: the summary table of the latest
 * backtest window, and for the portfolio with the most MM breaches its IM, MM and realised loss over time with
 * the breaches marked, and its rolling 250-observation breach count against the traffic-light zones. Reads the
 * summary (a row per portfolio) and one portfolio's daily rows.
 */
final class BacktestSection {
  private BacktestSection() {}

  static String html(ReportInputs in) {
    StringBuilder s = new StringBuilder("<section id=\"backtest\"><h2>Backtest</h2>");
    List<Row> summary = in.warehouse.exists(BacktestTables.BACKTEST_SUMMARY)
        ? in.warehouse.read(BacktestTables.BACKTEST_SUMMARY).orderBy(col("to_date").desc()).collectAsList() : List.of();
    if (summary.isEmpty()) {
      return s.append(Html.missing("No backtest in this warehouse: run `riskgrid backtest --from 2022-01-01 --to "
          + "2022-12-31` (real shipped history) to validate the policy.")).append("</section>").toString();
    }
    Date toDate = summary.get(0).getAs("to_date");
    List<Row> latest = summary.stream().filter(r -> toDate.equals(r.getAs("to_date"))).toList();
    Row primary = latest.stream().filter(r -> "ALL".equals(r.getAs("portfolio_id")))
        .min(Comparator.comparing((Row r) -> !r.getAs("policy_name").equals(in.policyName()))
            .thenComparing(r -> r.<String>getAs("policy_name"))).orElse(latest.get(0));
    String runId = primary.getAs("run_id");
    String policy = primary.getAs("policy_name");
    s.append(Html.figures(List.of(
        new Html.Figure(primary.getAs("from_date") + " to " + toDate, "window, " + primary.getAs("history")),
        new Html.Figure(policy, "policy backtested, horizon " + primary.getAs("horizon_days") + " d"),
        new Html.Figure(primary.<Long>getAs("breaches") + " / " + String.format("%,d", primary.<Long>getAs("observations")),
            "MM breaches / observations, pooled (" + coverage(primary) + " covered)"),
        new Html.Figure("NONE".equals(primary.getAs("last_zone")) ? "none yet" : primary.<String>getAs("last_zone"),
            "last traffic-light zone (250-observation windows), " + primary.<Long>getAs("red_windows") + " red"))));
    List<List<String>> rows = new ArrayList<>();
    for (Row r : latest.stream().sorted(Comparator.comparing((Row r) -> !"ALL".equals(r.getAs("portfolio_id")))
        .thenComparing(r -> r.<String>getAs("policy_name")).thenComparing(r -> r.<String>getAs("portfolio_id"))).toList()) {
      rows.add(MarginSection.row(r.getAs("policy_name"), r.getAs("portfolio_id"),
          String.format("%,d", r.<Long>getAs("observations")), r.<Long>getAs("breaches"), r.<Long>getAs("im_breaches"),
          coverage(r), p(r, "pof_p"), p(r, "ind_p"), p(r, "cc_p"),
          Html.zone(r.getAs("last_zone")), r.<Long>getAs("red_windows"), Numbers.grouped(MarginSection.value(r, "peak_to_trough")),
          Numbers.percent(MarginSection.value(r, "max_30d_increase"))));
    }
    Row worst = latest.stream().filter(r -> runId.equals(r.getAs("run_id"))
            && !PanelStatistics.isPooled(r.<String>getAs("portfolio_id")))
        .max(Comparator.comparingLong((Row r) -> r.getAs("breaches")).thenComparing(r -> r.<String>getAs("portfolio_id"),
            Comparator.reverseOrder())).orElse(null);
    if (worst != null) {
      s.append(charts(in, runId, worst, policy));
    }
    s.append(Html.chartTitle("Summary, window ending " + toDate));
    s.append(Html.table(List.of("policy", "portfolio", "observations", "MM breaches", "IM breaches", "coverage",
            "Kupiec POF p", "Christoffersen ind. p", "cond. coverage p", "last zone", "red windows", "peak/trough IM",
            "max 30-day IM rise"),
        new boolean[] {false, false, true, true, true, true, true, true, true, false, true, true, true}, rows));
    s.append(Html.note("A breach is a realised loss over the horizon above MM (strict). p-values below 0.05 reject the "
        + "model at 5%. Zones: Basel traffic light over rolling 250-observation windows."));
    return s.append("</section>").toString();
  }

  private static String charts(ReportInputs in, String runId, Row portfolio, String policy) {
    String id = portfolio.getAs("portfolio_id");
    List<Row> days = in.warehouse.read(BacktestTables.BACKTEST_DAILY)
        .filter(col("run_id").equalTo(lit(runId)).and(col("portfolio_id").equalTo(lit(id))))
        .select("date", "im", "mm", "loss", "breach_mm").orderBy("date").collectAsList();
    int n = days.size();
    double[] x = new double[n];
    double[] im = new double[n];
    double[] mm = new double[n];
    double[] loss = new double[n];
    boolean[] breach = new boolean[n];
    List<Double> bx = new ArrayList<>();
    List<Double> by = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row d = days.get(i);
      LocalDate date = d.<Date>getAs("date").toLocalDate();
      x[i] = date.toEpochDay();
      im[i] = MarginSection.value(d, "im");
      mm[i] = MarginSection.value(d, "mm");
      loss[i] = MarginSection.value(d, "loss");
      breach[i] = Boolean.TRUE.equals(d.getAs("breach_mm"));
      if (breach[i]) {
        bx.add(x[i]);
        by.add(loss[i]);
        titles.add(date + ": loss " + Numbers.grouped(loss[i]) + " > MM " + Numbers.grouped(mm[i]));
      }
    }
    StringBuilder s = new StringBuilder();
    if (n == 0) {
      return Html.note("No daily rows for portfolio " + id + " of run " + runId + ".");
    }
    LineChart chart = new LineChart("date", "portfolio's margin currency", BacktestSection::date)
        .line("IM", x, im).line("MM", x, mm).line("realised loss", x, loss)
        .markers("MM breach", bx.stream().mapToDouble(Double::doubleValue).toArray(),
            by.stream().mapToDouble(Double::doubleValue).toArray(), titles);
    s.append(Html.chartTitle("Portfolio " + id + " (most MM breaches, " + policy + "): IM, MM and realised loss"))
        .append(chart.svg(1060, "backtest IM against realised loss"));
    double p = breachProbability(policy);
    TrafficLightResult zones = TrafficLight.evaluate(breach, p);
    if (zones.windowCount() == 0) {
      return s.append(Html.note("Fewer than " + TrafficLight.BASEL_WINDOW + " observations: no traffic-light window yet."))
          .toString();
    }
    int[] counts = zones.windowBreaches();
    double[] wx = new double[counts.length];
    double[] wy = new double[counts.length];
    for (int w = 0; w < counts.length; w++) {
      wx[w] = x[w + TrafficLight.BASEL_WINDOW - 1];
      wy[w] = counts[w];
    }
    int greenMax = largestCountBelow(p, TrafficLight.YELLOW_FROM);
    int yellowMax = largestCountBelow(p, TrafficLight.RED_FROM);
    LineChart rolling = new LineChart("last date of the 250-observation window", "MM breaches in window", BacktestSection::date)
        .band(0, greenMax + 0.5, "#d8f1dc", "green ≤ " + greenMax)
        .band(greenMax + 0.5, yellowMax + 0.5, "#fdf0c2", "yellow ≤ " + yellowMax)
        .band(yellowMax + 0.5, Math.max(yellowMax + 3, Arrays.stream(counts).max().orElse(0) + 1), "#f9d2d2", "red")
        .line("breaches in window", wx, wy);
    return s.append(Html.chartTitle("Traffic light: rolling breach count of portfolio " + id + " (p = " + String.format(java.util.Locale.ROOT, "%.3g", p) + ")"))
        .append(rolling.svg(1060, "traffic light over rolling windows")).toString();
  }

  /** The largest breach count x of a 250-observation window with P(X ≤ x) below {@code zoneFrom}. */
  private static int largestCountBelow(double p, double zoneFrom) {
    int x = 0;
    while (x < TrafficLight.BASEL_WINDOW && TrafficLight.cumulativeProbability(TrafficLight.BASEL_WINDOW, x + 1, p) < zoneFrom) {
      x++;
    }
    return x;
  }

  /** p = 1 − backtest.confidence of the policy when it is a preset; the default 0.99 otherwise. */
  private static double breachProbability(String policy) {
    try {
      return 1 - PolicyLoader.preset(policy).backtest().confidence();
    } catch (RuntimeException notAPreset) {
      return 1 - 0.99;
    }
  }

  /** Two decimals: 1 breach in 2,190 is 99.95%, which one decimal would round to a spotless 100.0%. */
  private static String coverage(Row r) {
    return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * MarginSection.value(r, "coverage"));
  }

  private static String p(Row r, String field) {
    Object v = r.getAs(field);
    return v == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", ((Number) v).doubleValue());
  }

  private static String date(double epochDay) {
    return LocalDate.ofEpochDay(Math.round(epochDay)).toString();
  }
}
