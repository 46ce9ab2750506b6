package io.riskgrid.scenario;

/**
 * How the smile moves with the price. STICKY_STRIKE keeps each option's base σ; STICKY_MONEYNESS
 * re-reads the smile at k' = ln(K/F') with the unshocked T (an option with a mark IV keeps it).
 */
public enum VolDynamics { STICKY_STRIKE, STICKY_MONEYNESS }
