/**
 * The input layer every job reads through: the account, position, collateral, instrument and market
 * tables of one date, grouped into the engine's {@code Account}s, without a shuffle when the date is
 * laid out by account ({@link io.riskgrid.jobs.input.ClusteredLayout}) and with one otherwise.
 */
package io.riskgrid.jobs.input;
