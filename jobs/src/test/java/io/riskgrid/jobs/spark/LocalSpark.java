package io.riskgrid.jobs.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The small local session the Spark tests share, one per test class, built by {@link SparkSessions}. */
final class LocalSpark {

  private LocalSpark() {}

  static SparkSession start() {
    return SparkSessions.getOrCreate("riskgrid-test", Map.of(
        "spark.master", "local[2]",
        "spark.sql.shuffle.partitions", "2",
        "spark.default.parallelism", "2",
        "spark.ui.enabled", "false",
        // Delta rebuilds table state with 50 tasks by default: far too many for tables this small.
        "spark.databricks.delta.snapshotPartitions", "2",
        "spark.sql.codegen.wholeStage", "false",
        "spark.sql.adaptive.enabled", "false"));
  }
}
