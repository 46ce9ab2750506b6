package io.riskgrid.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** A small USD portfolio-margin request: a BTC call spread and a future, with an order to sell a put. */
final class WhatIfFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String REQUEST = """
      {
        "as_of": "2026-01-05T08:00:00Z",
        "policy": "seed-default",
        "market": {"underlyings": [{
          "underlying": "BTC", "index_price": 94128.89, "rate": 0, "basis": 0.001,
          "vol_slices": [
            {"expiry": "2026-01-30T08:00:00Z", "a": 0.0028, "b": 0.042, "rho": -0.25, "m": 0.02, "sigma_svi": 0.12},
            {"expiry": "2026-03-27T08:00:00Z", "a": 0.009, "b": 0.08, "rho": -0.3, "m": 0.03, "sigma_svi": 0.18}]}]},
        "account": {
          "account_id": "spread-1", "margin_mode": "PORTFOLIO", "margin_currency": "USD",
          "positions": [
            {"instrument": {"instrument_id": "BTC-30JAN26-100000-C", "underlying": "BTC", "kind": "OPTION",
              "settlement": "LINEAR", "option_type": "CALL", "strike": 100000, "expiry": "2026-01-30T08:00:00Z",
              "multiplier": 1}, "quantity": 5},
            {"instrument": {"instrument_id": "BTC-30JAN26-110000-C", "underlying": "BTC", "kind": "OPTION",
              "settlement": "LINEAR", "option_type": "CALL", "strike": 110000, "expiry": "2026-01-30T08:00:00Z",
              "multiplier": 1}, "quantity": -5},
            {"instrument": {"instrument_id": "BTC-27MAR26", "underlying": "BTC", "kind": "FUTURE",
              "settlement": "LINEAR", "expiry": "2026-03-27T08:00:00Z", "multiplier": 1},
              "quantity": -2, "entry_price": 95000}],
          "collateral": [{"asset": "USDC", "quantity": 250000}]},
        "order": {"positions": [
          {"instrument": {"instrument_id": "BTC-27MAR26-80000-P", "underlying": "BTC", "kind": "OPTION",
            "settlement": "LINEAR", "option_type": "PUT", "strike": 80000, "expiry": "2026-03-27T08:00:00Z",
            "multiplier": 1}, "quantity": -3}]}
      }
      """;

  private WhatIfFixtures() {}

  /** A fresh, mutable copy of {@link #REQUEST}. */
  static ObjectNode request() {
    try {
      return (ObjectNode) JSON.readTree(REQUEST);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of {@code request} whose account holds no position in {@code instrumentId}. */
  static ObjectNode withoutInstrument(ObjectNode request, String instrumentId) {
    ObjectNode without = request.deepCopy();
    ArrayNode positions = (ArrayNode) without.get("account").get("positions");
    for (int k = positions.size() - 1; k >= 0; k--) {
      if (positions.get(k).get("instrument").get("instrument_id").asText().equals(instrumentId)) {
        positions.remove(k);
      }
    }
    return without;
  }

  static ObjectNode underlying(ObjectNode request) {
    return (ObjectNode) request.get("market").get("underlyings").get(0);
  }

  static ObjectNode instrument(ObjectNode request, int position) {
    return (ObjectNode) request.get("account").get("positions").get(position).get("instrument");
  }
}
