package io.riskgrid.jobs.spark;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rows a write replaces, as {@code column = value} terms joined by AND, with typed values (a date or
 * a string), never SQL text: {@link Warehouse#replaceWhere} checks the columns against the table and
 * renders the values as quoted SQL literals for Delta's {@code replaceWhere}, in one place.
 */
public final class Where {
  private final Map<String, Object> equal;

  private Where(Map<String, Object> equal) {
    this.equal = equal;
  }

  /** Rows whose date column {@code column} is {@code value}. */
  public static Where equal(String column, LocalDate value) {
    return new Where(new LinkedHashMap<>()).and(column, (Object) value);
  }

  /** Rows whose text column {@code column} is {@code value}. */
  public static Where equal(String column, String value) {
    return new Where(new LinkedHashMap<>()).and(column, (Object) value);
  }

  /** These rows, of which the date column {@code column} is also {@code value}. */
  public Where and(String column, LocalDate value) {
    return and(column, (Object) value);
  }

  /** These rows, of which the text column {@code column} is also {@code value}. */
  public Where and(String column, String value) {
    return and(column, (Object) value);
  }

  private Where and(String column, Object value) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(value, () -> "the value of " + column + " (use a non-null value: = never matches null)");
    Map<String, Object> more = new LinkedHashMap<>(equal);
    if (more.put(column, value) != null) {
      throw new IllegalArgumentException("column " + column + " is constrained twice");
    }
    return new Where(more);
  }

  /** The terms in the order given: column name to a {@link LocalDate} or {@link String}. */
  Map<String, Object> terms() {
    return equal;
  }

  @Override
  public String toString() {
    return equal.toString();
  }
}
