package io.riskgrid.margin;

/** Which requirement applies to an account: portfolio (risk-based) or standard (per position). */
public enum MarginMode { PORTFOLIO, STANDARD }
