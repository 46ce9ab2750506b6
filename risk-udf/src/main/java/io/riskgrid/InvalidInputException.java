package io.riskgrid;

/**
 * Bad input, with the field (or row, or key) that is wrong and what would fix it. Callers turn it
 * into a {@code REJECTED}/{@code DATA_ERROR} row or a command-line error; it is never swallowed.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String complaint;

  public InvalidInputException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
    this.complaint = message;
  }

  /** The input field, row or key that is wrong. */
  public String field() {
    return field;
  }

  /**
   * The same complaint about {@code other}: for a caller that passed the input on under another name
   * (a command's own option), so the message names what its user typed.
   */
  public InvalidInputException about(String other) {
    return new InvalidInputException(other, complaint);
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
