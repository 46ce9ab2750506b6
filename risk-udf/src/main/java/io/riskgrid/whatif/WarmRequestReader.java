package io.riskgrid.whatif;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The warm form of a what-if request read straight from its bytes ({@link RequestBytes}), without a JSON tree: a
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
  /** Bytes of a definition's start that index it: enough to hold a typical instrument id after its name. */
  private static final int PREFIX = 64;
  private static final int PER_PREFIX = 4;
  /** The same number parsing as the service's tree reader (exact either way: correctly rounded doubles). */
  private static final ObjectMapper TREE = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

  /** Leaves the fast path; carries no stack trace, it is not an error. */
  static final class Decline extends Exception {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  static final Decline DECLINE = new Decline();

  /** A definition's exact bytes (a whole JSON object a parser has read) and its instrument. */
  private record KnownDefinition(byte[] bytes, Instrument instrument) {}

  /** A cached market's bytes are its key; the {@code as_of} text it was parsed at is checked on a hit. */
  private record RawMarket(String asOf, WhatIfRequestParser.ParsedMarket market) {}

  private final WhatIfRequestParser trees;
  private final Map<RawJson, Instrument> definitions = new BoundedCache<>(INSTRUMENTS);
  /**
   * The same definitions by their first {@link #PREFIX} bytes (at most {@link #PER_PREFIX} byte forms each),
   * so a known one is recognised by comparing bytes where it starts, without scanning for its end.
   */
  private final Map<RawJson, KnownDefinition[]> byPrefix = new BoundedCache<>(INSTRUMENTS);
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
    try {
      WhatIfRequestParser.Parsed parsed = read(new RequestBytes(bytes, offset, offset + length), bytes, served,
          servedPolicy);
      answered++;
      return parsed;
    } catch (Decline | IOException | RuntimeException e) {
      // Any surprise (bad JSON, a value check, an input this reader did not foresee) is the tree path's
      // to answer: it reports errors with their field, and answers what is valid.
      return null;
    }
  }

  /** How many requests this reader has answered (not declined). */
  long answered() {
    return answered;
  }

  /** The fields of each object this reader reads, by their index (the bit of {@link #object}'s mask). */
  private static final byte[][] REQUEST = names("as_of", "policy", "market", "account", "order");
  private static final byte[][] ACCOUNT = names("account_id", "parent_id", "margin_mode", "margin_currency",
      "positions", "collateral");
  private static final byte[][] POSITION = names("instrument", "quantity", "entry_price");
  private static final byte[][] COLLATERAL = names("asset", "quantity");
  private static final byte[][] ORDER = names("positions");

  private static byte[][] names(String... names) {
    byte[][] out = new byte[names.length][];
    for (int k = 0; k < names.length; k++) {
      out[k] = names[k].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  /** Reads one field's value, which is next in the cursor; {@code field} is its index in the object's names. */
  private interface FieldReader {
    void read(int field) throws IOException, Decline;
  }

  /** Reads one array element, which is next in the cursor. */
  private interface ItemReader {
    void read() throws IOException, Decline;
  }

  /** One request's reading state: the cursor, the buffer it reads, and what has been read so far. */
  private final class Request {
    final RequestBytes in;
    final byte[] bytes;
    String asOf;
    MarginPolicy policy;
    int marketFrom = -1;
    int marketTo = -1;
    Account account;
    /** The positions of the account and of the order, each with its instruments, in document order. */
    final List<Position> positions = new ArrayList<>();
    final List<Instrument> instruments = new ArrayList<>();
    final List<Position> order = new ArrayList<>();
    final List<Instrument> orderInstruments = new ArrayList<>();
    boolean hasOrder;

    Request(RequestBytes in, byte[] bytes) {
      this.in = in;
      this.bytes = bytes;
    }

    void read() throws IOException, Decline {
      int seen = object(in, REQUEST, field -> {
        switch (field) {
          case 0 -> asOf = in.string();
          case 1 -> policy = preset(in.string());
          case 2 -> {
            marketFrom = in.skipObject();
            marketTo = in.position();
          }
          case 3 -> account = account();
          default -> {
            hasOrder = true;
            object(in, ORDER, f -> positions(order, orderInstruments));
            require(!order.isEmpty());
          }
        }
      });
      require((seen & 8) != 0 && in.atEnd());
    }

    private Account account() throws IOException, Decline {
      String[] text = new String[4];
      List<CollateralBalance> collateral = new ArrayList<>();
      int seen = object(in, ACCOUNT, field -> {
        switch (field) {
          case 1 -> text[1] = in.consumeNull() ? null : in.string();
          case 4 -> positions(positions, instruments);
          case 5 -> array(in, () -> {
            String[] asset = new String[1];
            double[] quantity = new double[1];
            int fields = object(in, COLLATERAL, f -> {
              if (f == 0) {
                asset[0] = in.string();
              } else {
                quantity[0] = number(in);
              }
            });
            require(fields == 3);
            collateral.add(new CollateralBalance(asset[0], quantity[0]));
          });
          default -> text[field] = in.string();
        }
      });
      require((seen & 13) == 13 && !text[0].isEmpty());
      return new Account(text[0], text[1], text[2], text[3], positions, collateral);
    }

    private void positions(List<Position> out, List<Instrument> outInstruments) throws IOException, Decline {
      array(in, () -> {
        Instrument[] instrument = new Instrument[1];
        double[] numbers = {Double.NaN, Double.NaN};
        int seen = object(in, POSITION, field -> {
          if (field == 0) {
            instrument[0] = definition(in, bytes);
          } else {
            numbers[field - 1] = field == 2 && in.consumeNull() ? Double.NaN : number(in);
          }
        });
        require((seen & 3) == 3);
        out.add(new Position(instrument[0].id(), numbers[0], numbers[1]));
        outInstruments.add(instrument[0]);
      });
    }
  }

  private WhatIfRequestParser.Parsed read(RequestBytes in, byte[] bytes, ServedMarket served,
      MarginPolicy servedPolicy) throws IOException, Decline {
    Request r = new Request(in, bytes);
    r.read();
    WhatIfRequestParser.ParsedMarket market = r.marketFrom < 0 ? served(served, r.asOf)
        : market(bytes, r.marketFrom, r.marketTo, r.asOf);
    MarginPolicy policy = r.policy;
    if (policy == null) {
      require(servedPolicy != null);
      policy = servedPolicy;
    }
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    register(r.instruments, instruments);
    register(r.orderInstruments, instruments);
    return new WhatIfRequestParser.Parsed(market.asOf(), policy, market.snapshot(), r.account,
        r.hasOrder ? r.order : null, instruments, new TreeMap<>(), r.marketFrom < 0 ? served : null);
  }

  /**
   * Reads an object's fields, in any order, with {@code field}; the object is the cursor's next value. A
   * name not in {@code names} or given twice declines (a tree keeps the last of a repeated name; this
   * reader would not). Returns the mask of the fields seen (bit k: {@code names[k]}).
   */
  private static int object(RequestBytes in, byte[][] names, FieldReader field) throws IOException, Decline {
    in.expect('{');
    int seen = 0;
    if (in.consume('}')) {
      return seen;
    }
    do {
      int k = in.name(names);
      require((seen & (1 << k)) == 0);
      seen |= 1 << k;
      in.expect(':');
      field.read(k);
    } while (in.consume(','));
    in.expect('}');
    return seen;
  }

  /** Reads each element of the array that is the cursor's next value with {@code item}. */
  private static void array(RequestBytes in, ItemReader item) throws IOException, Decline {
    in.expect('[');
    if (in.consume(']')) {
      return;
    }
    do {
      item.read();
    } while (in.consume(','));
    in.expect(']');
  }

  /** The request's instruments, account then order as the tree path adds them; a redefined id declines. */
  private static void register(List<Instrument> read, Map<String, Instrument> instruments) throws Decline {
    for (Instrument ins : read) {
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

  /**
   * The instrument whose definition is the cursor's next value. A definition seen before is recognised by
   * its first bytes and then compared whole where it starts: its bytes are a JSON object a parser read,
   * and an object ends at its own closing brace whatever follows, so equal bytes are that object and the
   * cursor moves past them without scanning. Otherwise the object is scanned to its end and looked up by
   * all its bytes; new bytes are learnt from the tree path's cache.
   */
  private Instrument definition(RequestBytes in, byte[] bytes) throws IOException, Decline {
    int from = in.valueStart();
    int end = in.end();
    RawJson prefix = null;
    if (from + PREFIX <= end) {
      prefix = probe.of(bytes, from, from + PREFIX);
      KnownDefinition[] known = byPrefix.get(prefix);
      if (known != null) {
        for (KnownDefinition k : known) {
          int length = k.bytes().length;
          if (from + length <= end && Arrays.equals(bytes, from, from + length, k.bytes(), 0, length)) {
            in.moveTo(from + length);
            return k.instrument();
          }
        }
      }
      prefix = prefix.copy();
    }
    in.skipObject();
    int to = in.position();
    Instrument ins = definitions.get(probe.of(bytes, from, to));
    if (ins == null) {
      ins = trees.knownDefinition(tree(bytes, from, to));
      require(ins != null);
      definitions.put(probe.copy(), ins);
    }
    if (prefix != null && to - from >= PREFIX) {
      KnownDefinition[] known = byPrefix.getOrDefault(prefix, new KnownDefinition[0]);
      // The newest first; a prefix shared by more byte forms (keys in another order) keeps the latest few.
      KnownDefinition[] more = new KnownDefinition[Math.min(PER_PREFIX, known.length + 1)];
      more[0] = new KnownDefinition(Arrays.copyOfRange(bytes, from, to), ins);
      System.arraycopy(known, 0, more, 1, more.length - 1);
      byPrefix.put(prefix, more);
    }
    return ins;
  }

  private static JsonNode tree(byte[] bytes, int from, int to) throws IOException {
    return TREE.readTree(bytes, from, to - from);
  }

  /** A finite number, as {@code JsonNode.asDouble} reads it. */
  private static double number(RequestBytes in) throws Decline {
    double d = in.number();
    require(Double.isFinite(d));
    return d;
  }

  static void require(boolean ok) throws Decline {
    if (!ok) {
      throw DECLINE;
    }
  }
}
