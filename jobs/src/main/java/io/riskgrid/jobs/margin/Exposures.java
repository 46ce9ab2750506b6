package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exchange exposures by underlying × expiry bucket (DESIGN §3.5): the partitions summed their margined
 * accounts' positions and collateral coins ({@link ExposureSums}) as they went and sent the sums back
 * with {@link PartitionSideOutputs}; here Spark adds those partial sums up. Positions are not read a second time, and nothing per account reaches the driver.
 */
final class Exposures {
  private Exposures() {}

  /** {@code partials}: rows of {@link ExposureSums#ROW}, one per instrument (or coin) and partition. */
  static void write(Warehouse warehouse, LocalDate asOf, String runId, Dataset<Row> partials) {
    Dataset<Row> exposures = partials.groupBy("underlying", "bucket")
        .agg(sum("net_delta").as("net_delta"), sum("gamma").as("gamma"), sum("vega").as("vega"), sum("theta").as("theta"),
            sum("long_oi").as("long_oi"), sum("short_oi").as("short_oi"))
        .withColumn("as_of_date", lit(SparkValues.date(asOf))).withColumn("run_id", lit(runId));
    warehouse.replaceSlice(exposures.selectExpr(OutputTables.EXPOSURES.schema().fieldNames()), OutputTables.EXPOSURES, asOf);
  }
}
