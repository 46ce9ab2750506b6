package io.riskgrid.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The warm path's byte cursor against Jackson, the parser whose trees the service reads: every number
 * text gives the same double to the bit (integers, decimals, exponents, −0, long and tiny ones), text
 * JSON refuses is declined, and objects are stepped over to their own closing brace.
 */
class RequestBytesTest {
  /** As the service reads trees: Jackson with its fast double parser. */
  private static final ObjectMapper TREE = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

  private static RequestBytes cursor(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new RequestBytes(bytes, 0, bytes.length);
  }

  /** The number as the cursor reads it, inside an array so its end is checked as a value's is. */
  private static double read(String number) throws WarmRequestReader.Decline {
    RequestBytes in = cursor("[" + number + "]");
    in.expect('[');
    double d = in.number();
    in.expect(']');
    assertTrue(in.atEnd());
    return d;
  }

  private static double jackson(String number) throws IOException {
    JsonNode node = TREE.readTree("[" + number + "]").get(0);
    assertTrue(node.isNumber(), number);
    return node.asDouble();
  }

  private static void same(String number) throws Exception {
    double expected = jackson(number);
    double actual = read(number);
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
        () -> number + ": Jackson " + expected + ", cursor " + actual);
  }

  @Test
  void numbersReadAsJacksonsTreeToTheBit() throws Exception {
    for (String n : List.of("0", "-0", "0.0", "-0.0", "0e5", "-0E-5", "1", "-1", "41.5", "-29.5", "0.01", "80000.0",
        "1e22", "1e23", "9007199254740993", "9007199254740993.0", "123456789012345678", "1234567890123456789",
        "-9223372036854775808", "9223372036854775808", "123456789012345678901234567890", "0.1", "0.30000000000000004",
        "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308", "1e-400", "123.456e-7", "1E+2",
        "0.000000000000000000000001", "100000000000000000000000", "3.141592653589793238462643383279",
        "1.00000000000000000000000001", "-12345678901234567.5", "999999999999999.9", "9999999999999999e-16")) {
      same(n);
    }
    SplittableRandom random = new SplittableRandom(17);
    for (int k = 0; k < 50_000; k++) {
      same(randomNumber(random));
    }
  }

  /** A number text in any JSON form: sign, 1–25 digits, a fraction, an exponent. */
  private static String randomNumber(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    if (random.nextBoolean()) {
      s.append('-');
    }
    int digits = random.nextInt(1, random.nextBoolean() ? 8 : 26);
    s.append(random.nextInt(10) == 0 ? '0' : (char) ('1' + random.nextInt(9)));
    if (s.charAt(s.length() - 1) != '0') {
      for (int d = 1; d < digits; d++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextBoolean()) {
      s.append('.');
      for (int d = random.nextInt(1, 20); d > 0; d--) {
        s.append((char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextInt(3) == 0) {
      s.append(random.nextBoolean() ? 'e' : 'E');
      s.append(random.nextInt(3) == 0 ? "+" : random.nextBoolean() ? "-" : "");
      s.append(random.nextInt(random.nextBoolean() ? 30 : 340));
    }
    return s.toString();
  }

  @Test
  void decimalsOfARandomDoubleRoundTrip() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    for (int k = 0; k < 20_000; k++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(d)) {
        same(Double.toString(d));
        same(new BigDecimal(d).toPlainString().length() > 400 ? Double.toString(d) : new BigDecimal(d).toString());
      }
    }
  }

  @Test
  void textJsonRefusesIsDeclined() {
    for (String n : List.of("01", "-01", "00", "-", "1.", ".5", "1e", "1e+", "+1", "--1", "1.5.3", "0x10", "NaN",
        "Infinity", "-Infinity", "1ee5", "1e5.5", "1_000", "nul", "true")) {
      assertThrows(WarmRequestReader.Decline.class, () -> read(n), n);
    }
  }

  @Test
  void stringsArePlainAsciiOrDeclined() throws Exception {
    RequestBytes in = cursor("[\"acc-1\", \"BTC_USDC-25DEC26-80000-C\", \"\"]");
    in.expect('[');
    assertEquals("acc-1", in.string());
    in.expect(',');
    assertEquals("BTC_USDC-25DEC26-80000-C", in.string());
    in.expect(',');
    assertEquals("", in.string());
    in.expect(']');
    for (String text : List.of("\"a\\\"b\"", "\"a\\u0041\"", "\"caf\u00e9\"", "\"a\u0001\"", "\"a\tb\"",
        "\"open", "7")) {
      assertThrows(WarmRequestReader.Decline.class, () -> cursor(text).string(), text);
    }
  }

  @Test
  void namesAreMatchedByTheirBytes() throws Exception {
    byte[][] names = {"quantity".getBytes(StandardCharsets.US_ASCII), "instrument".getBytes(StandardCharsets.US_ASCII)};
    assertEquals(1, cursor("\"instrument\"").name(names));
    assertEquals(0, cursor(" \"quantity\"").name(names));
    for (String text : List.of("\"quantit\"", "\"quantityy\"", "\"Quantity\"", "\"quan\\u0074ity\"", "quantity")) {
      assertThrows(WarmRequestReader.Decline.class, () -> cursor(text).name(names), text);
    }
  }

  @Test
  void anObjectIsSteppedOverToItsOwnClosingBrace() throws Exception {
    String inner = "{\"a\":{\"b\":[1,{\"c\":\"}]\\\"{\"}],\"d\":\"\\\\\"},\"e\":[]}";
    String text = "[" + inner + " , 5]";
    RequestBytes in = cursor(text);
    in.expect('[');
    int from = in.skipObject();
    assertEquals(1, from);
    assertEquals(inner, text.substring(from, in.position()));
    TREE.readTree(inner);
    in.expect(',');
    assertEquals(5.0, in.number());
    for (String bad : List.of("{\"a\":1", "{\"a\":\"}", "{\"a\":[1}]", "[1]", "{\"a\":1]")) {
      assertThrows(WarmRequestReader.Decline.class, () -> cursor(bad).skipObject(), bad);
    }
  }

  @Test
  void nullIsAWholeWord() throws Exception {
    assertTrue(cursor(" null").consumeNull());
    assertEquals(false, cursor("\"null\"").consumeNull());
    assertThrows(WarmRequestReader.Decline.class, () -> cursor("nul").consumeNull());
  }
}
