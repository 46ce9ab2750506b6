package io.riskgrid.margin;

import java.io.Serializable;

/** Why an input row made its account REJECTED or DATA_ERROR: the row for the {@code rejects} table. */
public record Issue(AccountStatus status, String sourceTable, String key, String reason) implements Serializable {}
