-- rejects: one row per rejected input row.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'date of the input slice',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
source_table STRING COMMENT 'input table of the offending row',
key STRING COMMENT 'key of the offending row, e.g. account_id/instrument_id',
reason STRING COMMENT 'what is wrong and what would fix it'
