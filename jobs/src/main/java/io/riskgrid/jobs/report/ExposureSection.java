package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.col;

import io.riskgrid.jobs.report.chart.Heatmap;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exchange's net exposure by underlying × expiry bucket (DESIGN §3.5), as heatmaps in USD so that
 * underlyings compare: net delta × S, gamma as the USD change of delta for a 1% move (Γ·S²/100), and vega.
 */
final class ExposureSection {
  private ExposureSection() {}

  static String html(ReportInputs in) {
    StringBuilder s = new StringBuilder("<section id=\"exposures\"><h2>Exposures by underlying × expiry</h2>");
    Optional<Dataset<Row>> table = in.slice(OutputTables.EXPOSURES);
    List<Row> rows = table.isEmpty() ? List.of() : table.get().collectAsList();
    if (rows.isEmpty()) {
      return s.append(Html.missing("Not computed for " + in.asOf + ": run `riskgrid margin --as-of " + in.asOf
          + "`, which writes exposures.")).append("</section>").toString();
    }
    Map<String, Double> index = new HashMap<>();
    for (Row r : in.warehouse.read(InputTables.MARKET_UNDERLYINGS, in.asOf).select("underlying", "index_price")
        .collectAsList()) {
      index.put(r.getString(0), r.getDouble(1));
    }
    List<String> buckets = rows.stream().map(r -> r.<String>getAs("bucket")).distinct()
        .sorted(ExposureSection::bucketOrder).toList();
    List<String> labels = buckets.stream().map(ExposureSection::label).toList();
    Heatmap delta = new Heatmap("net delta, USD (coin delta × index)").columns(labels);
    Heatmap gamma = new Heatmap("gamma, USD of delta per 1% move (Γ·S²/100)").columns(labels);
    Heatmap vega = new Heatmap("vega, USD per vol point").columns(labels);
    List<String> unpriced = new ArrayList<>();
    for (Row r : rows.stream().sorted((a, b) -> a.<String>getAs("underlying").compareTo(b.getAs("underlying"))).toList()) {
      String u = r.getAs("underlying");
      Double spot = index.get(u);
      String bucket = label(r.getAs("bucket"));
      if (spot == null) {
        unpriced.add(u + " " + bucket);
      } else {
        delta.put(u, bucket, MarginSection.value(r, "net_delta") * spot);
        gamma.put(u, bucket, MarginSection.value(r, "gamma") * spot * spot / 100);
      }
      vega.put(u, bucket, MarginSection.value(r, "vega"));
    }
    for (Heatmap h : List.of(delta, gamma, vega)) {
      String title = h == delta ? "Net delta, USD" : h == gamma ? "Gamma, USD per 1% move" : "Vega, USD per vol point";
      s.append(Html.chartTitle(title)).append(h.isEmpty() ? Html.note("No priced bucket.") : h.svg(1060, title));
    }
    if (!unpriced.isEmpty()) {
      s.append(Html.missing("No index price in market_underlyings for " + String.join(", ", unpriced)
          + ": delta and gamma left blank there."));
    }
    s.append(Html.note("Buckets: each expiry (UTC date), PERP for perpetuals, SPOT for collateral. Blue long, red short; "
        + "coin-account figures converted at the index."));
    return s.append("</section>").toString();
  }

  /** Expiry instants in time order, then PERP, then SPOT. */
  private static int bucketOrder(String a, String b) {
    return Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b);
  }

  private static int rank(String bucket) {
    return bucket.equals("SPOT") ? 2 : bucket.equals("PERP") ? 1 : 0;
  }

  /** "2026-01-30T08:00:00Z" → "2026-01-30"; PERP and SPOT as they are. */
  private static String label(String bucket) {
    return bucket.length() >= 10 && Character.isDigit(bucket.charAt(0)) ? bucket.substring(0, 10) : bucket;
  }
}
