package io.riskgrid.whatif;

import static io.riskgrid.whatif.WhatIfFixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.kernel.ScalarKernel;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path answers exactly as the tree path: byte-identical responses over the shipped
 * examples and randomized requests (any field order, number form, layout), the same error for every
 * bad request, and a changed instrument definition under a cached id is parsed again, never served stale.
 * Each comparison sends the same bytes to a service reading bytes and writing them
 * ({@link WhatIfService#evaluateToBytes}) and to one given the tree, whose response tree is then written.
 */
class WarmRequestReaderTest {
  private static final Path EXAMPLES = Path.of("..", "deploy", "examples", "whatif");
  private static final MarginPolicy SEED = PolicyLoader.load("seed-default");

  private final WhatIfService viaBytes = WhatIfService.forService(ScalarKernel.INSTANCE, false);
  private final WhatIfService viaTree = WhatIfService.forService(ScalarKernel.INSTANCE, false);

  private static JsonNode tree(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidInputException("request", "is not valid JSON: " + e.getMessage());
    }
  }

  private static byte[] bytes(JsonNode doc, boolean pretty) {
    try {
      return (pretty ? JSON.writerWithDefaultPrettyPrinter() : JSON.writer()).writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The response bytes, or "error: " and the message. */
  private static String answer(Supplier<byte[]> evaluate) {
    try {
      return new String(evaluate.get(), StandardCharsets.UTF_8);
    } catch (InvalidInputException e) {
      return "error: " + e.getMessage();
    }
  }

  /** The bytes path: stream (or tree) in, generator out. */
  private static String viaBytes(WhatIfService service, byte[] request, ServedMarket market, MarginPolicy policy) {
    return answer(() -> service.evaluateToBytes(request, 0, request.length, market, policy, () -> tree(request),
        JSON.getFactory()));
  }

  /** The tree path: tree in, tree out, written by the mapper. */
  private static String viaTree(WhatIfService service, byte[] request, ServedMarket market, MarginPolicy policy) {
    return answer(() -> bytes(service.evaluate(tree(request), market, policy), false));
  }

  /** Both services' answers to {@code request}; asserts they are equal and returns the bytes one. */
  private String same(byte[] request, ServedMarket market, MarginPolicy policy) {
    String fromBytes = viaBytes(viaBytes, request, market, policy);
    String fromTree = viaTree(viaTree, request, market, policy);
    assertEquals(fromTree, fromBytes, () -> new String(request, StandardCharsets.UTF_8));
    return fromBytes;
  }

  private static ServedMarket served(JsonNode request) {
    ObjectNode doc = JSON.createObjectNode();
    doc.set("as_of", request.get("as_of"));
    doc.set("market", request.get("market"));
    return ServedMarket.parse(doc);
  }

  /** The request without market (so valued on the served one) and, when {@code dropPolicy}, without policy. */
  private static ObjectNode servedForm(JsonNode request, boolean dropAsOf, boolean dropPolicy) {
    ObjectNode out = request.deepCopy();
    out.remove("market");
    if (dropAsOf) {
      out.remove("as_of");
    }
    if (dropPolicy) {
      out.remove("policy");
    }
    return out;
  }

  @Test
  void shippedExamplesAnswerByteForByteAsTheTreePath() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(3, examples.size(), examples::toString);
    for (Path example : examples) {
      byte[] raw = Files.readAllBytes(example);
      JsonNode request = JSON.readTree(raw);
      long fastBefore = viaBytes.streamedRequests();
      for (int round = 0; round < 3; round++) {
        assertTrue(same(raw, null, null).contains("\"im\""), example::toString);
      }
      // The first call learns the request (tree path); the next two are answered by the stream.
      assertEquals(fastBefore + 2, viaBytes.streamedRequests(), example::toString);
      ServedMarket market = served(request);
      byte[] servedForm = bytes(servedForm(request, true, false), false);
      for (int round = 0; round < 2; round++) {
        String answer = same(servedForm, market, SEED);
        assertTrue(answer.contains("\"source\":\"served\""), answer);
      }
      assertEquals(fastBefore + 4, viaBytes.streamedRequests(), example::toString);
      // Keys in another order, compact: new bytes for every definition, learnt through the tree cache.
      same(bytes(shuffled(request, new SplittableRandom(example.hashCode())), false), null, null);
      assertEquals(fastBefore + 5, viaBytes.streamedRequests(), example::toString);
    }
  }

  @Test
  void theReaderBuildsWhatTheTreeParserBuilds() {
    WhatIfRequestParser parser = new WhatIfRequestParser(false);
    WarmRequestReader reader = new WarmRequestReader(parser);
    ObjectNode request = WhatIfFixtures.request();
    byte[] raw = bytes(request, true);
    assertEquals(null, reader.read(raw, 0, raw.length, null, null), "nothing learnt yet: declines");
    WhatIfRequestParser.Parsed fromTree = parser.parse(request, null, null);
    WhatIfRequestParser.Parsed fromBytes = reader.read(raw, 0, raw.length, null, null);
    assertNotNull(fromBytes);
    assertEquals(fromTree, fromBytes);
    // From an offset inside a larger buffer, as a JSON Lines batch passes its lines.
    byte[] padded = new byte[raw.length + 20];
    System.arraycopy(raw, 0, padded, 7, raw.length);
    padded[raw.length + 7] = '\n';
    assertEquals(fromTree, reader.read(padded, 7, raw.length, null, null));
  }

  @Test
  void randomizedRequestsAnswerByteForByteAsTheTreePath() {
    ObjectNode fixture = WhatIfFixtures.request();
    ServedMarket market = served(fixture);
    List<ObjectNode> definitions = definitions();
    SplittableRandom random = new SplittableRandom(14);
    int requests = 400;
    long fastBefore = viaBytes.streamedRequests();
    for (int n = 0; n < requests; n++) {
      boolean ownMarket = random.nextInt(4) == 0;
      ObjectNode request = ownMarket ? fixture.deepCopy() : servedForm(fixture, random.nextBoolean(), random.nextBoolean());
      ObjectNode account = (ObjectNode) request.get("account");
      account.put("account_id", "acc-" + random.nextInt(50));
      switch (random.nextInt(3)) {
        case 0 -> account.remove("parent_id");
        case 1 -> account.putNull("parent_id");
        default -> account.put("parent_id", "parent-" + random.nextInt(3));
      }
      account.set("positions", positions(definitions, random, random.nextInt(0, 12)));
      if (random.nextInt(4) == 0) {
        account.remove("collateral");
      } else {
        ArrayNode collateral = account.putArray("collateral");
        for (int c = random.nextInt(3); c > 0; c--) {
          collateral.addObject().put("asset", random.nextBoolean() ? "USDC" : "BTC").set("quantity", number(random));
        }
      }
      if (random.nextInt(3) == 0) {
        request.remove("order");
      } else {
        request.putObject("order").set("positions", positions(definitions, random, random.nextInt(1, 3)));
      }
      if (request.has("policy") && random.nextBoolean()) {
        request.put("policy", random.nextBoolean() ? "span16" : "deribit-like");
      }
      JsonNode sent = random.nextBoolean() ? shuffled(request, random) : request;
      String answer = same(bytes(sent, random.nextBoolean()), market, SEED);
      assertTrue(answer.startsWith("{\"account_id\""), answer);
    }
    long fast = viaBytes.streamedRequests() - fastBefore;
    // Only a request with a definition or a layout of it not seen before takes the tree path.
    assertTrue(fast > requests * 3 / 4, "answered by the stream: " + fast + " of " + requests);
  }

  @Test
  void everyBadRequestAnswersTheSameError() {
    ObjectNode fixture = WhatIfFixtures.request();
    ServedMarket market = served(fixture);
    // Warm: the market and every definition are known, so the stream is tried on each mutant.
    same(bytes(fixture, false), market, SEED);
    same(bytes(servedForm(fixture, true, true), false), market, SEED);
    int errors = 0;
    int mutants = 0;
    for (ObjectNode base : List.of(fixture, servedForm(fixture, false, false), servedForm(fixture, true, true))) {
      for (ObjectNode mutant : SchemaAcceptorTest.mutants(base)) {
        if (same(bytes(mutant, false), market, SEED).startsWith("error: ")) {
          errors++;
        }
        mutants++;
      }
    }
    String valid = new String(bytes(servedForm(fixture, true, true), false), StandardCharsets.UTF_8);
    List<String> texts = List.of(
        valid.replace("\"account\":{", "\"account\":{\"account_id\":\"first\","),
        valid.replace("\"account\":{", "\"account\":{\"margin_mode\":7,"),
        valid.replace("\"quantity\":5", "\"quantity\":5,\"quantity\":\"5\""),
        valid.replace("\"quantity\":5", "\"quantity\":1e400"),
        valid.replace("\"quantity\":5", "\"quantity\":NaN"),
        valid.replace("{\"account\"", "{\"as_of\":\"2026-01-06T08:00:00Z\",\"account\""),
        valid.replace("{\"account\"", "{\"as_of\":\"2026-01-05T08:00\",\"account\""),
        valid.replace("{\"account\"", "{\"policy\":\"nope\",\"account\""),
        valid.replace("{\"account\"", "{\"policy\":\"/etc/passwd\",\"account\""),
        valid.replace("{\"account\"", "{\"policy\":\"\",\"account\""),
        valid.replace("{\"account\"", "{\"policy\":{\"name\":\"x\"},\"account\""),
        valid.replace("\"strike\":110000", "\"strike\":110000.5").replace("BTC-30JAN26-110000-C", "BTC-30JAN26-100000-C"),
        valid + " {}",
        valid + "x",
        valid.substring(0, valid.length() - 1),
        "[]",
        "null",
        "{}");
    for (String text : texts) {
      if (same(text.getBytes(StandardCharsets.UTF_8), market, SEED).startsWith("error: ")) {
        errors++;
      }
    }
    assertTrue(mutants > 1000, "mutants: " + mutants);
    assertTrue(errors > 500, "requests answered with an error: " + errors);
    // Without a served market or policy, a request lacking them is an error on both paths.
    byte[] noMarket = bytes(servedForm(fixture, true, true), false);
    String fromBytes = viaBytes(viaBytes, noMarket, null, SEED);
    assertEquals(viaTree(viaTree, noMarket, null, SEED), fromBytes);
    assertTrue(fromBytes.startsWith("error: market: is missing"), fromBytes);
    String noPolicy = viaBytes(viaBytes, noMarket, market, null);
    assertTrue(noPolicy.startsWith("error: policy: is missing"), noPolicy);
  }

  /**
   * Warm requests with their bytes damaged one edit at a time (a byte replaced by one that matters to
   * JSON, deleted, inserted, a stretch repeated): whatever the reader answers, the tree path answers the
   * same, so it never accepts text a JSON parser refuses nor reads a value otherwise.
   */
  @Test
  void damagedBytesAreAnsweredAsTheTreePath() {
    ObjectNode fixture = WhatIfFixtures.request();
    ServedMarket market = served(fixture);
    byte[] own = bytes(fixture, false);
    ObjectNode many = servedForm(fixture, true, true);
    SplittableRandom random = new SplittableRandom(31);
    ((ObjectNode) many.get("account")).set("positions", positions(definitions(), random, 12));
    ((ObjectNode) many.get("account")).putArray("collateral").addObject().put("asset", "USDC").put("quantity", 1.5e6);
    byte[] servedForm = bytes(many, true);
    same(own, market, SEED);
    same(servedForm, market, SEED);
    byte[] significant = "{}[]\",:-+.0159eEnul \n\\x".getBytes(StandardCharsets.US_ASCII);
    long fastBefore = viaBytes.streamedRequests();
    int answered = 0;
    for (int n = 0; n < 6000; n++) {
      byte[] base = n % 3 == 0 ? own : servedForm;
      byte[] damaged = damage(base, random, significant);
      if (!same(damaged, market, SEED).startsWith("error: ")) {
        answered++;
      }
    }
    long fast = viaBytes.streamedRequests() - fastBefore;
    // Many edits keep valid JSON (white space, digits of a number, bytes inside a string), and the
    // stream answers part of them; most break the document, and the tree path reports each.
    assertTrue(fast > 100 && answered > fast, "answered " + answered + ", by the stream " + fast);
  }

  private static byte[] damage(byte[] base, SplittableRandom random, byte[] significant) {
    int at = random.nextInt(base.length);
    // Half the edits land on or next to a number or a structural byte, where a lenient reader would slip.
    for (int tries = 0; random.nextBoolean() && tries < 50 && "0123456789-.eE{}[],:\"".indexOf(base[at]) < 0; tries++) {
      at = random.nextInt(base.length);
    }
    byte b = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : significant[random.nextInt(significant.length)];
    return switch (random.nextInt(4)) {
      case 0 -> {
        byte[] out = base.clone();
        out[at] = b;
        yield out;
      }
      case 1 -> {
        byte[] out = new byte[base.length - 1];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(base, at + 1, out, at, base.length - at - 1);
        yield out;
      }
      case 2 -> {
        byte[] out = new byte[base.length + 1];
        System.arraycopy(base, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(base, at, out, at + 1, base.length - at);
        yield out;
      }
      default -> {
        int length = Math.min(random.nextInt(1, 40), base.length - at);
        byte[] out = new byte[base.length + length];
        System.arraycopy(base, 0, out, 0, at + length);
        System.arraycopy(base, at, out, at + length, base.length - at);
        yield out;
      }
    };
  }

  @Test
  void aChangedDefinitionUnderACachedIdIsParsedAgain() {
    ObjectNode fixture = WhatIfFixtures.request();
    ServedMarket market = served(fixture);
    ObjectNode request = servedForm(fixture, true, true);
    byte[] original = bytes(request, false);
    String before = same(original, market, SEED);
    assertEquals(before, same(original, market, SEED));
    long fast = viaBytes.streamedRequests();
    assertTrue(fast > 0);

    // Same instrument_id, another strike: a new instrument, as a service that never saw the old one values it.
    ObjectNode moved = request.deepCopy();
    WhatIfFixtures.instrument(moved, 0).put("strike", 90000);
    byte[] movedBytes = bytes(moved, false);
    // The change is past the first 64 bytes that index a known definition: only comparing it whole tells.
    byte[] was = bytes(WhatIfFixtures.instrument(request, 0), false);
    byte[] now = bytes(WhatIfFixtures.instrument(moved, 0), false);
    assertTrue(now.length > 64 && java.util.Arrays.equals(was, 0, 64, now, 0, 64));
    String after = same(movedBytes, market, SEED);
    assertNotEquals(before, after);
    assertEquals(viaTree(WhatIfService.forService(ScalarKernel.INSTANCE, false), movedBytes, market, SEED), after);

    // Same id, a definition the checks refuse: refused as on a first sight, not served as the cached one.
    ObjectNode broken = request.deepCopy();
    WhatIfFixtures.instrument(broken, 0).put("kind", "SWAP");
    byte[] brokenBytes = bytes(broken, false);
    String refused = same(brokenBytes, market, SEED);
    assertTrue(refused.contains("REJECTED") && refused.contains("SWAP"), refused);
    assertEquals(viaTree(WhatIfService.forService(ScalarKernel.INSTANCE, false), brokenBytes, market, SEED), refused);

    // The original definition is still known, and answered by the stream again.
    assertEquals(before, same(original, market, SEED));
    assertTrue(viaBytes.streamedRequests() > fast);
  }

  @Test
  void fieldsInAnotherOrderAnswerTheSame() {
    ObjectNode fixture = WhatIfFixtures.request();
    ServedMarket market = served(fixture);
    ObjectNode request = servedForm(fixture, true, false);
    String first = same(bytes(request, false), market, SEED);
    same(bytes(request, false), market, SEED);
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < 10; n++) {
      long fast = viaBytes.streamedRequests();
      byte[] shuffled = bytes(shuffled(request, random), n % 2 == 0);
      assertEquals(first, same(shuffled, market, SEED));
      assertEquals(first, same(shuffled, market, SEED));
      assertTrue(viaBytes.streamedRequests() >= fast + 1, "the second sight of a layout is answered by the stream");
    }
  }

  /** Option and future definitions on the fixture's BTC expiries, unique ids. */
  private static List<ObjectNode> definitions() {
    List<ObjectNode> out = new ArrayList<>();
    String[][] expiries = {{"30JAN26", "2026-01-30T08:00:00Z"}, {"27MAR26", "2026-03-27T08:00:00Z"}};
    for (String[] expiry : expiries) {
      for (int strike = 70000; strike <= 130000; strike += 10000) {
        for (String type : new String[] {"CALL", "PUT"}) {
          ObjectNode d = JSON.createObjectNode().put("instrument_id", "BTC-" + expiry[0] + "-" + strike + "-" + type.charAt(0))
              .put("underlying", "BTC").put("kind", "OPTION").put("settlement", "LINEAR").put("option_type", type)
              .put("strike", strike).put("expiry", expiry[1]).put("multiplier", 1);
          out.add(d);
        }
      }
      out.add(JSON.createObjectNode().put("instrument_id", "BTC-" + expiry[0]).put("underlying", "BTC").put("kind", "FUTURE")
          .put("settlement", "LINEAR").put("expiry", expiry[1]).put("multiplier", 1));
    }
    out.add(JSON.createObjectNode().put("instrument_id", "BTC-PERPETUAL").put("underlying", "BTC").put("kind", "PERPETUAL")
        .put("settlement", "LINEAR").putNull("expiry").put("multiplier", 1.0));
    return out;
  }

  private static ArrayNode positions(List<ObjectNode> definitions, SplittableRandom random, int count) {
    ArrayNode out = JSON.createArrayNode();
    for (int k = 0; k < count; k++) {
      ObjectNode p = out.addObject();
      p.set("instrument", definitions.get(random.nextInt(definitions.size())).deepCopy());
      p.set("quantity", number(random));
      switch (random.nextInt(3)) {
        case 0 -> p.putNull("entry_price");
        case 1 -> p.put("entry_price", 90000 + random.nextInt(10000) + 0.25 * random.nextInt(4));
        default -> { }
      }
    }
    return out;
  }

  /** A signed quantity in one of JSON's number forms: integer, decimal, exponent. */
  private static JsonNode number(SplittableRandom random) {
    int units = random.nextInt(-400, 400);
    return switch (random.nextInt(4)) {
      case 0 -> JSON.getNodeFactory().numberNode(units);
      case 1 -> JSON.getNodeFactory().numberNode(units / 8.0);
      case 2 -> DecimalNode.valueOf(new BigDecimal(units).scaleByPowerOfTen(-3));
      default -> DecimalNode.valueOf(new BigDecimal(units + "E+2"));
    };
  }

  /** A deep copy with every object's keys in a random order. */
  private static JsonNode shuffled(JsonNode node, SplittableRandom random) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        fields.add(it.next());
      }
      Collections.shuffle(fields, new java.util.Random(random.nextLong()));
      ObjectNode out = JSON.createObjectNode();
      fields.forEach(e -> out.set(e.getKey(), shuffled(e.getValue(), random)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(e -> out.add(shuffled(e, random)));
      return out;
    }
    return node;
  }
}
