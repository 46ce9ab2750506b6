-- exposures: exchange exposure per underlying and expiry bucket, USD-value basis.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
underlying STRING COMMENT 'coin, e.g. BTC',
bucket STRING COMMENT 'expiry as an ISO-8601 UTC instant, PERP, or SPOT for collateral',
net_delta DOUBLE COMMENT 'coin, on the USD-value basis',
gamma DOUBLE COMMENT 'coin per USD',
vega DOUBLE COMMENT 'USD per vol point',
theta DOUBLE COMMENT 'USD per day',
long_oi DOUBLE COMMENT 'long open interest, coin',
short_oi DOUBLE COMMENT 'short open interest, coin'
