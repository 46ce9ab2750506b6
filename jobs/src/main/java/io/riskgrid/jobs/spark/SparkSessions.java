package io.riskgrid.jobs.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every riskgrid job runs in: Delta enabled, UTC, and otherwise whatever the
 * operator configured. Settings come, lowest precedence first, from riskgrid's defaults below, from
 * {@code spark-submit} or {@code spark.*} system properties, and from the command's {@code --conf k=v}
 * options. Defaults only fill gaps: a master given by {@code spark-submit --master} always wins.
 */
public final class SparkSessions {

  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  /** Spark's static setting for how many generated classes its code generator keeps (default 100). */
  static final String CODEGEN_CACHE_ENTRIES = "spark.sql.codegen.cache.maxEntries";

  private SparkSessions() {}

  /**
   * The active session if one exists (tests share one), otherwise a new one configured by
   * {@link #configure}. With an existing session, {@code overrides} still apply to runtime SQL settings.
   */
  public static SparkSession getOrCreate(String appName, Map<String, String> overrides) {
    SparkConf conf = configure(new SparkConf(), appName, overrides);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * {@code base} (normally {@code new SparkConf()}, which reads spark-submit's settings) with riskgrid's
   * defaults filled in where nothing is set, then {@code overrides} on top.
   */
  public static SparkConf configure(SparkConf base, String appName, Map<String, String> overrides) {
    SparkConf conf = base.clone();
    conf.setIfMissing("spark.app.name", appName);
    // Applied before the defaults so that a --conf spark.master=... decides whether they are local ones.
    overrides.forEach(conf::set);
    conf.setIfMissing("spark.master", "local[*]");
    boolean local = conf.get("spark.master").startsWith("local");
    if (local) {
      conf.setIfMissing("spark.ui.enabled", "false");
      // On one machine, Delta's 50 snapshot tasks and 200 shuffle partitions are pure overhead: every
      // small table read became a 50-task job (measured: stage 1 of a 20k-account margin run spent
      // ~20 s reading the market). Operators on a cluster keep Spark's and Delta's defaults.
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "4");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      // Long stages show Spark's console progress bar (stage, tasks done) on an interactive terminal;
      // logs of tests and CI stay free of it.
      conf.setIfMissing("spark.ui.showConsoleProgress", Boolean.toString(System.console() != null));
    }
    // Spark keeps 100 compiled query classes per JVM. A margin run touches some 20 Delta tables, whose
    // log replays, scans and stats trackers need about 120 distinct classes, so with 100 the cache evicted
    // classes a run still needed: a warm 1M-account run recompiled 153 of them (1.9 s of Janino on 2
    // cores) and ran the new classes interpreted until the JIT caught up. With room for all of them a
    // warm run compiles 28, and the 1M bench's margin median went from 20.35 to 17.61 s (BENCHMARKS.md,
    // stop 29). A class is a few KB.
    conf.setIfMissing(CODEGEN_CACHE_ENTRIES, "2000");
    // Tables store instants; show and convert them in UTC whatever the machine's zone (DESIGN §4).
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
    // Spark's INFO chatter drowns a command's own output; --conf spark.log.level=INFO brings it back.
    conf.setIfMissing("spark.log.level", "WARN");
    conf.set("spark.sql.extensions", withDelta(conf.get("spark.sql.extensions", "")));
    conf.setIfMissing("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
    return conf;
  }

  /** The extension list with Delta's added, keeping any other extension the operator configured. */
  static String withDelta(String extensions) {
    for (String extension : extensions.split(",")) {
      if (extension.trim().equals(DELTA_EXTENSION)) {
        return extensions;
      }
    }
    return extensions.isBlank() ? DELTA_EXTENSION : extensions + "," + DELTA_EXTENSION;
  }
}
