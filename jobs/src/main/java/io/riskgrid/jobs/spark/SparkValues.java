package io.riskgrid.jobs.spark;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Row;

/** Conversions between Spark row values and engine values; a null number becomes NaN, never 0. */
public final class SparkValues {
  private SparkValues() {}

  public static double number(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? Double.NaN : ((Number) row.get(i)).doubleValue();
  }

  public static String text(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? null : row.getString(i);
  }

  /** A TIMESTAMP value as an instant, whichever Java type the session uses; null stays null. */
  public static Instant instant(Row row, String field) {
    int i = row.fieldIndex(field);
    if (row.isNullAt(i)) {
      return null;
    }
    Object v = row.get(i);
    return v instanceof Instant in ? in : ((Timestamp) v).toInstant();
  }

  public static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  public static Date date(LocalDate d) {
    return Date.valueOf(d);
  }

  /** A Java list as the Scala sequence Spark's row encoder expects for ARRAY columns. */
  public static <T> scala.collection.immutable.Seq<T> seq(java.util.List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  /** A Java map as a Scala map, which Spark's row encoder expects for MAP columns; null values are kept. */
  public static <K, V> scala.collection.Map<K, V> map(java.util.Map<K, V> map) {
    return scala.jdk.javaapi.CollectionConverters.asScala(new java.util.LinkedHashMap<>(map));
  }

  /** A nullable double for an output column: NaN would hide a bug, so it is refused here. */
  public static Double nullable(Double d) {
    if (d != null && Double.isNaN(d)) {
      throw new IllegalStateException("NaN reached an output column");
    }
    return d;
  }
}
