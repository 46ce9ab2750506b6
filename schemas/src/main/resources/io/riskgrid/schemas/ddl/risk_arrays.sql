-- risk_arrays: optional: one row per account and underlying with the whole risk array.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
account_id STRING,
underlying STRING COMMENT 'coin, e.g. BTC',
scenario_labels ARRAY<STRING> COMMENT 'scenario labels in policy order',
risk_array ARRAY<DOUBLE> COMMENT 'P&L per scenario in margin currency, loss negative, aligned with scenario_labels'
