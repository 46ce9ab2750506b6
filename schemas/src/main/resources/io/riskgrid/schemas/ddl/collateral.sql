-- collateral: one row per account and asset.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the account snapshot',
account_id STRING,
asset STRING COMMENT 'USD, a stablecoin or a coin',
quantity DOUBLE COMMENT 'units of asset; negative is a loan'
