package io.riskgrid.jobs.report;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import io.riskgrid.jobs.report.chart.Histogram;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A share (a PM saving, a relative IM change) counted in 5-point bins in Spark, so only the bin counts reach
 * the driver; values beyond the range fall into the open edge bins, never out of the count.
 */
final class ShareBins {
  private ShareBins() {}

  static final double WIDTH = 0.05;

  /** Bins of {@code share} (null rows left out) over [{@code low}, {@code high}), in percent. */
  static Histogram count(Dataset<Row> rows, Column share, double low, double high, String xUnit, String countUnit) {
    int first = (int) Math.round(low / WIDTH);
    int last = (int) Math.round(high / WIDTH) - 1;
    Column bin = least(greatest(floor(share.divide(WIDTH)).cast("int"), lit(first)), lit(last));
    Map<Integer, Long> counts = new HashMap<>();
    List<Row> grouped = rows.filter(share.isNotNull()).select(bin.as("bin")).groupBy("bin").count().collectAsList();
    for (Row r : grouped) {
      counts.put(r.getInt(0), r.getLong(1));
    }
    Histogram histogram = new Histogram(xUnit, countUnit);
    for (int b = first; b <= last; b++) {
      String label = b == first ? "< " + pct(b + 1) : b == last ? "≥ " + pct(b) : pct(b) + " to " + pct(b + 1);
      histogram.add(label, counts.getOrDefault(b, 0L));
    }
    return histogram;
  }

  private static String pct(int bin) {
    return String.format(Locale.ROOT, "%d%%", Math.round(bin * WIDTH * 100));
  }

}
