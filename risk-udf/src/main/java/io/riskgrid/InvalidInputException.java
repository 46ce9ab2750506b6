package io.riskgrid;

/**
 * Bad input, with the field (or row, or key) that is wrong and what would fix it. Callers turn it
 * into a {@code REJECTED}/{@code DATA_ERROR} row or a command-line error; it is never swallowed.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidInputException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The input field, row or key that is wrong. */
  public String field() {
    return field;
  }

  /** Checks that {@code value} is finite and strictly positive. */
  public static double requirePositive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidInputException(field, "must be finite and > 0, got " + value);
    }
    return value;
  }

  /** Checks that {@code value} is finite. */
  public static double requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new InvalidInputException(field, "must be finite, got " + value);
    }
    return value;
  }
}
