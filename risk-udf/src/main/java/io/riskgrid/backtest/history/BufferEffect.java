package io.riskgrid.backtest.history;

import java.io.Serializable;

/**
 * ALL's margin series with the anti-procyclicality buffer (DESIGN §7.7), on the same dates as ALL's procyclicality
 * figures without it: the posted Σ IM in USD of {@link io.riskgrid.backtest.ProcyclicalityBuffer}.
 *
 * @param buffer          b, the policy's {@code anti_procyclicality.buffer}
 * @param peakToTrough    max P / min P of the posted margin
 * @param max1dIncrease   largest P_t / P_t−1 − 1, null without consecutive dates
 * @param max30dIncrease  largest P_t / P_t−30 days − 1, null without dates 30 days apart
 * @param marginCost      Σ P / Σ R − 1: the margin the buffer adds on average (0.10 = 10% more)
 */
public record BufferEffect(double buffer, double peakToTrough, Double max1dIncrease, Double max30dIncrease,
    double marginCost) implements Serializable {}
