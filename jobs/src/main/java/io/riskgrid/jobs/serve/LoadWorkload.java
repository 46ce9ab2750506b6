package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.instrument.Instrument;
import io.riskgrid.jobs.generate.ExchangeUniverse;
import io.riskgrid.kernel.RiskKernel;
import io.riskgrid.market.MarketSnapshot;
import io.riskgrid.whatif.ServedMarket;
import io.riskgrid.whatif.WhatIfService;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The requests {@code serve-load} sends: {@code accounts} USD portfolio-margin accounts of
 * {@code positions} linear option and futures positions each (the generator's BTC, ETH and SOL
 * universe), an order each, the seed-default policy and no market, so the server values them on the
 * market this workload puts first. A second market (every index moved) is the other side of a swap.
 * The expected responses are computed here, directly, for each account on each market.
 */
public final class LoadWorkload {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final LocalDate AS_OF = LocalDate.of(2026, 1, 5);

  final ObjectNode marketA;
  final ObjectNode marketB;
  final String hashA;
  final String hashB;
  final ObjectNode[] requests;
  final byte[][] bodies;

  public LoadWorkload(int accounts, int positions, long seed) {
    ExchangeUniverse universe = ExchangeUniverse.of(AS_OF);
    MarketSnapshot market = universe.market();
    marketA = MarketDocument.of(market);
    marketB = marketA.deepCopy();
    for (JsonNode u : marketB.get("market").get("underlyings")) {
      ((ObjectNode) u).put("index_price", u.get("index_price").asDouble() * 1.03);
    }
    hashA = ServedMarket.parse(marketA).hash();
    hashB = ServedMarket.parse(marketB).hash();
    List<Instrument> linear = universe.instruments().stream().filter(i -> !i.isInverse()).toList();
    SplittableRandom rnd = new SplittableRandom(seed);
    requests = new ObjectNode[accounts];
    bodies = new byte[accounts][];
    for (int a = 0; a < accounts; a++) {
      ObjectNode req = JSON.createObjectNode();
      req.put("policy", "seed-default");
      ObjectNode account = req.putObject("account").put("account_id", "load-" + a).put("margin_mode", "PORTFOLIO")
          .put("margin_currency", "USD");
      ArrayNode list = account.putArray("positions");
      for (int k = 0; k < positions; k++) {
        Instrument i = linear.get(rnd.nextInt(linear.size()));
        list.add(position(i, rnd.nextInt(-50, 50) + 0.5, market.underlying(i.underlying()).index()));
      }
      account.putArray("collateral").addObject().put("asset", "USDC").put("quantity", 5_000_000);
      Instrument o = linear.get(rnd.nextInt(linear.size()));
      req.putObject("order").putArray("positions").add(position(o, -10, market.underlying(o.underlying()).index()));
      requests[a] = req;
      bodies[a] = req.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static ObjectNode position(Instrument i, double qty, double entry) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode d = p.putObject("instrument").put("instrument_id", i.id()).put("underlying", i.underlying())
        .put("kind", i.kind().name()).put("settlement", i.settlement().name()).put("multiplier", i.multiplier());
    if (i.isOption()) {
      d.put("option_type", i.optionType().name()).put("strike", i.strike());
    }
    if (i.expiry() != null) {
      d.put("expiry", i.expiry().toString());
    }
    p.put("quantity", qty);
    if (!i.isOption()) {
      p.put("entry_price", entry);
    }
    return p;
  }

  /** Expected responses (without the {@code market} field) by market hash, then account. */
  Map<String, JsonNode[]> expected(RiskKernel kernel) {
    WhatIfService direct = new WhatIfService(kernel);
    Map<String, JsonNode[]> out = new HashMap<>();
    for (ObjectNode m : List.of(marketA, marketB)) {
      JsonNode[] answers = new JsonNode[requests.length];
      for (int a = 0; a < requests.length; a++) {
        ObjectNode full = requests[a].deepCopy();
        full.set("as_of", m.get("as_of"));
        full.set("market", m.get("market"));
        answers[a] = direct.evaluate(full);
      }
      out.put(ServedMarket.parse(m).hash(), answers);
    }
    return out;
  }

  /** The request body of account {@code k} (UTF-8 JSON, no market: valued on the served one). */
  public byte[] body(int k) {
    return bodies[k];
  }

  /** The market the server is started on, parsed as {@code PUT /v1/market} parses it. */
  public ServedMarket servedMarket() {
    return ServedMarket.parse(marketA);
  }

  int averageBodyBytes() {
    long total = 0;
    for (byte[] b : bodies) {
      total += b.length;
    }
    return (int) (total / bodies.length);
  }
}
