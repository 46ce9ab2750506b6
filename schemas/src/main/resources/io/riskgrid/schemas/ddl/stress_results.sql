-- stress_results: one row per joint stress scenario.
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
set_name STRING COMMENT 'the stress set, see scenario_sets',
scenario_id INT COMMENT 'position in the set',
label STRING COMMENT 'scenario label',
total_pnl_usd DOUBLE COMMENT 'P&L of every account, USD',
shortfall_usd DOUBLE COMMENT 'sum of account losses beyond equity, USD',
accounts_in_deficit BIGINT COMMENT 'accounts whose loss exceeds their equity',
cover1_usd DOUBLE COMMENT 'largest member shortfall, USD',
cover2_usd DOUBLE COMMENT 'sum of the two largest member shortfalls, USD',
cover_members ARRAY<STRING> COMMENT 'members behind cover2_usd, largest first',
netted_shortfall_usd DOUBLE COMMENT 'member shortfall with sub-accounts netted, USD',
substitutions ARRAY<STRING> COMMENT 'market data substituted in this scenario; empty when none',
top_contributors ARRAY<STRUCT<
  member_id: STRING COMMENT 'parent account, or an account without a parent',
  shortfall_usd: DOUBLE COMMENT 'loss of the member beyond its equity in this scenario, USD'
>> COMMENT 'members with the largest shortfall, largest first'
