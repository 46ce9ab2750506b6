package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A yes/no check of a document against a JSON schema that uses only a small subset of draft 2020-12:
 * {@code type} (object, array, string, number, boolean, null), {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code minItems}, {@code minLength}, {@code oneOf},
 * {@code not} and local {@code $ref}, plus annotations. It decides validity only, without building
 * paths or messages, so a valid document costs no allocation; the messages still come from networknt,
 * which the caller runs whenever this check says no. A schema using any other keyword does not
 * compile ({@link #compile} is empty), and then networknt checks every document.
 */
final class SchemaAcceptor {
  private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "$comment", "title", "description",
      "examples", "default");

  /** One compiled (sub)schema. */
  private interface Rule {
    boolean accepts(JsonNode node);
  }

  private final Rule root;

  private SchemaAcceptor(Rule root) {
    this.root = root;
  }

  /** True only if the document is valid against the schema. */
  boolean accepts(JsonNode document) {
    return document != null && root.accepts(document);
  }

  /** The acceptor of a schema, or empty if the schema uses a keyword this class does not implement. */
  static Optional<SchemaAcceptor> compile(JsonNode schema) {
    try {
      return Optional.of(new SchemaAcceptor(new Compiler(schema).rule(schema, "#")));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static final class Compiler {
    private final JsonNode document;
    private final Map<String, Rule> refs = new HashMap<>();

    Compiler(JsonNode document) {
      this.document = document;
    }

    Rule rule(JsonNode schema, String where) {
      if (schema.isBoolean()) {
        boolean value = schema.booleanValue();
        return node -> value;
      }
      if (!schema.isObject()) {
        throw new UnsupportedOperationException(where + " is not a schema");
      }
      List<Rule> all = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> keyword = it.next();
        Rule r = keyword(schema, keyword.getKey(), keyword.getValue(), where + "/" + keyword.getKey());
        if (r != null) {
          all.add(r);
        }
      }
      Rule[] rules = all.toArray(Rule[]::new);
      return node -> {
        for (Rule r : rules) {
          if (!r.accepts(node)) {
            return false;
          }
        }
        return true;
      };
    }

    private Rule keyword(JsonNode schema, String name, JsonNode value, String where) {
      if (ANNOTATIONS.contains(name)) {
        return null;
      }
      switch (name) {
        case "type":
          return type(value, where);
        case "required": {
          String[] required = strings(value, where);
          return node -> {
            if (!node.isObject()) {
              return true;
            }
            for (String field : required) {
              if (!node.has(field)) {
                return false;
              }
            }
            return true;
          };
        }
        case "properties":
          return properties(value, where);
        case "additionalProperties":
          return additionalProperties(schema.path("properties"), value, where);
        case "items": {
          Rule item = rule(value, where);
          return node -> {
            if (!node.isArray()) {
              return true;
            }
            for (int i = 0; i < node.size(); i++) {
              if (!item.accepts(node.get(i))) {
                return false;
              }
            }
            return true;
          };
        }
        case "minItems": {
          int min = count(value, where);
          return node -> !node.isArray() || node.size() >= min;
        }
        case "minLength": {
          int min = count(value, where);
          return node -> !node.isTextual() || node.textValue().codePointCount(0, node.textValue().length()) >= min;
        }
        case "oneOf": {
          Rule[] options = subschemas(value, where);
          return node -> {
            int matches = 0;
            for (Rule option : options) {
              if (option.accepts(node)) {
                matches++;
              }
            }
            return matches == 1;
          };
        }
        case "not": {
          Rule inner = rule(value, where);
          return node -> !inner.accepts(node);
        }
        case "$ref":
          return ref(value, where);
        default:
          throw new UnsupportedOperationException(where + ": keyword not implemented");
      }
    }

    private Rule type(JsonNode value, String where) {
      EnumSet<JsonNodeType> types = EnumSet.noneOf(JsonNodeType.class);
      for (String t : value.isArray() ? strings(value, where) : new String[] {value.asText()}) {
        switch (t) {
          case "object" -> types.add(JsonNodeType.OBJECT);
          case "array" -> types.add(JsonNodeType.ARRAY);
          case "string" -> types.add(JsonNodeType.STRING);
          case "number" -> types.add(JsonNodeType.NUMBER);
          case "boolean" -> types.add(JsonNodeType.BOOLEAN);
          case "null" -> types.add(JsonNodeType.NULL);
          default -> throw new UnsupportedOperationException(where + ": type " + t + " not implemented");
        }
      }
      return node -> types.contains(node.getNodeType());
    }

    private Rule properties(JsonNode value, String where) {
      List<String> names = new ArrayList<>();
      List<Rule> rules = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        names.add(p.getKey());
        rules.add(rule(p.getValue(), where + "/" + p.getKey()));
      }
      String[] fields = names.toArray(String[]::new);
      Rule[] checks = rules.toArray(Rule[]::new);
      return node -> {
        if (!node.isObject()) {
          return true;
        }
        for (int k = 0; k < fields.length; k++) {
          JsonNode child = node.get(fields[k]);
          if (child != null && !checks[k].accepts(child)) {
            return false;
          }
        }
        return true;
      };
    }

    /** Only {@code false} (no field beyond {@code properties}) or {@code true} are implemented. */
    private Rule additionalProperties(JsonNode properties, JsonNode value, String where) {
      if (!value.isBoolean()) {
        throw new UnsupportedOperationException(where + ": only true or false implemented");
      }
      if (value.booleanValue()) {
        return null;
      }
      String[] declared = new String[properties.size()];
      Iterator<String> names = properties.fieldNames();
      for (int k = 0; k < declared.length; k++) {
        declared[k] = names.next();
      }
      return node -> {
        if (!node.isObject()) {
          return true;
        }
        int known = 0;
        for (String field : declared) {
          if (node.has(field)) {
            known++;
          }
        }
        return known == node.size();
      };
    }

    private Rule ref(JsonNode value, String where) {
      String ref = value.asText();
      if (!ref.startsWith("#/")) {
        throw new UnsupportedOperationException(where + ": only local references implemented");
      }
      Rule known = refs.get(ref);
      if (known != null) {
        return known;
      }
      JsonNode target = document.at(ref.substring(1));
      if (target.isMissingNode() || refs.containsKey(ref)) {
        throw new UnsupportedOperationException(where + ": unresolved or recursive reference " + ref);
      }
      refs.put(ref, null);
      Rule rule = rule(target, ref);
      refs.put(ref, rule);
      return rule;
    }

    private Rule[] subschemas(JsonNode value, String where) {
      if (!value.isArray()) {
        throw new UnsupportedOperationException(where + " is not an array of schemas");
      }
      Rule[] rules = new Rule[value.size()];
      for (int k = 0; k < rules.length; k++) {
        rules[k] = rule(value.get(k), where + "/" + k);
      }
      return rules;
    }

    private static String[] strings(JsonNode value, String where) {
      String[] out = new String[value.size()];
      for (int k = 0; k < out.length; k++) {
        if (!value.get(k).isTextual()) {
          throw new UnsupportedOperationException(where + " is not an array of strings");
        }
        out[k] = value.get(k).textValue();
      }
      return out;
    }

    private static int count(JsonNode value, String where) {
      if (!value.canConvertToInt() || !value.isIntegralNumber()) {
        throw new UnsupportedOperationException(where + " is not an integer");
      }
      return value.intValue();
    }
  }
}
