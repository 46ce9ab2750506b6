package io.riskgrid.jobs.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.riskgrid.whatif.ServedMarket;
import java.time.Duration;
import java.time.Instant;

/**
 * The market {@code serve} answers from, with where it came from and when it was loaded. Immutable:
 * {@link WhatIfServer} holds it in an {@link java.util.concurrent.atomic.AtomicReference} and swaps the
 * whole value, so a request reads it once and finishes on the market it started with.
 *
 * @param market   the parsed, validated snapshot
 * @param source   where it came from: a file path, {@code warehouse W as of D}, or {@code PUT /v1/market}
 * @param loadedAt when this server started serving it
 */
record MarketState(ServedMarket market, String source, Instant loadedAt) {

  /** Seconds from the market's valuation instant to {@code now}: how old the data a response uses is. */
  double ageSeconds(Instant now) {
    return Duration.between(market.asOf(), now).toNanos() / 1e9;
  }

  /** {@code {as_of, hash, source, loaded_at, age_seconds, data_errors}}. */
  ObjectNode describe(Instant now) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("as_of", market.asOf().toString());
    out.put("hash", market.hash());
    out.put("source", source);
    out.put("loaded_at", loadedAt.toString());
    out.put("age_seconds", ageSeconds(now));
    ObjectNode errors = out.putObject("data_errors");
    market.dataErrors().forEach(errors::put);
    return out;
  }
}
