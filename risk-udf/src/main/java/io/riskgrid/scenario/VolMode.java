package io.riskgrid.scenario;

/** How a vol shock v applies: ADDITIVE σ' = σ + v·g(T); RELATIVE σ' = σ·(1 + v·g(T)). */
public enum VolMode { ADDITIVE, RELATIVE }
