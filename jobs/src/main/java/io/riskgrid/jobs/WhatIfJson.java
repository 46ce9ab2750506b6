package io.riskgrid.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import java.io.IOException;

/**
 * What-if documents as bytes, shared by {@code whatif}, {@code whatif --stream} and {@code serve}, so
 * every form reads and reports bad input the same way: exactly one JSON document per request (a second
 * one is an error, never silently ignored), and errors as {@code {"error": "field: message", "field": ...}}.
 */
public final class WhatIfJson {
  /** The field named by errors about the document as a whole (empty, not JSON, two documents). */
  public static final String REQUEST = "request";
  /**
   * Jackson with its fast double parser and writer (FastDoubleParser, Schubfach): the same doubles, as
   * shortest round-trip decimals, at a fraction of the JDK 17 cost (number text is most of a request).
   */
  public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

  private WhatIfJson() {}

  /**
   * Exactly one JSON document. {@code another} says where else a client may send several (JSON Lines),
   * e.g. "use --stream for JSON Lines"; it ends the message about a second document.
   */
  public static JsonNode readOne(byte[] bytes, int offset, int length, String another) {
    try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
      JsonNode doc = JSON.readTree(parser);
      if (doc == null || doc.isMissingNode()) {
        throw new InvalidInputException(REQUEST, "is empty; expected one JSON object (whatif-request.schema.json)");
      }
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new InvalidInputException(REQUEST, "a second JSON document starts at line " + at.getLineNr() + ", column "
            + at.getColumnNr() + "; send one request per document (" + another + ")");
      }
      return doc;
    } catch (JsonProcessingException e) {
      throw notJson(e);
    } catch (IOException e) {
      throw new InvalidInputException(REQUEST, "cannot be read: " + e.getMessage());
    }
  }

  /** One line of JSON Lines ({@code bytes[offset, offset + length)}, no newline): one document, or an error naming it. */
  public static JsonNode readLine(byte[] bytes, int offset, int length) {
    return readOne(bytes, offset, length, "JSON Lines: one request per line");
  }

  private static InvalidInputException notJson(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new InvalidInputException(REQUEST, "is not valid JSON" + where + ": " + e.getOriginalMessage());
  }

  /** The error answer of a bad request: {@code {"error": "field: message", "field": "field"}}. */
  public static ObjectNode error(InvalidInputException e) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", e.getMessage());
    out.put("field", e.field());
    return out;
  }

  /** The error line of a bad JSON Lines line, with its 1-based line number. */
  public static ObjectNode error(InvalidInputException e, long line) {
    return error(e).put("line", line);
  }
}
