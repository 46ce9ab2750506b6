package io.riskgrid.scenario;

/** REGULAR scenarios count in full in the scan loss; EXTREME ones count times their cover. */
public enum ScenarioKind { REGULAR, EXTREME }
