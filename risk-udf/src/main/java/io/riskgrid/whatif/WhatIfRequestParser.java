package io.riskgrid.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a what-if JSON document into engine inputs. Structure is checked against
 * {@code whatif-request.schema.json}; values (instants, kinds, strikes) are checked here, and every
 * error names its JSON path.
 */
final class WhatIfRequestParser {
  private static final JsonSchema SCHEMA = PolicyLoader.loadSchema("/io/riskgrid/json-schema/whatif-request.schema.json");

  private WhatIfRequestParser() {}

  /** A parsed request. {@code instrumentErrors} holds malformed instrument definitions by id. */
  record Parsed(Instant asOf, MarginPolicy policy, MarketSnapshot market, Account account, List<Position> order,
      Map<String, Instrument> instruments, Map<String, String> instrumentErrors) {}

  static Parsed parse(JsonNode doc) {
    Set<ValidationMessage> errors = SCHEMA.validate(doc);
    if (!errors.isEmpty()) {
      String all = errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
      throw new InvalidInputException("whatif", "does not match whatif-request.schema.json: " + all);
    }
    Instant asOf = TimeConventions.parseInstant("as_of", doc.get("as_of").asText());
    JsonNode policyNode = doc.get("policy");
    MarginPolicy policy = policyNode.isTextual() ? PolicyLoader.load(policyNode.asText()) : PolicyLoader.fromJson(policyNode);
    MarketSnapshot market = market(asOf, doc.get("market"));
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    Map<String, String> instrumentErrors = new TreeMap<>();
    JsonNode acc = doc.get("account");
    List<Position> positions = positions(acc.path("positions"), "account.positions", instruments, instrumentErrors);
    List<CollateralBalance> collateral = new ArrayList<>();
    for (JsonNode c : acc.path("collateral")) {
      collateral.add(new CollateralBalance(c.get("asset").asText(), c.get("quantity").asDouble()));
    }
    String parent = acc.hasNonNull("parent_id") ? acc.get("parent_id").asText() : null;
    Account account = new Account(acc.get("account_id").asText(), parent, acc.get("margin_mode").asText(),
        acc.get("margin_currency").asText(), positions, collateral);
    List<Position> order = doc.has("order")
        ? positions(doc.get("order").get("positions"), "order.positions", instruments, instrumentErrors) : null;
    return new Parsed(asOf, policy, market, account, order, instruments, instrumentErrors);
  }

  private static MarketSnapshot market(Instant asOf, JsonNode market) {
    Map<String, UnderlyingMarket> underlyings = new LinkedHashMap<>();
    int k = 0;
    for (JsonNode u : market.get("underlyings")) {
      String path = "market.underlyings[" + k++ + "]";
      String name = u.get("underlying").asText();
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
      if (underlyings.put(name, new UnderlyingMarket(name, asOf, u.get("index_price").asDouble(),
          u.path("rate").asDouble(0.0), u.path("basis").asDouble(0.0), forwards, slices)) != null) {
        throw new InvalidInputException(path + ".underlying", "underlying " + name + " is given twice");
      }
    }
    Map<String, Double> marks = new LinkedHashMap<>();
    for (JsonNode m : market.path("option_marks")) {
      marks.put(m.get("instrument_id").asText(), m.get("mark_iv").asDouble());
    }
    return new MarketSnapshot(asOf, underlyings, marks);
  }

  private static List<Position> positions(JsonNode array, String path, Map<String, Instrument> instruments,
      Map<String, String> instrumentErrors) {
    List<Position> out = new ArrayList<>();
    int k = 0;
    for (JsonNode p : array) {
      JsonNode def = p.get("instrument");
      String id = def.get("instrument_id").asText();
      String where = path + "[" + k++ + "].instrument";
      try {
        Instrument ins = instrument(def, where);
        Instrument previous = instruments.putIfAbsent(id, ins);
        if (previous != null && !previous.equals(ins)) {
          throw new InvalidInputException(where, "instrument " + id + " is defined twice, differently");
        }
      } catch (InvalidInputException e) {
        instrumentErrors.putIfAbsent(id, e.getMessage());
      }
      double entry = p.hasNonNull("entry_price") ? p.get("entry_price").asDouble() : Double.NaN;
      out.add(new Position(id, p.get("quantity").asDouble(), entry));
    }
    return out;
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
