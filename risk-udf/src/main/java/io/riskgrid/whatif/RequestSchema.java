package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.riskgrid.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code whatif-request.schema.json} in two compiled forms. The full form checks everything. The warm
 * form is the same schema with the market section and the instrument definitions left unchecked; it
 * is used only when those subtrees equal ones the full form has already accepted (they depend on
 * nothing else), so both forms report the same errors with the same JSON paths, and a warm call does
 * not walk the market again. A {@link SchemaAcceptor} of each form answers for valid documents without
 * allocating; networknt runs when it says no, so every error message comes from networknt.
 */
final class RequestSchema {
  static final String RESOURCE = "/io/riskgrid/json-schema/whatif-request.schema.json";
  private static final JsonNode FULL_DOCUMENT = read();
  private static final JsonNode WARM_DOCUMENT = warmForm(FULL_DOCUMENT);
  /** Null when the schema uses a keyword the acceptor does not implement: networknt then checks everything. */
  private static final SchemaAcceptor FULL_ACCEPTOR = SchemaAcceptor.compile(FULL_DOCUMENT).orElse(null);
  private static final SchemaAcceptor WARM_ACCEPTOR = SchemaAcceptor.compile(WARM_DOCUMENT).orElse(null);

  /** networknt forms, compiled on first use: with acceptors, a valid request never needs them. */
  private static final class Full {
    static final JsonSchema SCHEMA = compile(FULL_DOCUMENT);
  }

  private static final class Warm {
    static final JsonSchema SCHEMA = compile(WARM_DOCUMENT);
  }

  private RequestSchema() {}

  /**
   * Validates a request; {@code marketAndInstrumentsKnown} selects the warm form and must only be true
   * when the market and every instrument definition equal subtrees that passed the full form.
   */
  static void validate(JsonNode request, boolean marketAndInstrumentsKnown) {
    SchemaAcceptor acceptor = marketAndInstrumentsKnown ? WARM_ACCEPTOR : FULL_ACCEPTOR;
    if (acceptor != null && acceptor.accepts(request)) {
      return;
    }
    Set<ValidationMessage> errors = (marketAndInstrumentsKnown ? Warm.SCHEMA : Full.SCHEMA).validate(request);
    if (!errors.isEmpty()) {
      // In field order, so the field named is the same whatever order networknt found the errors in.
      List<ValidationMessage> sorted = errors.stream()
          .sorted(Comparator.comparing(RequestSchema::field).thenComparing(ValidationMessage::getMessage)).toList();
      String all = sorted.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; "));
      throw new InvalidInputException(field(sorted.get(0)), "does not match whatif-request.schema.json: " + all);
    }
  }

  /**
   * The request field an error is about, as a path without the root ({@code account.positions[0].quantity}):
   * for a missing or unknown property, the property itself; {@code request} for the document as a whole.
   */
  static String field(ValidationMessage error) {
    String path = error.getInstanceLocation() == null ? "$" : error.getInstanceLocation().toString();
    String field = path.startsWith("$.") ? path.substring(2) : path.substring(1);
    boolean namesProperty = "required".equals(error.getType()) || "additionalProperties".equals(error.getType());
    if (namesProperty && error.getProperty() != null) {
      field = field.isEmpty() ? error.getProperty() : field + "." + error.getProperty();
    }
    return field.isEmpty() ? "request" : field;
  }

  /** The full schema with {@code market} and {@code $defs/position/properties/instrument} accepting anything. */
  static JsonNode warmForm(JsonNode full) {
    ObjectNode warm = full.deepCopy();
    // Its own $id, so no schema registry can confuse its $defs with the full schema's.
    warm.put("$id", full.get("$id").asText().replace(".schema.json", ".warm.schema.json"));
    ((ObjectNode) warm.get("properties")).putObject("market");
    ((ObjectNode) warm.at("/$defs/position/properties")).putObject("instrument");
    return warm;
  }

  /** Whether valid documents skip networknt (the schema uses only keywords {@link SchemaAcceptor} implements). */
  static boolean hasFastPath() {
    return FULL_ACCEPTOR != null && WARM_ACCEPTOR != null;
  }

  static JsonNode read() {
    try (InputStream in = RequestSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing JSON schema resource " + RESOURCE);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema compile(JsonNode schema) {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
  }
}
