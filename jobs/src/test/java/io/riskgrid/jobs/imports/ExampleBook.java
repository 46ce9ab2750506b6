package io.riskgrid.jobs.imports;

import io.riskgrid.jobs.spark.SparkSessions;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The example book the README ships ({@code deploy/examples/book}) and the small local Spark its tests run on. */
final class ExampleBook {
  /** The folder, from the jobs module where the tests run. */
  static final Path DIR = Path.of("..", "deploy", "examples", "book");

  private ExampleBook() {}

  /** One of the example's files, as a path string for the command line. */
  static String file(String name) {
    return DIR.resolve(name).toString();
  }

  /** Two local cores and two partitions: the example is a dozen accounts. */
  static SparkSession spark(String app) {
    return SparkSessions.getOrCreate(app, Map.of("spark.master", "local[2]", "spark.sql.shuffle.partitions", "2",
        "spark.default.parallelism", "2", "spark.ui.enabled", "false", "spark.databricks.delta.snapshotPartitions", "2"));
  }
}
