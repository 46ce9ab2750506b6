package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The market a pre-trade service answers requests from: the {@code as_of} and {@code market} of a
 * what-if request ({@code {"as_of": "...", "market": {"underlyings": [...], "option_marks": [...]}}}),
 * validated with the request schema and parsed once, and named by a hash that every response carries.
 * Immutable: a service swaps whole instances, so a request in flight finishes on the market it started on.
 *
 * <p>A document with a structural error (schema, {@code as_of}, an underlying given twice) is refused.
 * An underlying whose own data is bad is kept with its reason in {@link #dataErrors()}: as in a request,
 * only accounts touching it become DATA_ERROR (DESIGN §3.1).
 */
public final class ServedMarket {
  private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Instant asOf;
  private final MarketSnapshot snapshot;
  private final String hash;
  private final Map<String, String> dataErrors;

  private ServedMarket(Instant asOf, MarketSnapshot snapshot, String hash) {
    this.asOf = asOf;
    this.snapshot = snapshot;
    this.hash = hash;
    Map<String, String> errors = new LinkedHashMap<>();
    for (UnderlyingMarket u : snapshot.underlyings().values()) {
      if (u.dataError() != null) {
        errors.put(u.underlying(), u.dataError());
      }
    }
    this.dataErrors = Collections.unmodifiableMap(errors);
  }

  /** Validates and parses a market document; throws {@link InvalidInputException} naming the bad field. */
  public static ServedMarket parse(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw new InvalidInputException("market document", "expected a JSON object with as_of and market, got "
          + (document == null ? "nothing" : document.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("as_of") && !field.equals("market")) {
        throw new InvalidInputException(field, "unknown field; a market document has as_of and market only");
      }
    }
    for (String field : new String[] {"as_of", "market"}) {
      if (!document.has(field)) {
        throw new InvalidInputException(field, "is missing; a market document has as_of (e.g. 2026-01-05T08:00:00Z) and market");
      }
    }
    RequestSchema.validate(probe(document), false);
    Instant asOf = TimeConventions.parseInstant("as_of", document.get("as_of").asText());
    MarketSnapshot snapshot = WhatIfRequestParser.market(asOf, document.get("market"));
    return new ServedMarket(asOf, snapshot, hash(asOf, document.get("market")));
  }

  /** A request of no account that carries the document's as_of and market, so the request schema checks them. */
  private static ObjectNode probe(JsonNode document) {
    ObjectNode probe = CANONICAL.createObjectNode();
    probe.set("as_of", document.get("as_of"));
    probe.put("policy", "seed-default");
    probe.set("market", document.get("market"));
    probe.putObject("account").put("account_id", "market-check").put("margin_mode", "PORTFOLIO").put("margin_currency", "USD");
    return probe;
  }

  /** SHA-256 (hex) of the canonical JSON (keys sorted) of {@code {"as_of": instant, "market": market}}. */
  static String hash(Instant asOf, JsonNode market) {
    try {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("as_of", asOf.toString());
      doc.put("market", CANONICAL.treeToValue(market, Object.class));
      byte[] canonical = CANONICAL.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The valuation instant (UTC). */
  public Instant asOf() { return asOf; }

  public MarketSnapshot snapshot() { return snapshot; }

  /** SHA-256 of the market document, hex: equal documents (up to key order) have equal hashes. */
  public String hash() { return hash; }

  /** The underlyings whose data is unusable, with the reason; empty when every underlying is usable. */
  public Map<String, String> dataErrors() { return dataErrors; }
}
