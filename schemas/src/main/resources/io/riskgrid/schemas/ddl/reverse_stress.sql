-- reverse_stress: one row per reversed historical scenario (DESIGN §7.6).
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date and set_name.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
set_name STRING COMMENT 'the historical stress set reversed, see stress_results',
scenario_id INT COMMENT 'position of the scenario in its set',
label STRING COMMENT 'scenario label',
lambda DOUBLE COMMENT 'smallest scale of the joint move of the scenario (p and v times lambda) at which the exchange shortfall exceeds the default resources, linear between grid points of 0.05; > 1: the resources survive the move itself; null: they survive 5 times it',
btc_move DOUBLE COMMENT 'the BTC price move at lambda (decimal, -0.25 = -25%); at 5 times the move when lambda is null',
shortfall_at_lambda_usd DOUBLE COMMENT 'exchange shortfall at lambda, USD (the resources, by construction, unless lambda is 0 or null)',
resources_usd DOUBLE COMMENT 'default resources: default fund plus insurance fund of the policy, USD'
