-- scenario_sets: one row per scenario and shocked underlying; a joint scenario has one row per underlying.
-- A rerun replaces its slice by set_name.
set_name STRING NOT NULL COMMENT 'preset or custom set, e.g. seed-default',
scenario_id INT COMMENT 'position in policy order; rows of one joint scenario share it',
label STRING COMMENT 'e.g. p-15_v+10, p-30_v+10_x_h3, hist_2022-11-07_09',
underlying STRING COMMENT 'coin or stablecoin shocked, or * for every underlying',
p DOUBLE COMMENT 'price shock, decimal: -0.15 is -15 percent; > -1',
v DOUBLE COMMENT 'vol shock: decimal vol (additive) or decimal fraction (relative)',
h_days INT COMMENT 'horizon in days',
kind STRING COMMENT 'REGULAR or EXTREME',
cover DOUBLE COMMENT 'fraction of the loss charged: below 1 for EXTREME, 1 for REGULAR',
vol_mode STRING COMMENT 'additive or relative'
