package io.riskgrid.margin;

/**
 * OK: equity ≥ IM. MARGIN_CALL: MM ≤ equity < IM. LIQUIDATION: equity < MM. REJECTED: bad account
 * data; DATA_ERROR: bad market data; both with a reason and null figures (DESIGN §3.4).
 */
public enum AccountStatus { OK, MARGIN_CALL, LIQUIDATION, REJECTED, DATA_ERROR }
