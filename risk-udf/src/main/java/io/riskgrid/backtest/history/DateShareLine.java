package io.riskgrid.backtest.history;

import io.riskgrid.backtest.RejectionDirection;
import java.io.Serializable;

/**
 * The pooled coverage test of the ALL row that does not assume independent portfolios
 * ({@link io.riskgrid.backtest.DateShareCoverage}): each date one trial, its outcome the share of the portfolios
 * observed that date that breached MM.
 *
 * @param dates        D, dates with at least one observation
 * @param breachShares x = Σ over dates of breaches / portfolios observed, in [0, D]
 * @param lr           the likelihood ratio, χ²(1) under a correct model
 * @param p            its p-value
 * @param direction    which way it rejects at the significance, or NOT_REJECTED
 */
public record DateShareLine(long dates, double breachShares, double lr, double p, RejectionDirection direction)
    implements Serializable {}
