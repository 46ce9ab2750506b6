-- policy_comparison: one row per account of a date compared under two policies (riskgrid compare, DESIGN §7.4); replaced by (as_of_date, policy_a, policy_b).
-- Partitioned by as_of_date.
-- A rerun replaces its slice (as_of_date, policy_a, policy_b).
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
policy_a STRING NOT NULL COMMENT 'the first policy, the baseline; its rows are the margins slice of run_id_a',
policy_b STRING NOT NULL COMMENT 'the second policy, the candidate; its rows are the margins slice of run_id_b',
account_id STRING,
margin_currency STRING COMMENT 'USD or a coin; im and mm are in it',
im_a DOUBLE COMMENT 'IM under policy_a (the account''s margin_mode), margin currency; null when rejected',
im_b DOUBLE COMMENT 'IM under policy_b, margin currency; null when rejected',
mm_a DOUBLE COMMENT 'MM under policy_a, margin currency',
mm_b DOUBLE COMMENT 'MM under policy_b, margin currency',
status_a STRING COMMENT 'status under policy_a',
status_b STRING COMMENT 'status under policy_b',
run_id_a STRING COMMENT 'the margin run whose margins rows policy_a''s figures are',
run_id_b STRING COMMENT 'the margin run whose margins rows policy_b''s figures are'
