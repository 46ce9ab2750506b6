-- margins: one row per input account, always.
-- Partitioned by as_of_date.
-- A run replaces its slice (as_of_date, policy_name): several policies of one date coexist.
as_of_date DATE NOT NULL COMMENT 'date of the account and market snapshot',
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
policy_name STRING NOT NULL COMMENT 'the policy of the run; a run replaces the slice (as_of_date, policy_name), so policies of one date coexist',
policy_hash STRING COMMENT 'hash of the policy as read, as in runs; equal hashes mean equal margins for equal inputs',
account_id STRING,
parent_id STRING COMMENT 'member account; null when the account is its own member',
margin_mode STRING COMMENT 'PORTFOLIO or STANDARD',
margin_currency STRING COMMENT 'USD or a coin; every amount of the row is in it',
status STRING COMMENT 'OK, MARGIN_CALL, LIQUIDATION, DATA_ERROR or REJECTED',
reason STRING COMMENT 'why DATA_ERROR or REJECTED, naming the input; null otherwise',
equity DOUBLE COMMENT 'collateral after haircuts plus mark-to-market of positions',
im DOUBLE COMMENT 'initial margin under the margin_mode of the account',
mm DOUBLE COMMENT 'maintenance margin under the margin_mode of the account',
pm_im DOUBLE COMMENT 'portfolio initial margin, MM x im_multiplier',
pm_mm DOUBLE COMMENT 'portfolio maintenance margin, sum of by_underlying.mm',
standard_im DOUBLE COMMENT 'per-position standard initial margin',
standard_mm DOUBLE COMMENT 'per-position standard maintenance margin',
pm_saving DOUBLE COMMENT '1 - pm_im / standard_im; null when standard_im is 0',
liq_move_down DOUBLE COMMENT 'liquidation distance down: smallest joint fall of every index (decimal, 0.125 = -12.5%, vols and time unchanged) at which equity + P&L < mm, on a 0.5% grid to 50% interpolated linearly; 0 when already below mm; null when no fall up to 50% reaches it',
liq_move_up DOUBLE COMMENT 'liquidation distance up: smallest joint rise of every index (decimal) at which equity + P&L < mm; 0 when already below mm; null when no rise up to 50% reaches it',
by_underlying ARRAY<STRUCT<
  underlying: STRING COMMENT 'coin, e.g. BTC',
  scan_loss: DOUBLE COMMENT 'L_u, worst scenario loss with covers applied, margin currency',
  binding_scenario: STRING COMMENT 'label of the first scenario reaching scan_loss; null when it is 0',
  c_opt: DOUBLE COMMENT 'option contingency, margin currency',
  c_fut: DOUBLE COMMENT 'futures contingency, margin currency',
  som: DOUBLE COMMENT 'short option minimum, margin currency',
  mm: DOUBLE COMMENT 'MM_u = max(scan_loss + c_opt + c_fut, som), margin currency',
  delta: DOUBLE COMMENT 'forward delta, coin',
  gamma: DOUBLE COMMENT 'coin per USD',
  vega: DOUBLE COMMENT 'margin currency per vol point',
  theta: DOUBLE COMMENT 'margin currency per day',
  contributions: ARRAY<STRUCT<
    source: STRING COMMENT 'instrument_id, a collateral asset, or OTHER for the sum of the rows left out',
    contribution: DOUBLE COMMENT 'part of mm, margin currency; negative for a hedge'
  >> COMMENT 'mm split by position and collateral asset, largest first: the 5 largest and OTHER unless the run kept all'
>> COMMENT 'one element per underlying held'
