-- accounts: one row per account.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the account snapshot',
account_id STRING,
parent_id STRING COMMENT 'member account; null when the account is its own member',
margin_mode STRING COMMENT 'PORTFOLIO or STANDARD',
margin_currency STRING COMMENT 'USD, or the coin of a coin-margined account'
