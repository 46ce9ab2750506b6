-- positions: one row per account and instrument, clustered by account_id.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the account snapshot',
account_id STRING,
instrument_id STRING,
quantity DOUBLE COMMENT 'contracts; negative is short',
entry_price DOUBLE COMMENT 'USD per coin; required for futures and perpetuals, ignored for options'
