package io.riskgrid.backtest.history;

import java.io.Serializable;

/**
 * ALL's margin series with one anti-procyclicality tool of DESIGN §7.7, on the same dates as ALL's procyclicality
 * figures without it: Σ IM in USD as posted with the buffer ({@link io.riskgrid.backtest.ProcyclicalityBuffer}) or
 * floored at f × the stressed IM.
 *
 * @param parameter      the tool's policy parameter: the buffer b, or the floor's f
 * @param peakToTrough   max / min of the margin with the tool
 * @param max1dIncrease  largest 1-day relative increase with the tool, null without consecutive dates
 * @param max30dIncrease largest 30-day relative increase with the tool, null without dates 30 days apart
 * @param marginCost     Σ margin with the tool / Σ margin without − 1: what the tool adds on average (0.10 = 10%)
 */
public record ToolEffect(double parameter, double peakToTrough, Double max1dIncrease, Double max30dIncrease,
    double marginCost) implements Serializable {}
