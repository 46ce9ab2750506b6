package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;

import io.riskgrid.jobs.report.chart.BarChart;
import io.riskgrid.jobs.report.chart.Numbers;
import io.riskgrid.schemas.OutputTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exchange-wide stress (DESIGN §3.5): shortfall and accounts in deficit per joint scenario, the headline
 * Cover-1 and Cover-2 with their members, and the worst scenario's top contributors. {@code stress_results}
 * holds one row per scenario, so it is read whole; the charts show the scenarios with the largest shortfall.
 */
final class StressSection {
  private StressSection() {}

  static final int SHOWN = 15;

  static String html(ReportInputs in) {
    StringBuilder s = new StringBuilder("<section id=\"stress\"><h2>Stress</h2>");
    Optional<Dataset<Row>> table = in.slice(OutputTables.STRESS_RESULTS);
    List<Row> scenarios = table.isEmpty() ? List.of()
        : table.get().orderBy(col("shortfall_usd").desc(), col("set_name"), col("scenario_id")).collectAsList();
    if (scenarios.isEmpty()) {
      return s.append(Html.missing("Not computed for " + in.asOf + ": run `riskgrid stress --as-of " + in.asOf
          + " --set " + in.policyName() + "` (or `riskgrid demo`).")).append("</section>").toString();
    }
    Row worst = scenarios.get(0);
    Row cover1 = scenarios.stream().max(Comparator.comparingDouble(r -> MarginSection.value(r, "cover1_usd"))).orElseThrow();
    Row cover2 = scenarios.stream().max(Comparator.comparingDouble(r -> MarginSection.value(r, "cover2_usd"))).orElseThrow();
    s.append(Html.figures(List.of(
        new Html.Figure(String.valueOf(scenarios.size()), "joint scenarios, sets " + sets(scenarios)),
        new Html.Figure(Numbers.compact(MarginSection.value(worst, "shortfall_usd")) + " USD",
            "worst shortfall: " + name(worst) + ", " + String.format("%,d", worst.<Long>getAs("accounts_in_deficit"))
                + " accounts in deficit"),
        new Html.Figure(Numbers.compact(MarginSection.value(cover1, "cover1_usd")) + " USD", "Cover-1, in " + name(cover1)),
        new Html.Figure(Numbers.compact(MarginSection.value(cover2, "cover2_usd")) + " USD",
            "Cover-2, in " + name(cover2) + ": members " + String.join(", ", cover2.<String>getList(
                cover2.fieldIndex("cover_members")))))));
    List<Row> shown = scenarios.subList(0, Math.min(SHOWN, scenarios.size()));
    BarChart shortfall = new BarChart("USD", "shortfall", "Cover-2");
    BarChart deficit = new BarChart("accounts");
    List<List<String>> rows = new ArrayList<>();
    for (Row r : shown) {
      shortfall.add(name(r), MarginSection.value(r, "shortfall_usd"), MarginSection.value(r, "cover2_usd"));
      deficit.add(name(r), r.<Long>getAs("accounts_in_deficit"));
      List<String> subs = r.getList(r.fieldIndex("substitutions"));
      rows.add(MarginSection.row(r.getAs("set_name"), r.getAs("label"),
          Numbers.grouped(MarginSection.value(r, "total_pnl_usd")), Numbers.grouped(MarginSection.value(r, "shortfall_usd")),
          String.format("%,d", r.<Long>getAs("accounts_in_deficit")), Numbers.grouped(MarginSection.value(r, "cover1_usd")),
          Numbers.grouped(MarginSection.value(r, "cover2_usd")), String.join(", ", r.<String>getList(r.fieldIndex("cover_members"))),
          subs.isEmpty() ? "" : String.join("; ", subs)));
    }
    String heading = shown.size() < scenarios.size() ? "the " + shown.size() + " scenarios with the largest shortfall"
        : "every scenario, largest shortfall first";
    s.append(Html.charts(
        Html.chartTitle("Shortfall and Cover-2 per scenario, USD: " + heading) + shortfall.svg(560, "shortfall per scenario"),
        Html.chartTitle("Accounts in deficit per scenario") + deficit.svg(440, "accounts in deficit per scenario")));
    s.append(Html.table(List.of("set", "scenario", "total P&L, USD", "shortfall, USD", "accounts in deficit",
        "Cover-1, USD", "Cover-2, USD", "Cover-2 members", "data substituted"),
        new boolean[] {false, false, true, true, true, true, true, false, false}, rows));
    s.append(topContributors(worst));
    s.append(Html.note("Shortfall = loss beyond equity, summed over accounts, coin accounts at the shocked index. "
        + "Cover-k = the k largest member shortfalls (a member is a parent account with its sub-accounts)."));
    return s.append("</section>").toString();
  }

  private static String topContributors(Row worst) {
    List<Row> contributors = worst.getList(worst.fieldIndex("top_contributors"));
    if (contributors.isEmpty()) {
      return Html.note("No member is in deficit in the worst scenario.");
    }
    BarChart chart = new BarChart("USD");
    for (Row c : contributors) {
      chart.add(c.getAs("member_id"), MarginSection.value(c, "shortfall_usd"));
    }
    return Html.chartTitle("Worst scenario, " + name(worst) + ": members with the largest shortfall, USD")
        + chart.svg(760, "top contributors of the worst scenario");
  }

  private static String name(Row r) {
    return r.<String>getAs("label") + " (" + r.<String>getAs("set_name") + ")";
  }

  private static String sets(List<Row> scenarios) {
    return String.join(", ", scenarios.stream().map(r -> r.<String>getAs("set_name")).distinct().sorted().toList());
  }
}
