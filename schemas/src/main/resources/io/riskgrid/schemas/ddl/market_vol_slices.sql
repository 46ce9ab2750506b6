-- market_vol_slices: one raw SVI slice per underlying and expiry: w(k) = a + b(rho(k-m) + sqrt((k-m)^2 + sigma_svi^2)).
-- Partitioned by as_of_date.
-- A rerun replaces its slice by as_of_date.
as_of_date DATE NOT NULL COMMENT 'business date of the snapshot',
underlying STRING COMMENT 'coin, e.g. BTC',
expiry TIMESTAMP COMMENT 'UTC instant',
a DOUBLE COMMENT 'total variance level',
b DOUBLE COMMENT 'wing slope, >= 0',
rho DOUBLE COMMENT 'skew, |rho| < 1',
m DOUBLE COMMENT 'log-moneyness shift',
sigma_svi DOUBLE COMMENT 'ATM curvature, > 0',
fit_rmse DOUBLE COMMENT 'root mean square fit error, decimal vol; null when not fitted',
arbitrage_flags ARRAY<STRING> COMMENT 'e.g. BUTTERFLY, CALENDAR; empty when none'
