package io.riskgrid.jobs.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options every Spark command shares, as a picocli mixin ({@code @Mixin SparkOptions spark;}):
 * where the warehouse is, and any Spark setting to override.
 */
public final class SparkOptions {

  @Option(names = "--warehouse", paramLabel = "DIR",
      defaultValue = "${env:RISKGRID_WAREHOUSE:-" + Warehouse.DEFAULT_LOCATION + "}",
      description = "Delta warehouse directory or URI (default: $RISKGRID_WAREHOUSE or ${DEFAULT-VALUE}).")
  String warehouse;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A Spark setting, repeatable; wins over spark-submit and riskgrid's defaults, "
          + "e.g. --conf spark.sql.shuffle.partitions=8 --conf spark.master=local[2].")
  Map<String, String> conf = new LinkedHashMap<>();

  /** The session, configured as {@link SparkSessions} describes, with this command's {@code --conf}. */
  public SparkSession session(String appName) {
    return SparkSessions.getOrCreate(appName, conf);
  }

  /**
   * The session, with {@code commandDefaults} filled in where neither {@code --conf} nor spark-submit (or a
   * {@code spark.*} system property) sets them: settings that suit one command, which operators still override.
   */
  public SparkSession session(String appName, Map<String, String> commandDefaults) {
    SparkConf submitted = new SparkConf();
    Map<String, String> merged = new LinkedHashMap<>();
    commandDefaults.forEach((key, value) -> {
      if (!conf.containsKey(key) && !submitted.contains(key)) {
        merged.put(key, value);
      }
    });
    merged.putAll(conf);
    return SparkSessions.getOrCreate(appName, merged);
  }

  /** The warehouse named by {@code --warehouse}. */
  public Warehouse warehouse(SparkSession spark) {
    return Warehouse.at(spark, warehouse);
  }
}
