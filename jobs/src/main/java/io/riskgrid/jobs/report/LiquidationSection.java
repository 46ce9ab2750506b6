package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.report.chart.LineChart;
import io.riskgrid.jobs.report.chart.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exchange liquidation curve (DESIGN §7.5): per joint index move x, the accounts that fall below MM and the
 * shortfall beyond their equity, from {@code liquidation_curve} (one row per grid move) when the margin run
 * wrote it.
 */
final class LiquidationSection {
  private LiquidationSection() {}

  static final String TABLE = "liquidation_curve";

  static String html(ReportInputs in) {
    StringBuilder s = new StringBuilder("<section id=\"liquidation\"><h2>Liquidation curve</h2>");
    Optional<Dataset<Row>> table = in.optionalTable(TABLE);
    if (table.isPresent() && Arrays.asList(table.get().columns()).contains("policy_name") && in.policyName() != null) {
      table = Optional.of(table.get().filter(col("policy_name").equalTo(lit(in.policyName()))));
    }
    List<Row> curve = table.isEmpty() ? List.of() : table.get().orderBy("move").collectAsList();
    if (curve.isEmpty()) {
      return s.append(Html.missing("Not computed for " + in.asOf + ": run `riskgrid margin --as-of " + in.asOf
          + "` with a riskgrid that writes liquidation distances and the " + TABLE + " table (DESIGN §7.5)."))
          .append("</section>").toString();
    }
    int n = curve.size();
    double[] move = new double[n];
    double[] accounts = new double[n];
    double[] shortfall = new double[n];
    List<Html.Figure> figures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row r = curve.get(i);
      move[i] = 100 * MarginSection.value(r, "move");
      accounts[i] = MarginSection.value(r, "accounts_liquidated");
      shortfall[i] = MarginSection.value(r, "shortfall_usd");
      for (int shown : new int[] {-30, -20, -10, 10, 20}) {
        if (Math.abs(move[i] - shown) < 1e-6) {
          figures.add(new Html.Figure(String.format(Locale.ROOT, "%,.0f accts", accounts[i]),
              String.format(Locale.ROOT, "%+d%%: below MM; shortfall %s USD", shown, Numbers.compact(shortfall[i]))));
        }
      }
    }
    s.append(Html.figures(figures));
    s.append(Html.charts(
        Html.chartTitle("Accounts below MM after a joint index move")
            + new LineChart("joint move of every index, %", "accounts", LiquidationSection::percent)
                .line("accounts below MM", move, accounts).svg(520, "accounts liquidated by move"),
        Html.chartTitle("Shortfall beyond equity, USD")
            + new LineChart("joint move of every index, %", "USD", LiquidationSection::percent)
                .line("shortfall", move, shortfall).svg(520, "shortfall by move")));
    s.append(Html.note("Every index moves by x at once, vols and time unchanged; MM held at today's value."));
    return s.append("</section>").toString();
  }

  private static String percent(double v) {
    return String.format(Locale.ROOT, "%+.0f%%", v);
  }
}
