-- margin_changes: day-on-day change of each account's mm split into positions, market and policy effects (DESIGN §7.3).
-- Partitioned by as_of_date.
-- The changes run replaces its slice (as_of_date, policy_name).
as_of_date DATE NOT NULL COMMENT 'the later date D',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
policy_name STRING NOT NULL COMMENT 'the policy of D''s margins slice (pi1)',
prev_as_of_date DATE COMMENT 'the earlier date D0: the latest date before D with margins of the previous policy',
account_id STRING,
margin_currency STRING COMMENT 'USD or a coin; every amount of the row is in it (D''s, else D0''s)',
mm_prev DOUBLE COMMENT 'mm on D0 (P0, M0, pi0), from D0''s margins; 0 for an account new on D; null when invalid on D0',
mm DOUBLE COMMENT 'mm on D (P1, M1, pi1), from D''s margins; 0 for an account closed on D; null when invalid on D',
positions_effect DOUBLE COMMENT 'MM(P1, M0, pi0) - MM(P0, M0, pi0): D''s positions and collateral on D0''s market and policy',
market_effect DOUBLE COMMENT 'MM(P1, M1, pi0) - MM(P1, M0, pi0): D''s market, with D''s positions and D0''s policy',
policy_effect DOUBLE COMMENT 'MM(P1, M1, pi1) - MM(P1, M1, pi0): D''s policy; 0 when the policy hashes are equal',
note STRING COMMENT 'why an effect is null or what kind of change the row is (new account, closed account); null for an account valid on both dates'
