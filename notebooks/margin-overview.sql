-- riskgrid notebook: margin overview for one business date.
-- Each statement runs as is in `deploy/bin/riskgrid sql "<statement>"`, in a Spark SQL notebook over
-- the warehouse tables, and in CI (MarginJobTest runs every statement of every notebooks/*.sql file).

-- 1. Accounts by status, with the margin they post in USD (coin accounts converted at the index).
SELECT m.status, count(*) AS accounts,
       round(sum(m.im * coalesce(u.index_price, 1)), 0) AS im_usd,
       round(sum(m.equity * coalesce(u.index_price, 1)), 0) AS equity_usd
FROM margins m
LEFT JOIN market_underlyings u ON u.as_of_date = m.as_of_date AND u.underlying = m.margin_currency
GROUP BY m.status
ORDER BY accounts DESC;

-- 2. Portfolio margin against standard margin by margin currency: the PM saving.
SELECT margin_currency, count(*) AS accounts,
       round(sum(pm_im), 2) AS pm_im, round(sum(standard_im), 2) AS standard_im,
       round(1 - sum(pm_im) / sum(standard_im), 4) AS pm_saving
FROM margins
WHERE pm_im IS NOT NULL AND standard_im > 0
GROUP BY margin_currency
ORDER BY margin_currency;

-- 3. Which scenarios bind: the binding scenario of every account and underlying.
SELECT b.underlying, b.binding_scenario, count(*) AS accounts, round(sum(b.scan_loss), 2) AS scan_loss
FROM margins LATERAL VIEW explode(by_underlying) t AS b
WHERE b.binding_scenario IS NOT NULL
GROUP BY b.underlying, b.binding_scenario
ORDER BY accounts DESC
LIMIT 20;

-- 4. Why is this margin what it is: the ten largest requirements, explained per underlying.
SELECT account_id, margin_currency, status, round(im, 2) AS im, round(equity, 2) AS equity,
       transform(by_underlying, b -> concat(b.underlying, ' ', b.binding_scenario, ' scan ', round(b.scan_loss, 2),
                 ' c_opt ', round(b.c_opt, 2), ' c_fut ', round(b.c_fut, 2))) AS why
FROM margins
WHERE im IS NOT NULL
ORDER BY im DESC
LIMIT 10;

-- 5. Rejected and data-error inputs, by reason.
SELECT source_table, reason, count(*) AS rows FROM rejects GROUP BY source_table, reason ORDER BY rows DESC;
