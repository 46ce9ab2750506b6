-- riskgrid notebook: exchange-wide stress for one business date (run `riskgrid stress` or `demo` first).

-- 1. Every joint scenario: total P&L, loss beyond collateral, and what the default fund must cover.
SELECT set_name, label, round(total_pnl_usd, 0) AS total_pnl_usd, round(shortfall_usd, 0) AS shortfall_usd,
       accounts_in_deficit, round(cover1_usd, 0) AS cover1_usd, round(cover2_usd, 0) AS cover2_usd, cover_members
FROM stress_results
ORDER BY shortfall_usd DESC;

-- 2. Headline Cover-2: the worst scenario and its two members.
SELECT set_name, label, round(cover2_usd, 0) AS cover2_usd, cover_members
FROM stress_results
ORDER BY cover2_usd DESC
LIMIT 1;

-- 3. Net exposures by underlying and expiry bucket (USD-value basis delta, coin open interest).
SELECT underlying, bucket, round(net_delta, 4) AS net_delta_coin, round(vega, 0) AS vega_usd,
       round(long_oi, 2) AS long_oi, round(short_oi, 2) AS short_oi
FROM exposures
ORDER BY underlying, bucket;

-- 4. The shocks behind the historical set, with substitutions.
SELECT s.label, s.underlying, s.p, s.v, s.h_days
FROM scenario_sets s
WHERE s.set_name = 'historical'
ORDER BY s.scenario_id, s.underlying;
