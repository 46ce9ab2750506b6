-- market_forwards: one row per underlying and listed expiry.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the snapshot',
underlying STRING COMMENT 'coin, e.g. BTC',
expiry TIMESTAMP COMMENT 'UTC instant',
forward DOUBLE COMMENT 'F(T), USD per coin, from futures marks'
