/**
 * Stage 1 (DESIGN §2): the instrument book the jobs margin on, built on the driver and broadcast to
 * the executors that margin accounts on it.
 */
package io.riskgrid.jobs.valuation;
