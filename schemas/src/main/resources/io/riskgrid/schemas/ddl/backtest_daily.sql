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
vol_source STRING COMMENT 'SURFACE, ATM_IV, DVOL or REALISED: where the day\'s vol came from',
margin_currency STRING COMMENT 'currency of mm, im, loss, v_t and v_t_h: USD, or the coin of a coin account',
v_t DOUBLE COMMENT 'V_t: equity of the frozen portfolio at t\'s market (collateral after haircut, positions at mark), margin currency',
v_t_h DOUBLE COMMENT 'V_t+h: the same portfolio at t+h\'s market, every T aged by h; loss = v_t - v_t_h',
index_t MAP<STRING, DOUBLE> COMMENT 'S_t in USD per coin, by underlying of the portfolio (legs and coin collateral)',
index_t_h MAP<STRING, DOUBLE> COMMENT 'S_t+h in USD per coin, same underlyings',
binding_scenario MAP<STRING, STRING> COMMENT 'by underlying: the scenario label that sets the scan loss at t (DESIGN 3.4); null where no scenario loses',
stressed_im DOUBLE COMMENT 'IM_t under the policy\'s anti_procyclicality.stressed_window (DESIGN 7.7), margin currency'
