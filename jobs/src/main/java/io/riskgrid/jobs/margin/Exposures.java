package io.riskgrid.jobs.margin;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.spark.Warehouse;
import io.riskgrid.margin.InstrumentBook;
import io.riskgrid.schemas.InputTables;
import io.riskgrid.schemas.OutputTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exchange exposures by underlying × expiry bucket (DESIGN §3.5), over the accounts that were
 * margined (not REJECTED/DATA_ERROR): per-instrument coefficients from the book, broadcast-joined to
 * positions and summed by Spark; collateral coins go to the SPOT bucket. Nothing per account reaches
 * the driver.
 */
final class Exposures {
  private static final StructType COEFFICIENTS = new StructType()
      .add("instrument_id", DataTypes.StringType)
      .add("underlying", DataTypes.StringType)
      .add("bucket", DataTypes.StringType)
      .add("c_delta", DataTypes.DoubleType)
      .add("c_gamma", DataTypes.DoubleType)
      .add("c_vega", DataTypes.DoubleType)
      .add("c_theta", DataTypes.DoubleType)
      .add("c_coin", DataTypes.DoubleType);

  private Exposures() {}

  static void write(SparkSession spark, Warehouse warehouse, LocalDate asOf, String runId, InstrumentBook book,
      Dataset<Row> results) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < book.instrumentCount(); i++) {
      if (book.rejectReason(i) != null || book.dataError(i) != null) {
        continue;
      }
      Instrument ins = book.instruments().get(i);
      rows.add(RowFactory.create(ins.id(), ins.underlying(), ins.expiry() == null ? "PERP" : ins.expiry().toString(),
          book.usdBasisDelta(i), book.usdBasisGamma(i), book.vegaUsd(i), book.thetaUsd(i), book.coinPerContract(i)));
    }
    Dataset<Row> coefficients = spark.createDataFrame(rows, COEFFICIENTS);
    Dataset<Row> valid = results.filter("status NOT IN ('REJECTED', 'DATA_ERROR')").select("account_id");
    Dataset<Row> positions = warehouse.read(InputTables.POSITIONS, asOf).join(valid, "account_id")
        .join(org.apache.spark.sql.functions.broadcast(coefficients), "instrument_id")
        .select(col("underlying"), col("bucket"), col("quantity").multiply(col("c_delta")).as("net_delta"),
            col("quantity").multiply(col("c_gamma")).as("gamma"), col("quantity").multiply(col("c_vega")).as("vega"),
            col("quantity").multiply(col("c_theta")).as("theta"),
            greatest(col("quantity"), lit(0.0)).multiply(col("c_coin")).as("long_oi"),
            greatest(col("quantity").multiply(-1), lit(0.0)).multiply(col("c_coin")).as("short_oi"));
    Dataset<Row> coins = spark.createDataFrame(book.underlyings().stream().map(u -> RowFactory.create(u)).toList(),
        new StructType().add("underlying", DataTypes.StringType));
    Dataset<Row> spot = warehouse.read(InputTables.COLLATERAL, asOf).join(valid, "account_id")
        .join(coins, col("asset").equalTo(coins.col("underlying")))
        .select(col("underlying"), lit("SPOT").as("bucket"), col("quantity").as("net_delta"), lit(0.0).as("gamma"),
            lit(0.0).as("vega"), lit(0.0).as("theta"), greatest(col("quantity"), lit(0.0)).as("long_oi"),
            abs(org.apache.spark.sql.functions.least(col("quantity"), lit(0.0))).as("short_oi"));
    Dataset<Row> exposures = positions.unionByName(spot).groupBy("underlying", "bucket")
        .agg(sum("net_delta").as("net_delta"), sum("gamma").as("gamma"), sum("vega").as("vega"), sum("theta").as("theta"),
            sum("long_oi").as("long_oi"), sum("short_oi").as("short_oi"))
        .withColumn("as_of_date", lit(SparkValues.date(asOf))).withColumn("run_id", lit(runId));
    warehouse.replaceSlice(exposures.selectExpr(OutputTables.EXPOSURES.schema().fieldNames()), OutputTables.EXPOSURES, asOf);
  }
}
