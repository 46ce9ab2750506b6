package io.riskgrid.jobs.margin;

import io.riskgrid.jobs.spark.SparkValues;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Exchange exposures by underlying × expiry bucket (DESIGN §3.5): the partitions summed their margined
 * accounts' positions and collateral coins ({@link ExposureSums}) as they went and sent the sums back
 * with {@link PartitionSideOutputs}; the driver adds those partial sums (a few thousand rows, one per
 * instrument and partition, nothing per account) and writes one row per underlying and bucket.
 */
final class Exposures {
  private Exposures() {}

  /** {@code partials}: rows of {@link ExposureSums#ROW}, one per instrument (or coin) and partition. */
  static void write(Warehouse warehouse, LocalDate asOf, String runId, List<Row> partials) {
    Map<List<String>, double[]> sums = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
        ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
    for (Row p : partials) {
      double[] s = sums.computeIfAbsent(List.of(p.getString(0), p.getString(1)), k -> new double[6]);
      for (int k = 0; k < 6; k++) {
        s[k] += p.getDouble(2 + k);
      }
    }
    java.sql.Date date = SparkValues.date(asOf);
    List<Row> rows = new ArrayList<>();
    sums.forEach((key, s) -> rows.add(RowFactory.create(date, runId, key.get(0), key.get(1), s[0], s[1], s[2], s[3], s[4],
        s[5])));
    warehouse.replaceSlice(warehouse.spark().createDataFrame(rows, OutputTables.EXPOSURES.schema()), OutputTables.EXPOSURES,
        asOf);
  }
}
