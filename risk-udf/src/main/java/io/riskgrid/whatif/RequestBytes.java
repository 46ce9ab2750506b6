package io.riskgrid.whatif;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over a warm what-if request's bytes that reads the plain JSON a client sends and declines
 * everything else ({@link WarmRequestReader.Decline}): objects, arrays, {@code null}, ASCII strings
 * without escapes, numbers, and whole objects stepped over as raw bytes. It never accepts text a JSON
 * parser would refuse, and reads every value it accepts as Jackson's tree does ({@code RequestBytesTest}):
 * the tree path, which reports errors, takes whatever is declined.
 *
 * <p>Why not Jackson's token stream: a warm request is mostly instrument definitions the service has
 * seen before, looked up by their bytes, and a token parser still reads each of their names and values
 * to step over them (a third of a served request's CPU, #14). Here stepping over one is a scan for its
 * closing brace.
 */
final class RequestBytes {
  /** Exact powers of ten: a decimal of at most 15 digits and |exponent| ≤ 22 is one correctly rounded operation. */
  private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  private static final long EXACT_MANTISSA = 1L << 53;

  private final byte[] bytes;
  private final int end;
  private int at;

  /** Reads {@code bytes[from, to)}. */
  RequestBytes(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.at = from;
    this.end = to;
  }

  /** The index of the next byte. */
  int position() {
    return at;
  }

  /** The end of the bytes this cursor reads (exclusive). */
  int end() {
    return end;
  }

  /** Where the next value starts (after white space); declines at the end. */
  int valueStart() throws WarmRequestReader.Decline {
    peek();
    return at;
  }

  /** Moves to {@code position}, just past a value the caller has matched byte for byte. */
  void moveTo(int position) {
    at = position;
  }

  /** The next byte after white space, not consumed. */
  byte peek() throws WarmRequestReader.Decline {
    skipWhiteSpace();
    require(at < end);
    return bytes[at];
  }

  /** Consumes {@code c}, after white space; declines on anything else. */
  void expect(char c) throws WarmRequestReader.Decline {
    require(peek() == c);
    at++;
  }

  /** Consumes {@code c} if it is next (after white space). */
  boolean consume(char c) throws WarmRequestReader.Decline {
    if (peek() == c) {
      at++;
      return true;
    }
    return false;
  }

  /** Whether only white space is left. */
  boolean atEnd() {
    skipWhiteSpace();
    return at == end;
  }

  /** Consumes {@code null} if it is the next value. */
  boolean consumeNull() throws WarmRequestReader.Decline {
    if (peek() != 'n') {
      return false;
    }
    require(at + 4 <= end && bytes[at + 1] == 'u' && bytes[at + 2] == 'l' && bytes[at + 3] == 'l');
    at += 4;
    return true;
  }

  /**
   * A string value of printable ASCII without escapes (what a client sends for ids, codes and dates);
   * declines on an escape, a control character or any non-ASCII byte, which the tree path decodes.
   */
  String string() throws WarmRequestReader.Decline {
    int from = plainString();
    return new String(bytes, from, at - 1 - from, StandardCharsets.ISO_8859_1);
  }

  /**
   * An object's next field name, as its index in {@code names} (each an ASCII name as its bytes); declines
   * on a name not among them.
   */
  int name(byte[][] names) throws WarmRequestReader.Decline {
    int from = plainString();
    int length = at - 1 - from;
    for (int k = 0; k < names.length; k++) {
      byte[] name = names[k];
      if (name.length == length && Arrays.equals(bytes, from, at - 1, name, 0, length)) {
        return k;
      }
    }
    throw WarmRequestReader.DECLINE;
  }

  /**
   * A number value (JSON's grammar, nothing more) as the double Jackson's tree gives it: an integer is
   * that integer rounded once ({@code -0} is 0), a decimal is correctly rounded ({@code -0.0} is −0).
   */
  double number() throws WarmRequestReader.Decline {
    skipWhiteSpace();
    int from = at;
    boolean negative = at < end && bytes[at] == '-';
    if (negative) {
      at++;
    }
    // The first 18 significant digits, exactly (a long holds them); more send the text to the JDK below.
    long mantissa = 0;
    int digits = 0;
    int intStart = at;
    while (at < end && isDigit(bytes[at])) {
      if (digits < 18) {
        mantissa = 10 * mantissa + (bytes[at] - '0');
      }
      digits += mantissa == 0 ? 0 : 1; // leading zeros are not significant
      at++;
    }
    int intDigits = at - intStart;
    // JSON: at least one integer digit and no leading zero before another digit.
    require(intDigits > 0 && (bytes[intStart] != '0' || intDigits == 1));
    int exponent = 0;
    boolean integer = true;
    if (at < end && bytes[at] == '.') {
      integer = false;
      at++;
      int fractionStart = at;
      while (at < end && isDigit(bytes[at])) {
        if (digits < 18) {
          mantissa = 10 * mantissa + (bytes[at] - '0');
          exponent--;
        }
        digits += mantissa == 0 ? 0 : 1;
        at++;
      }
      require(at > fractionStart);
    }
    if (at < end && (bytes[at] == 'e' || bytes[at] == 'E')) {
      integer = false;
      at++;
      boolean negativeExponent = false;
      if (at < end && (bytes[at] == '+' || bytes[at] == '-')) {
        negativeExponent = bytes[at] == '-';
        at++;
      }
      int exponentStart = at;
      int written = 0;
      while (at < end && isDigit(bytes[at])) {
        written = written < 100_000 ? 10 * written + (bytes[at] - '0') : written;
        at++;
      }
      require(at > exponentStart);
      exponent += negativeExponent ? -written : written;
    }
    if (integer && digits <= 18) {
      // Jackson reads an integer of up to 18 digits as a long: exact, then one rounding to double, and
      // -0 as the integer 0.
      return negative ? (double) -mantissa : (double) mantissa;
    }
    if (!integer && digits <= 15 && exponent >= -22 && exponent <= 22 && mantissa < EXACT_MANTISSA) {
      // Both operands exact, so the one multiplication or division is the correctly rounded decimal.
      double value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
      return negative ? -value : value;
    }
    // Longer numbers: the JDK's correctly rounded reading, as Jackson's for a decimal or a big integer.
    return Double.parseDouble(new String(bytes, from, at - from, StandardCharsets.ISO_8859_1));
  }

  /**
   * Steps over the object that is the next value, returning where it starts ({@link #position()} is then
   * just after it). It checks only that strings and brackets close; the caller uses the bytes only where
   * they equal bytes a JSON parser has read whole before.
   */
  int skipObject() throws WarmRequestReader.Decline {
    require(peek() == '{');
    int from = at;
    int depth = 0;
    while (at < end) {
      byte c = bytes[at++];
      if (c == '"') {
        while (true) {
          require(at < end);
          byte s = bytes[at++];
          if (s == '"') {
            break;
          }
          if (s == '\\') {
            at++;
          }
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          require(c == '}');
          return from;
        }
      }
    }
    throw WarmRequestReader.DECLINE;
  }

  /**
   * Reads a string of printable ASCII without escapes, returning where its text starts; the cursor is then
   * just past its closing quote. A byte of 0x80 or more is negative as a Java byte, so the one test
   * declines control characters and non-ASCII bytes alike.
   */
  private int plainString() throws WarmRequestReader.Decline {
    expect('"');
    int from = at;
    while (true) {
      require(at < end);
      byte c = bytes[at++];
      if (c == '"') {
        return from;
      }
      require(c >= 0x20 && c != '\\');
    }
  }

  private void skipWhiteSpace() {
    while (at < end) {
      byte c = bytes[at];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      at++;
    }
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static void require(boolean ok) throws WarmRequestReader.Decline {
    if (!ok) {
      throw WarmRequestReader.DECLINE;
    }
  }
}
