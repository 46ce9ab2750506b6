-- liquidation_curve: the exchange liquidation curve (DESIGN §7.5), one row per joint index move and policy.
-- Partitioned by as_of_date.
-- The margin run replaces its slice (as_of_date, policy_name) together with the margins slice.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
policy_name STRING NOT NULL COMMENT 'the policy whose mm the accounts are held to, as in margins',
move DOUBLE COMMENT 'joint relative move x of every index, decimal (-0.2 = every index 20% lower), vols and time unchanged',
accounts_liquidated BIGINT COMMENT 'valid accounts with equity + P&L(x) < mm (mm of today); at 0 the accounts in LIQUIDATION',
shortfall_usd DOUBLE COMMENT 'sum over those accounts of max(0, -(equity + P&L(x))), USD; coin accounts at their coin''s moved index',
equity_at_risk_usd DOUBLE COMMENT 'sum over those accounts of max(0, equity + P&L(x)), USD: the equity left to the liquidation engine; coin accounts at their coin''s moved index'
