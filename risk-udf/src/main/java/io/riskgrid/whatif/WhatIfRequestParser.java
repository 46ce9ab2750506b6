package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import io.riskgrid.InvalidInputException;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.instrument.InstrumentKind;
import io.riskgrid.instrument.OptionType;
import io.riskgrid.instrument.Settlement;
import io.riskgrid.margin.Account;
import io.riskgrid.margin.CollateralBalance;
import io.riskgrid.margin.Position;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.market.SviSlice;
import io.riskgrid.market.TimeConventions;
import io.riskgrid.market.UnderlyingMarket;
import io.riskgrid.policy.MarginPolicy;
import io.riskgrid.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a what-if JSON document into engine inputs. Structure is checked against
 * {@code whatif-request.schema.json}; values (instants, kinds, strikes) are checked here, and every
 * error names its JSON path.
 *
 * <p>A pre-trade service sends the same market snapshot and the same instrument definitions many
 * times, so the parsed market (per {@code as_of} and market document), inline policies and instrument
 * definitions are cached by their JSON. When the market and every definition are known, the schema
 * skips them ({@link RequestSchema}) and a call parses only the account and the order. Only inputs that
 * passed validation and parsing are cached, so errors are reported as on a first call. Not thread-safe.
 */
final class WhatIfRequestParser {
  private static final int MARKETS = 16;
  private static final int POLICIES = 16;
  private static final int INSTRUMENTS = 8192;

  /**
   * A parsed request. {@code instrumentErrors} holds malformed instrument definitions by id;
   * {@code servedMarket} is the served market the request was valued on, or null when it carried its own.
   */
  record Parsed(Instant asOf, MarginPolicy policy, MarketSnapshot market, Account account, List<Position> order,
      Map<String, Instrument> instruments, Map<String, String> instrumentErrors, ServedMarket servedMarket) {}

  /** The {@code as_of} and {@code market} documents, compared structurally; keys own deep copies. */
  private record MarketKey(JsonNode asOf, JsonNode market) {}

  /** A parsed {@code market} document at its {@code as_of}. */
  record ParsedMarket(Instant asOf, MarketSnapshot snapshot) {}

  private final Map<MarketKey, ParsedMarket> markets = new BoundedCache<>(MARKETS);
  private final Map<JsonNode, MarginPolicy> inlinePolicies = new BoundedCache<>(POLICIES);
  private final Map<JsonNode, Instrument> definitions = new BoundedCache<>(INSTRUMENTS);
  private final boolean policyFilesAllowed;

  /** A parser that reads a policy given as a file path (the command line: the user's own disk). */
  WhatIfRequestParser() {
    this(true);
  }

  /** {@code policyFilesAllowed} false: a policy string must name a preset (a service never reads its own disk for a client). */
  WhatIfRequestParser(boolean policyFilesAllowed) {
    this.policyFilesAllowed = policyFilesAllowed;
  }

  /** A request that carries its own {@code as_of}, {@code policy} and {@code market}. */
  Parsed parse(JsonNode doc) {
    return parse(doc, null, null);
  }

  /**
   * A request; without {@code market} it is valued on {@code served} (its {@code as_of}, if given, must
   * be the served one), without {@code policy} under {@code servedPolicy}. Either may be null: then the
   * request must carry that part itself.
   */
  Parsed parse(JsonNode doc, ServedMarket served, MarginPolicy servedPolicy) {
    boolean ownMarket = doc.has("market");
    ParsedMarket market = ownMarket ? markets.get(new MarketKey(doc.path("as_of"), doc.path("market"))) : null;
    Instrument[] known = knownInstruments(doc);
    RequestSchema.validate(doc, (market != null || !ownMarket) && known != null);
    if (!ownMarket) {
      market = servedMarket(doc, served);
    } else if (market == null) {
      if (!doc.has("as_of")) {
        throw new InvalidInputException("as_of", "is missing; a request with a market gives its valuation instant, "
            + "e.g. 2026-01-05T08:00:00Z");
      }
      Instant asOf = TimeConventions.parseInstant("as_of", doc.get("as_of").asText());
      market = new ParsedMarket(asOf, market(asOf, doc.get("market")));
      markets.put(new MarketKey(doc.get("as_of").deepCopy(), doc.get("market").deepCopy()), market);
    }
    MarginPolicy policy = doc.has("policy") ? policy(doc.get("policy")) : servedPolicy(servedPolicy);
    JsonNode acc = doc.get("account");
    JsonNode accountPositions = acc.path("positions");
    int positionCount = accountPositions.size() + doc.path("order").path("positions").size();
    Map<String, Instrument> instruments = new LinkedHashMap<>(positionCount * 4 / 3 + 1);
    Map<String, String> instrumentErrors = new TreeMap<>();
    List<Position> positions = positions(accountPositions, "account.positions", known, 0, instruments, instrumentErrors);
    List<CollateralBalance> collateral = new ArrayList<>();
    for (JsonNode c : acc.path("collateral")) {
      collateral.add(new CollateralBalance(c.get("asset").asText(), c.get("quantity").asDouble()));
    }
    String parent = acc.hasNonNull("parent_id") ? acc.get("parent_id").asText() : null;
    Account account = new Account(acc.get("account_id").asText(), parent, acc.get("margin_mode").asText(),
        acc.get("margin_currency").asText(), positions, collateral);
    List<Position> order = doc.has("order") ? positions(doc.get("order").get("positions"), "order.positions", known,
        accountPositions.size(), instruments, instrumentErrors) : null;
    return new Parsed(market.asOf(), policy, market.snapshot(), account, order, instruments, instrumentErrors,
        ownMarket ? null : served);
  }

  /**
   * The cached market of an {@code as_of} and {@code market} document, or null: a cached one passed the
   * full schema and was parsed before, so {@link WarmRequestReader} may use it without checking again.
   */
  ParsedMarket knownMarket(JsonNode asOf, JsonNode market) {
    return markets.get(new MarketKey(asOf, market));
  }

  /** The cached instrument of a definition that passed the full schema and parsing before, or null. */
  Instrument knownDefinition(JsonNode definition) {
    return definitions.get(definition);
  }

  private static ParsedMarket servedMarket(JsonNode doc, ServedMarket served) {
    if (served == null) {
      throw new InvalidInputException("market", "is missing; a what-if request carries its market (as_of and market), "
          + "unless a pre-trade service that has one answers it");
    }
    if (doc.has("as_of")) {
      Instant asked = TimeConventions.parseInstant("as_of", doc.get("as_of").asText());
      if (!asked.equals(served.asOf())) {
        throw new InvalidInputException("as_of", "is " + asked + " but the served market is at " + served.asOf()
            + " (hash " + served.hash() + "); leave as_of out to use the served market, or send a market with the request");
      }
    }
    return new ParsedMarket(served.asOf(), served.snapshot());
  }

  private static MarginPolicy servedPolicy(MarginPolicy servedPolicy) {
    if (servedPolicy == null) {
      throw new InvalidInputException("policy", "is missing; give a preset name " + PolicyLoader.PRESETS
          + " or an inline policy object");
    }
    return servedPolicy;
  }

  /**
   * The cached instrument of every position, account then order, or null when any definition is new.
   * Runs before validation, so it reads the document defensively ({@code path} never fails).
   */
  private Instrument[] knownInstruments(JsonNode doc) {
    JsonNode accountPositions = doc.path("account").path("positions");
    JsonNode orderPositions = doc.path("order").path("positions");
    Instrument[] known = new Instrument[accountPositions.size() + orderPositions.size()];
    int k = 0;
    for (JsonNode p : accountPositions) {
      if ((known[k++] = knownDefinition(p.path("instrument"))) == null) {
        return null;
      }
    }
    for (JsonNode p : orderPositions) {
      if ((known[k++] = knownDefinition(p.path("instrument"))) == null) {
        return null;
      }
    }
    return known;
  }

  /**
   * A preset (cached by {@link PolicyLoader}), a policy file (read each time: it may change; only where
   * files are allowed), or an inline object.
   */
  private MarginPolicy policy(JsonNode node) {
    if (node.isTextual()) {
      String name = node.asText();
      if (!policyFilesAllowed && !PolicyLoader.PRESETS.contains(name)) {
        throw new InvalidInputException("policy", "'" + name + "' is not a preset " + PolicyLoader.PRESETS
            + "; this service reads no policy files: send the policy inline as a JSON object");
      }
      return PolicyLoader.load(name);
    }
    MarginPolicy policy = inlinePolicies.get(node);
    if (policy == null) {
      policy = PolicyLoader.fromJson(node);
      inlinePolicies.put(node.deepCopy(), policy);
    }
    return policy;
  }

  /**
   * The snapshot of a validated {@code market} document at {@code asOf}. A malformed timestamp inside
   * one underlying's data is that underlying's market error (DESIGN §3 "Valuation instant"): only
   * accounts touching it become DATA_ERROR. A duplicate underlying is a request error.
   */
  static MarketSnapshot market(Instant asOf, JsonNode market) {
    Map<String, UnderlyingMarket> underlyings = new LinkedHashMap<>();
    int k = 0;
    for (JsonNode u : market.get("underlyings")) {
      String path = "market.underlyings[" + k++ + "]";
      String name = u.get("underlying").asText();
      UnderlyingMarket parsed;
      try {
        parsed = underlying(asOf, u, path, name);
      } catch (InvalidInputException e) {
        parsed = UnderlyingMarket.unreadable(name, asOf, u.get("index_price").asDouble(), e.getMessage());
      }
      if (underlyings.put(name, parsed) != null) {
        throw new InvalidInputException(path + ".underlying", "underlying " + name + " is given twice");
      }
    }
    Map<String, Double> marks = new LinkedHashMap<>();
    for (JsonNode m : market.path("option_marks")) {
      marks.put(m.get("instrument_id").asText(), m.get("mark_iv").asDouble());
    }
    return new MarketSnapshot(asOf, underlyings, marks);
  }

  private static UnderlyingMarket underlying(Instant asOf, JsonNode u, String path, String name) {
    Map<Instant, Double> forwards = new TreeMap<>();
    int f = 0;
    for (JsonNode fw : u.path("forwards")) {
      forwards.put(TimeConventions.parseInstant(path + ".forwards[" + f++ + "].expiry", fw.get("expiry").asText()),
          fw.get("forward").asDouble());
    }
    List<SviSlice> slices = new ArrayList<>();
    if (u.has("flat_vol")) {
      // One flat slice gives the same vol at every expiry: own slice, or flat vol beyond the edges.
      Instant expiry = asOf.plusSeconds(30L * 86400);
      slices.add(SviSlice.flat(expiry, u.get("flat_vol").asDouble(), TimeConventions.yearFraction(asOf, expiry)));
    }
    int s = 0;
    for (JsonNode v : u.path("vol_slices")) {
      slices.add(new SviSlice(TimeConventions.parseInstant(path + ".vol_slices[" + s++ + "].expiry", v.get("expiry").asText()),
          v.get("a").asDouble(), v.get("b").asDouble(), v.get("rho").asDouble(), v.get("m").asDouble(),
          v.get("sigma_svi").asDouble()));
    }
    return new UnderlyingMarket(name, asOf, u.get("index_price").asDouble(), u.path("rate").asDouble(0.0),
        u.path("basis").asDouble(0.0), forwards, slices);
  }

  /**
   * The positions of one array; {@code known} (or null) holds the cached instruments of the document's
   * positions from {@code offset}. New definitions are parsed and, when valid, cached.
   */
  private List<Position> positions(JsonNode array, String path, Instrument[] known, int offset,
      Map<String, Instrument> instruments, Map<String, String> instrumentErrors) {
    List<Position> out = new ArrayList<>(array.size());
    int k = 0;
    for (JsonNode p : array) {
      JsonNode def = p.get("instrument");
      Instrument cached = known == null ? null : known[offset + k];
      String id = cached == null ? def.get("instrument_id").asText() : cached.id();
      try {
        Instrument ins = cached == null ? parseAndCache(def, path, k) : cached;
        Instrument previous = instruments.putIfAbsent(id, ins);
        if (previous != null && !previous.equals(ins)) {
          throw new InvalidInputException(where(path, k), "instrument " + id + " is defined twice, differently");
        }
      } catch (InvalidInputException e) {
        instrumentErrors.putIfAbsent(id, e.getMessage());
      }
      double entry = p.hasNonNull("entry_price") ? p.get("entry_price").asDouble() : Double.NaN;
      out.add(new Position(id, p.get("quantity").asDouble(), entry));
      k++;
    }
    return out;
  }

  private Instrument parseAndCache(JsonNode def, String path, int k) {
    Instrument ins = definitions.get(def);
    if (ins == null) {
      ins = instrument(def, where(path, k));
      definitions.put(def.deepCopy(), ins);
    }
    return ins;
  }

  private static String where(String path, int k) {
    return path + "[" + k + "].instrument";
  }

  private static Instrument instrument(JsonNode d, String where) {
    InstrumentKind kind = InstrumentKind.parse(where + ".kind", d.get("kind").asText());
    Settlement settlement = Settlement.parse(where + ".settlement", d.get("settlement").asText());
    OptionType type = kind == InstrumentKind.OPTION ? OptionType.parse(where + ".option_type", text(d, "option_type")) : null;
    Instant expiry = kind == InstrumentKind.PERPETUAL || !d.hasNonNull("expiry") ? null
        : TimeConventions.parseInstant(where + ".expiry", d.get("expiry").asText());
    double strike = d.hasNonNull("strike") ? d.get("strike").asDouble() : Double.NaN;
    return new Instrument(d.get("instrument_id").asText(), d.get("underlying").asText(), kind, settlement, type, strike,
        expiry, d.get("multiplier").asDouble());
  }

  private static String text(JsonNode d, String field) {
    return d.hasNonNull(field) ? d.get(field).asText() : null;
  }
}
