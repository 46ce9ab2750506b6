package io.riskgrid.whatif;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The warm form of a what-if request read from its bytes as a token stream, without a JSON tree: a
 * pre-trade service gets the same market and instrument definitions again and again, and reading them
 * into a tree, then hashing and comparing that tree to find them in the cache, was most of a request's
 * cost. Here the market and each instrument definition are skipped over as raw bytes and looked up by
 * those exact bytes; only the account fields, quantities and prices are read.
 *
 * <p>It answers only what it is sure of, and otherwise declines (null), so the caller takes the tree
 * path ({@link WhatIfRequestParser}) and every error is reported there, with the same message and
 * field as ever. It declines on: anything that is not one JSON object, an unknown or repeated field, a
 * value of a type or size the schema refuses, a non-finite number, an inline policy or one that is not
 * a preset, a missing policy or market the service does not have, an {@code as_of} other than the served
 * one, two different definitions of one instrument id, and a market or definition whose bytes it has not
 * seen. A byte form is learnt only when its JSON tree equals one the tree path has cached, that is one
 * that passed the full schema and parsing, so a definition that changes (even under the same
 * {@code instrument_id}) is never served stale: its bytes differ, and the tree path parses and checks it.
 * When it answers, the result equals the tree path's ({@code WarmRequestReaderTest}). Not thread-safe.
 */
final class WarmRequestReader {
  private static final int MARKETS = 16;
  private static final int INSTRUMENTS = 8192;
  /** The same number parsing as the service's tree reader (exact either way: correctly rounded doubles). */
  private static final ObjectMapper TREE = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

  /** Leaves the fast path; carries no stack trace, it is not an error. */
  private static final class Decline extends Exception {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  private static final Decline DECLINE = new Decline();

  /** A cached market's bytes are its key; the {@code as_of} text it was parsed at is checked on a hit. */
  private record RawMarket(String asOf, WhatIfRequestParser.ParsedMarket market) {}

  private final WhatIfRequestParser trees;
  private final Map<RawJson, Instrument> definitions = new BoundedCache<>(INSTRUMENTS);
  private final Map<RawJson, RawMarket> markets = new BoundedCache<>(MARKETS);
  /** The lookup key, pointed at the request's bytes: a cache hit copies nothing. */
  private final RawJson probe = new RawJson();
  private long answered;

  /** Learns byte forms from {@code trees}' caches (only what passed its checks). */
  WarmRequestReader(WhatIfRequestParser trees) {
    this.trees = trees;
  }

  /**
   * The request in {@code bytes[offset, offset + length)}, read as {@link WhatIfRequestParser#parse(JsonNode,
   * ServedMarket, MarginPolicy)} reads its tree, or null when this reader declines (see the class comment).
   */
  WhatIfRequestParser.Parsed read(byte[] bytes, int offset, int length, ServedMarket served, MarginPolicy servedPolicy) {
    try (JsonParser p = TREE.getFactory().createParser(bytes, offset, length)) {
      WhatIfRequestParser.Parsed parsed = read(p, bytes, offset, served, servedPolicy);
      answered++;
      return parsed;
    } catch (Decline | IOException | InvalidInputException e) {
      return null;
    }
  }

  /** How many requests this reader has answered (not declined). */
  long answered() {
    return answered;
  }

  /** Per position array: the positions and their instruments, in document order. */
  private static final class PositionsRead {
    final List<Position> positions = new ArrayList<>();
    final List<Instrument> instruments = new ArrayList<>();
  }

  private WhatIfRequestParser.Parsed read(JsonParser p, byte[] bytes, int offset, ServedMarket served,
      MarginPolicy servedPolicy) throws IOException, Decline {
    require(p.nextToken() == JsonToken.START_OBJECT);
    String asOf = null;
    MarginPolicy policy = null;
    int marketFrom = -1;
    int marketTo = -1;
    Account account = null;
    PositionsRead accountPositions = null;
    PositionsRead order = null;
    int seen = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "as_of" -> {
          seen = once(seen, 1);
          asOf = string(p, value);
        }
        case "policy" -> {
          seen = once(seen, 2);
          policy = preset(string(p, value));
        }
        case "market" -> {
          seen = once(seen, 4);
          require(value == JsonToken.START_OBJECT);
          marketFrom = start(p, offset);
          p.skipChildren();
          marketTo = end(p, offset);
        }
        case "account" -> {
          seen = once(seen, 8);
          accountPositions = new PositionsRead();
          account = account(p, value, bytes, offset, accountPositions);
        }
        case "order" -> {
          seen = once(seen, 16);
          order = order(p, value, bytes, offset);
        }
        default -> throw DECLINE;
      }
    }
    require(t == JsonToken.END_OBJECT && account != null && p.nextToken() == null);
    WhatIfRequestParser.ParsedMarket market = marketFrom < 0 ? served(served, asOf)
        : market(bytes, marketFrom, marketTo, asOf);
    if (policy == null) {
      require(servedPolicy != null);
      policy = servedPolicy;
    }
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    register(accountPositions, instruments);
    if (order != null) {
      register(order, instruments);
    }
    return new WhatIfRequestParser.Parsed(market.asOf(), policy, market.snapshot(), account,
        order == null ? null : order.positions, instruments, new TreeMap<>(), marketFrom < 0 ? served : null);
  }

  /** The request's instruments, account then order as the tree path adds them; a redefined id declines. */
  private static void register(PositionsRead read, Map<String, Instrument> instruments) throws Decline {
    for (Instrument ins : read.instruments) {
      Instrument previous = instruments.putIfAbsent(ins.id(), ins);
      require(previous == null || previous.equals(ins));
    }
  }

  private static WhatIfRequestParser.ParsedMarket served(ServedMarket served, String asOf) throws Decline {
    require(served != null);
    require(asOf == null || TimeConventions.parseInstant("as_of", asOf).equals(served.asOf()));
    return new WhatIfRequestParser.ParsedMarket(served.asOf(), served.snapshot());
  }

  private static MarginPolicy preset(String name) throws Decline {
    require(PolicyLoader.PRESETS.contains(name));
    return PolicyLoader.load(name);
  }

  private WhatIfRequestParser.ParsedMarket market(byte[] bytes, int from, int to, String asOf)
      throws IOException, Decline {
    require(asOf != null);
    RawMarket raw = markets.get(probe.of(bytes, from, to));
    if (raw == null || !raw.asOf().equals(asOf)) {
      WhatIfRequestParser.ParsedMarket known = trees.knownMarket(new TextNode(asOf), tree(bytes, from, to));
      require(known != null);
      raw = new RawMarket(asOf, known);
      markets.put(probe.copy(), raw);
    }
    return raw.market();
  }

  private Account account(JsonParser p, JsonToken value, byte[] bytes, int offset, PositionsRead positions)
      throws IOException, Decline {
    require(value == JsonToken.START_OBJECT);
    String id = null;
    String parent = null;
    String mode = null;
    String currency = null;
    List<CollateralBalance> collateral = new ArrayList<>();
    int seen = 0;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "account_id" -> {
          seen = once(seen, 1);
          id = string(p, v);
          require(!id.isEmpty());
        }
        case "parent_id" -> {
          seen = once(seen, 2);
          parent = v == JsonToken.VALUE_NULL ? null : string(p, v);
        }
        case "margin_mode" -> {
          seen = once(seen, 4);
          mode = string(p, v);
        }
        case "margin_currency" -> {
          seen = once(seen, 8);
          currency = string(p, v);
        }
        case "positions" -> {
          seen = once(seen, 16);
          positions(p, v, bytes, offset, positions);
        }
        case "collateral" -> {
          seen = once(seen, 32);
          collateral(p, v, collateral);
        }
        default -> throw DECLINE;
      }
    }
    require(t == JsonToken.END_OBJECT && id != null && mode != null && currency != null);
    return new Account(id, parent, mode, currency, positions.positions, collateral);
  }

  private static void collateral(JsonParser p, JsonToken value, List<CollateralBalance> out) throws IOException, Decline {
    require(value == JsonToken.START_ARRAY);
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      String asset = null;
      double quantity = Double.NaN;
      int seen = 0;
      JsonToken f;
      while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "asset" -> {
            seen = once(seen, 1);
            asset = string(p, v);
          }
          case "quantity" -> {
            seen = once(seen, 2);
            quantity = number(p, v);
          }
          default -> throw DECLINE;
        }
      }
      require(f == JsonToken.END_OBJECT && seen == 3);
      out.add(new CollateralBalance(asset, quantity));
    }
    require(t == JsonToken.END_ARRAY);
  }

  private PositionsRead order(JsonParser p, JsonToken value, byte[] bytes, int offset) throws IOException, Decline {
    require(value == JsonToken.START_OBJECT);
    PositionsRead order = null;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      require(order == null && "positions".equals(p.currentName()));
      order = new PositionsRead();
      positions(p, p.nextToken(), bytes, offset, order);
    }
    require(t == JsonToken.END_OBJECT && order != null && !order.positions.isEmpty());
    return order;
  }

  private void positions(JsonParser p, JsonToken value, byte[] bytes, int offset, PositionsRead out)
      throws IOException, Decline {
    require(value == JsonToken.START_ARRAY);
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
      Instrument instrument = null;
      double quantity = Double.NaN;
      double entry = Double.NaN;
      int seen = 0;
      JsonToken f;
      while ((f = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "instrument" -> {
            seen = once(seen, 1);
            require(v == JsonToken.START_OBJECT);
            int from = start(p, offset);
            p.skipChildren();
            instrument = definition(bytes, from, end(p, offset));
          }
          case "quantity" -> {
            seen = once(seen, 2);
            quantity = number(p, v);
          }
          case "entry_price" -> {
            seen = once(seen, 4);
            entry = v == JsonToken.VALUE_NULL ? Double.NaN : number(p, v);
          }
          default -> throw DECLINE;
        }
      }
      require(f == JsonToken.END_OBJECT && (seen & 3) == 3);
      out.positions.add(new Position(instrument.id(), quantity, entry));
      out.instruments.add(instrument);
    }
    require(t == JsonToken.END_ARRAY);
  }

  /** The instrument of a definition's exact bytes; new bytes are learnt from the tree path's cache. */
  private Instrument definition(byte[] bytes, int from, int to) throws IOException, Decline {
    Instrument ins = definitions.get(probe.of(bytes, from, to));
    if (ins == null) {
      ins = trees.knownDefinition(tree(bytes, from, to));
      require(ins != null);
      definitions.put(probe.copy(), ins);
    }
    return ins;
  }

  private static JsonNode tree(byte[] bytes, int from, int to) throws IOException {
    return TREE.readTree(bytes, from, to - from);
  }

  /** Byte offset in {@code bytes} of the current token's first byte. */
  private static int start(JsonParser p, int offset) {
    return offset + (int) p.currentTokenLocation().getByteOffset();
  }

  /** Byte offset in {@code bytes} just after the current token. */
  private static int end(JsonParser p, int offset) {
    return offset + (int) p.currentLocation().getByteOffset();
  }

  private static String string(JsonParser p, JsonToken value) throws IOException, Decline {
    require(value == JsonToken.VALUE_STRING);
    return p.getText();
  }

  /** A finite number, as {@code JsonNode.asDouble} reads it. */
  private static double number(JsonParser p, JsonToken value) throws IOException, Decline {
    require(value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT);
    double d = p.getDoubleValue();
    require(Double.isFinite(d));
    return d;
  }

  /** Marks a field as seen; a field given twice declines (a tree keeps the last, this reader would not). */
  private static int once(int seen, int bit) throws Decline {
    require((seen & bit) == 0);
    return seen | bit;
  }

  private static void require(boolean ok) throws Decline {
    if (!ok) {
      throw DECLINE;
    }
  }

  /** JSON text by its exact bytes: a key that owns a copy, or the probe, which points into a request. */
  static final class RawJson {
    private byte[] bytes;
    private int from;
    private int to;
    private int hash;

    RawJson of(byte[] b, int start, int end) {
      bytes = b;
      from = start;
      to = end;
      int h = 1;
      for (int k = start; k < end; k++) {
        h = 31 * h + b[k];
      }
      hash = h;
      return this;
    }

    /** A key owning a copy of the bytes this one points at. */
    RawJson copy() {
      RawJson key = new RawJson();
      key.bytes = Arrays.copyOfRange(bytes, from, to);
      key.to = key.bytes.length;
      key.hash = hash;
      return key;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RawJson r && r.hash == hash && Arrays.equals(bytes, from, to, r.bytes, r.from, r.to);
    }
  }
}
