package io.riskgrid.market.chain;

import io.riskgrid.instrument.OptionType;
import java.time.Instant;

/**
 * One option of a chain at the snapshot, as read and validated: strike and prices in USD per coin
 * except {@code markPrice} (coin per contract, the inverse convention), {@code markIv} a decimal
 * (the file's percent / 100), {@code underlyingPrice} the USD forward of its expiry, {@code indexPrice}
 * the USD index (NaN where the format has none), {@code openInterest} in contracts (NaN when not
 * given). {@code source} and {@code line} say where it came from.
 */
public record OptionQuote(String instrument, String underlying, Instant expiry, double strike, OptionType type,
    double markIv, double markPrice, double underlyingPrice, double indexPrice, double openInterest,
    String source, long line) {}
