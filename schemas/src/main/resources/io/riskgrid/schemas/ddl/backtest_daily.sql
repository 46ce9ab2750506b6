-- backtest_daily: one row per backtest portfolio and observation date.
-- A rerun replaces its slice by date.
run_id STRING NOT NULL COMMENT 'the run that wrote this row, see runs',
portfolio_id STRING COMMENT 'backtest panel portfolio',
date DATE NOT NULL COMMENT 'observation date t',
mm DOUBLE COMMENT 'maintenance margin MM_t',
im DOUBLE COMMENT 'initial margin IM_t',
loss DOUBLE COMMENT 'L_t = -(V_t+h - V_t) of the frozen portfolio; positive is a loss',
breach_mm BOOLEAN COMMENT 'loss > mm',
breach_im BOOLEAN COMMENT 'loss > im',
vol_source STRING COMMENT 'SURFACE, ATM_IV, DVOL or REALISED: where the day\'s vol came from'
