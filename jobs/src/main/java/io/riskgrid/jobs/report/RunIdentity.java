package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.spark.BuildInfo;
import io.riskgrid.schemas.OutputTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The block the report opens with: which margin run it shows (as_of, run_id, policy name and hash, the
 * input tables' Delta versions, kernel, code version, from the {@code runs} row), and the other runs of the
 * date, so a reader can tell exactly what produced every figure.
 */
final class RunIdentity {
  private RunIdentity() {}

  static String html(ReportInputs in) {
    Row run = in.marginRun;
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("business date (as_of)", String.valueOf(in.asOf)));
    rows.add(List.of("margin run", text(run, "run_id") + ", finished " + run.getAs("finished_at") + " UTC"));
    rows.add(List.of("policy", text(run, "policy_name") + ", hash " + text(run, "policy_hash")));
    rows.add(List.of("input versions (Delta)", map(run, "input_versions")));
    rows.add(List.of("kernel", text(run, "kernel") + " (" + text(run, "kernel_reason") + ")"));
    rows.add(List.of("grouping path", text(run, "grouping_path")));
    rows.add(List.of("counts", map(run, "counts")));
    rows.add(List.of("stage timings, ms", map(run, "timings_ms")));
    rows.add(List.of("code version", text(run, "code_version") + " (report written by " + BuildInfo.codeVersion() + ")"));
    rows.add(List.of("warehouse", in.warehouse.location()));
    StringBuilder s = new StringBuilder("<section id=\"run\"><h2>Run</h2><table class=\"identity\"><tbody>");
    for (List<String> r : rows) {
      s.append("<tr><td>").append(Html.escape(r.get(0))).append("</td><td>").append(Html.escape(r.get(1)))
          .append("</td></tr>");
    }
    s.append("</tbody></table>");
    List<List<String>> others = new ArrayList<>();
    for (Row r : in.warehouse.read(OutputTables.RUNS)
        .filter(col("as_of_date").equalTo(lit(java.sql.Date.valueOf(in.asOf)))
            .and(col("run_id").notEqual(lit(text(run, "run_id")))))
        .orderBy(col("finished_at")).limit(20).collectAsList()) {
      others.add(MarginSection.row(text(r, "command"), text(r, "run_id"), text(r, "policy_name"),
          String.valueOf(r.<Object>getAs("finished_at"))));
    }
    if (!others.isEmpty()) {
      s.append(Html.chartTitle("Other runs of " + in.asOf)).append(Html.table(
          List.of("command", "run_id", "policy", "finished (UTC)"), new boolean[4], others));
    }
    return s.append("</section>").toString();
  }

  private static String text(Row r, String field) {
    Object v = r.getAs(field);
    return v == null ? "n/a" : v.toString();
  }

  private static String map(Row r, String field) {
    Map<String, Object> m = r.getJavaMap(r.fieldIndex(field));
    if (m == null || m.isEmpty()) {
      return "n/a";
    }
    List<String> parts = new ArrayList<>();
    new TreeMap<>(m).forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }
}
