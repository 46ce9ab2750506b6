package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.jobs.input.MarketTables;
import io.riskgrid.jobs.spark.SparkSessions;
import io.riskgrid.jobs.spark.Warehouse;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The market of one date read from a Delta warehouse, for {@code serve --warehouse W --as-of D}: the
 * only place {@code serve} uses Spark, once at start-up, in its own class so a server started from a
 * market file never loads Spark. The session is stopped before the server answers anything.
 */
final class WarehouseMarket {
  private WarehouseMarket() {}

  static ObjectNode read(String location, LocalDate asOf) {
    SparkSession spark = SparkSessions.getOrCreate("riskgrid serve (market)", Map.of());
    try {
      return MarketDocument.of(MarketTables.readSnapshot(Warehouse.at(spark, location), asOf));
    } finally {
      spark.stop();
    }
  }
}
