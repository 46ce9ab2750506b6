package io.riskgrid.whatif;

import static io.riskgrid.whatif.WhatIfFixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.riskgrid.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The acceptor agrees with networknt on the request schema, in both directions: for the fixture and
 * for every single-node mutation of it (each value replaced by each JSON type, each field removed,
 * an unknown field added to each object).
 */
class SchemaAcceptorTest {
  private static final JsonSchema NETWORKNT = PolicyLoader.loadSchema(RequestSchema.RESOURCE);
  private static final JsonSchema NETWORKNT_WARM = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(RequestSchema.warmForm(RequestSchema.read()));
  private static final SchemaAcceptor ACCEPTOR = SchemaAcceptor.compile(RequestSchema.read()).orElseThrow();
  private static final SchemaAcceptor WARM_ACCEPTOR = SchemaAcceptor.compile(RequestSchema.warmForm(RequestSchema.read())).orElseThrow();
  private static final List<Supplier<JsonNode>> REPLACEMENTS = List.of(
      () -> JsonNodeFactory.instance.nullNode(), () -> JsonNodeFactory.instance.textNode(""),
      () -> JsonNodeFactory.instance.textNode("x"), () -> JsonNodeFactory.instance.numberNode(1),
      () -> JsonNodeFactory.instance.numberNode(-2.5), () -> JsonNodeFactory.instance.booleanNode(true),
      () -> JsonNodeFactory.instance.objectNode(), () -> JsonNodeFactory.instance.arrayNode());

  @Test
  void theShippedSchemaHasAFastPath() {
    assertTrue(RequestSchema.hasFastPath());
  }

  @Test
  void agreesWithNetworkntOnEveryMutationOfTheFixture() {
    ObjectNode fixture = WhatIfFixtures.request();
    assertTrue(ACCEPTOR.accepts(fixture));
    int checked = 0;
    for (ObjectNode mutant : mutants(fixture)) {
      assertEquals(NETWORKNT.validate(mutant).isEmpty(), ACCEPTOR.accepts(mutant), mutant::toString);
      assertEquals(NETWORKNT_WARM.validate(mutant).isEmpty(), WARM_ACCEPTOR.accepts(mutant), mutant::toString);
      checked++;
    }
    assertTrue(checked > 500, "mutants checked: " + checked);
  }

  @Test
  void flatVolAndSlicesTogetherAreRejected() {
    ObjectNode request = WhatIfFixtures.request();
    WhatIfFixtures.underlying(request).put("flat_vol", 0.5);
    assertFalse(NETWORKNT.validate(request).isEmpty());
    assertFalse(ACCEPTOR.accepts(request));
    WhatIfFixtures.underlying(request).remove("vol_slices");
    assertTrue(ACCEPTOR.accepts(request));
  }

  @Test
  void aSchemaWithAnUnknownKeywordHasNoAcceptor() throws Exception {
    assertTrue(SchemaAcceptor.compile(JSON.readTree("{\"type\": \"string\", \"pattern\": \"^a\"}")).isEmpty());
    assertTrue(SchemaAcceptor.compile(JSON.readTree("{\"type\": \"integer\"}")).isEmpty());
    assertTrue(SchemaAcceptor.compile(JSON.readTree("{\"$ref\": \"https://example.com/s.json\"}")).isEmpty());
  }

  /** Every document that differs from {@code doc} in one place. */
  static List<ObjectNode> mutants(ObjectNode doc) {
    List<ObjectNode> out = new ArrayList<>();
    List<String> pointers = new ArrayList<>();
    collect(doc, "", pointers);
    for (String pointer : pointers) {
      if (!pointer.isEmpty()) {
        for (Supplier<JsonNode> replacement : REPLACEMENTS) {
          ObjectNode copy = doc.deepCopy();
          replace(copy, pointer, replacement.get());
          out.add(copy);
        }
        ObjectNode copy = doc.deepCopy();
        replace(copy, pointer, null);
        out.add(copy);
      }
      if (doc.at(pointer).isObject()) {
        ObjectNode copy = doc.deepCopy();
        ((ObjectNode) copy.at(pointer)).put("unexpected", 1);
        out.add(copy);
      }
    }
    return out;
  }

  private static void collect(JsonNode node, String pointer, List<String> out) {
    out.add(pointer);
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), pointer + "/" + e.getKey(), out);
      }
    } else if (node.isArray()) {
      for (int k = 0; k < node.size(); k++) {
        collect(node.get(k), pointer + "/" + k, out);
      }
    }
  }

  /** Replaces the node at {@code pointer}, or removes it when {@code value} is null. */
  private static void replace(ObjectNode doc, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    ContainerNode<?> parent = (ContainerNode<?>) doc.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode o) {
      if (value == null) {
        o.remove(last);
      } else {
        o.set(last, value);
      }
    } else {
      ArrayNode a = (ArrayNode) parent;
      if (value == null) {
        a.remove(Integer.parseInt(last));
      } else {
        a.set(Integer.parseInt(last), value);
      }
    }
  }
}
