package io.riskgrid.margin;

import java.io.Serializable;

/**
 * A holding of {@code quantity} contracts (signed; negative is short) of an instrument.
 * {@code entryPrice} (USD per coin) is required for futures and perpetuals and ignored for options;
 * NaN when absent. Validation happens in {@link MarginCalculator}, which turns bad values into REJECTED.
 */
public record Position(String instrumentId, double quantity, double entryPrice) implements Serializable {}
