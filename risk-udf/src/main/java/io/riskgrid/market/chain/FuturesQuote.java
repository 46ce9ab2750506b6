package io.riskgrid.market.chain;

import java.time.Instant;

/**
 * One row of a futures file: {@code price} in USD per coin; {@code expiry} null for the index and
 * perpetuals. A row whose price is unusable (unparsable, non-finite or ≤ 0) is a reject and is also
 * kept here with price NaN, so that its underlying's market becomes DATA_ERROR instead of silently
 * falling back to another source.
 */
public record FuturesQuote(String instrument, String underlying, FuturesKind kind, Instant expiry, double price,
    String source, long line) {}
