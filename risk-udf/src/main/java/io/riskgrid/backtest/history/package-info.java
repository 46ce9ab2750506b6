/**
 * Model validation over daily history (DESIGN §3.6), engine side, without Spark.
 *
 * <ul>
 *   <li>Market history: {@link io.riskgrid.backtest.history.MarketHistory}, one
 *       {@link io.riskgrid.backtest.history.DailyMarket} per UTC day, from real closes
 *       ({@link io.riskgrid.backtest.history.HistoryImporter}) or a seeded model
 *       ({@link io.riskgrid.backtest.history.SyntheticMarketGenerator}).</li>
 *   <li>The panel: {@link io.riskgrid.backtest.history.BacktestPortfolio}s in relative terms
 *       ({@link io.riskgrid.backtest.history.PanelLeg}: tenor in days, moneyness K/F, coin quantity),
 *       re-instantiated every day by {@link io.riskgrid.backtest.history.PanelInstantiator};
 *       generated archetypes in {@link io.riskgrid.backtest.history.PanelArchetypes}.</li>
 *   <li>One day of the backtest: {@link io.riskgrid.backtest.history.DailyBacktest} margins the panel
 *       at t with the engine and revalues the frozen portfolios at t+h
 *       ({@link io.riskgrid.backtest.history.PortfolioValuer}), giving one
 *       {@link io.riskgrid.backtest.history.Observation} per observed portfolio.</li>
 *   <li>{@link io.riskgrid.backtest.history.PanelStatistics} turns observations into the rows of
 *       {@code backtest_summary} with the calculators of {@code io.riskgrid.backtest}.</li>
 * </ul>
 *
 * <p>Amounts are in each portfolio's margin currency (USD, or its coin for a coin account) unless a
 * name says {@code Usd}. Vols are decimals; dates are UTC calendar days.
 */
package io.riskgrid.backtest.history;
