-- market_option_marks: optional mark implied vol per option.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the snapshot',
instrument_id STRING COMMENT 'an OPTION of instruments',
mark_iv DOUBLE COMMENT 'decimal vol (0.55 is 55 percent)'
