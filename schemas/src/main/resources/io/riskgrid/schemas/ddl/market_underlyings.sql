-- market_underlyings: one row per underlying and snapshot date.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the snapshot',
as_of_ts TIMESTAMP COMMENT 'valuation instant, UTC: every T is measured from it',
underlying STRING COMMENT 'coin, e.g. BTC',
index_price DOUBLE COMMENT 'S, USD per coin',
rate DOUBLE COMMENT 'discount rate r, annual, continuously compounded, decimal',
basis DOUBLE COMMENT 'annual basis b for expiries without a listed forward: F = S exp(b T)',
funding_rate_8h DOUBLE COMMENT 'perpetual funding per 8 hours, decimal; for reports only'
