/**
 * Statistics of margin-model backtesting (DESIGN §3.6): pure, stateless calculators over immutable,
 * validated value types. Nothing here knows about Spark, markets or portfolios; the inputs are
 * breach flags per observed day and a margin series, both produced elsewhere.
 *
 * <ul>
 *   <li>{@link io.riskgrid.backtest.KupiecPof}: unconditional coverage (proportion of failures), χ²(1).</li>
 *   <li>{@link io.riskgrid.backtest.TransitionCounter} and
 *       {@link io.riskgrid.backtest.ChristoffersenIndependence}: first-order Markov independence of
 *       breaches over consecutive observed days, χ²(1).</li>
 *   <li>{@link io.riskgrid.backtest.ConditionalCoverage}: the sum of the two, χ²(2).</li>
 *   <li>{@link io.riskgrid.backtest.TrafficLight}: the Basel binomial traffic light over rolling
 *       250-observation windows.</li>
 *   <li>{@link io.riskgrid.backtest.Procyclicality}: peak-to-trough and largest 1-day and 30-day
 *       increases of a margin series.</li>
 *   <li>{@link io.riskgrid.backtest.BacktestSummarizer}: one {@link io.riskgrid.backtest.BacktestSummary}
 *       per portfolio and a {@link io.riskgrid.backtest.PooledBacktest} over all of them.</li>
 *   <li>{@link io.riskgrid.backtest.RejectionDirection}: which way a rejected test points (margin too low,
 *       conservative, clustered).</li>
 *   <li>{@link io.riskgrid.backtest.DateShareCoverage}: a pooled coverage test with each date one trial, which
 *       assumes nothing about how portfolios depend on each other.</li>
 *   <li>{@link io.riskgrid.backtest.WindowCounting}: with h-day losses, every day (overlapping) or every h-th.</li>
 *   <li>{@link io.riskgrid.backtest.ProcyclicalityBuffer}: the anti-procyclicality margin buffer (DESIGN §7.7).</li>
 * </ul>
 *
 * <p>Throughout, {@code p} is the expected breach probability per observation, {@code 1 − confidence}
 * (0.01 at the policy default confidence 0.99). Probabilities and p-values are plain decimals in
 * [0, 1]; likelihood-ratio statistics are dimensionless.
 */
package io.riskgrid.backtest;
