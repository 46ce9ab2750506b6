package io.riskgrid.margin;

import java.io.Serializable;

/** A balance of {@code quantity} units of {@code asset} (USD, a stablecoin or a coin); negative is a loan. */
public record CollateralBalance(String asset, double quantity) implements Serializable {}
