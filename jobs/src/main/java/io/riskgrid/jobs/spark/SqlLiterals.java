package io.riskgrid.jobs.spark;

import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * SQL literals for the one predicate riskgrid must give as text, Delta's {@code replaceWhere}: the one
 * place a value is written into SQL. A string is quoted with backslash escapes (Spark's SQL reads
 * {@code 'it''s'} as two literals, "it" and "s", not as an escaped quote); every literal is parsed back
 * with the session's own parser and must give the value again, so a value the quoting would not
 * survive fails here, naming it, instead of selecting other rows.
 */
final class SqlLiterals {
  private SqlLiterals() {}

  /** A {@link LocalDate} or a {@link String} as a SQL literal. */
  static String of(SparkSession spark, Object value) {
    if (value instanceof LocalDate date) {
      return date(spark, date);
    }
    if (value instanceof String text) {
      return string(spark, text);
    }
    throw new IllegalArgumentException("no SQL literal for " + value + " (" + value.getClass().getName()
        + "): give a LocalDate or a String");
  }

  /** {@code DATE'yyyy-mm-dd'}. */
  static String date(SparkSession spark, LocalDate date) {
    String literal = "DATE'" + date + "'";
    Object parsed = parse(spark, literal, date);
    if (!(parsed instanceof Integer days) || days != date.toEpochDay()) {
      throw new IllegalArgumentException("the date " + date + " does not survive as the SQL literal " + literal);
    }
    return literal;
  }

  /** {@code 'text'}, with backslashes and quotes escaped. */
  static String string(SparkSession spark, String text) {
    String literal = "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    Object parsed = parse(spark, literal, text);
    if (parsed == null || !parsed.toString().equals(text)) {
      throw new IllegalArgumentException("the text '" + text + "' does not survive as a SQL literal (Spark reads "
          + literal + " as " + parsed + "); is spark.sql.parser.escapedStringLiterals set?");
    }
    return literal;
  }

  /** The value of {@code literal} as the session's parser reads it, or null when it is not a literal. */
  private static Object parse(SparkSession spark, String literal, Object value) {
    Expression parsed;
    try {
      parsed = spark.sessionState().sqlParser().parseExpression(literal);
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException("cannot write " + value + " as a SQL literal: " + e.getMessage(), e);
    }
    return parsed instanceof Literal l ? l.value() : null;
  }
}
