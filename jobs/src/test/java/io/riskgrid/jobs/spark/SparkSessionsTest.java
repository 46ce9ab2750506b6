package io.riskgrid.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

  private static final String DELTA = SparkSessions.DELTA_EXTENSION;

  @Test
  void aBareRunIsLocalWithDeltaInUtcAndNoUi() {
    SparkConf conf = SparkSessions.configure(new SparkConf(false), "app", Map.of());
    assertEquals("local[*]", conf.get("spark.master"));
    assertEquals("app", conf.get("spark.app.name"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertEquals("UTC", conf.get("spark.sql.session.timeZone"));
    assertEquals(DELTA, conf.get("spark.sql.extensions"));
    assertEquals(SparkSessions.DELTA_CATALOG, conf.get("spark.sql.catalog.spark_catalog"));
    assertEquals("2000", conf.get(SparkSessions.CODEGEN_CACHE_ENTRIES));
  }

  @Test
  void sparkSubmitsMasterWinsAndTheUiIsLeftToTheCluster() {
    SparkConf submitted = new SparkConf(false)
        .set("spark.master", "spark://127.0.0.1:7077")
        .set("spark.app.name", "from-submit");
    SparkConf conf = SparkSessions.configure(submitted, "app", Map.of());
    assertEquals("spark://127.0.0.1:7077", conf.get("spark.master"));
    assertEquals("from-submit", conf.get("spark.app.name"));
    assertFalse(conf.contains("spark.ui.enabled"));
  }

  @Test
  void confOptionsWinOverEverything() {
    SparkConf submitted = new SparkConf(false).set("spark.master", "spark://127.0.0.1:7077");
    SparkConf conf = SparkSessions.configure(submitted, "app", Map.of(
        "spark.master", "local[2]",
        "spark.ui.enabled", "true",
        "spark.sql.session.timeZone", "Asia/Tokyo",
        "spark.log.level", "INFO",
        "spark.sql.catalog.spark_catalog", "org.example.Catalog",
        SparkSessions.CODEGEN_CACHE_ENTRIES, "100"));
    assertEquals("local[2]", conf.get("spark.master"));
    assertEquals("true", conf.get("spark.ui.enabled"));
    assertEquals("Asia/Tokyo", conf.get("spark.sql.session.timeZone"));
    assertEquals("INFO", conf.get("spark.log.level"));
    assertEquals("org.example.Catalog", conf.get("spark.sql.catalog.spark_catalog"));
    assertEquals("100", conf.get(SparkSessions.CODEGEN_CACHE_ENTRIES));
  }

  @Test
  void deltaJoinsTheOperatorsExtensionsOnce() {
    assertEquals("org.example.Ext," + DELTA, SparkSessions.withDelta("org.example.Ext"));
    assertEquals("org.example.Ext, " + DELTA, SparkSessions.withDelta("org.example.Ext, " + DELTA));
    SparkConf conf = SparkSessions.configure(new SparkConf(false), "app",
        Map.of("spark.sql.extensions", "org.example.Ext"));
    assertEquals("org.example.Ext," + DELTA, conf.get("spark.sql.extensions"));
  }

  @Test
  void theBaseConfIsNotModified() {
    SparkConf base = new SparkConf(false);
    SparkSessions.configure(base, "app", Map.of("spark.sql.shuffle.partitions", "3"));
    assertFalse(base.contains("spark.master"));
    assertFalse(base.contains("spark.sql.shuffle.partitions"));
  }
}
