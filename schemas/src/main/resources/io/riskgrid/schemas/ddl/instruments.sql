-- instruments: one row per listed instrument, shared by every date.
-- Not dated: a load replaces it whole.
instrument_id STRING COMMENT 'venue-style id, e.g. BTC-27MAR26-60000-C',
underlying STRING COMMENT 'coin, e.g. BTC',
kind STRING COMMENT 'FUTURE, PERPETUAL or OPTION',
settlement STRING COMMENT 'LINEAR (USD) or INVERSE (coin)',
option_type STRING COMMENT 'CALL or PUT; null unless OPTION',
strike DOUBLE COMMENT 'USD per coin; null unless OPTION',
expiry TIMESTAMP COMMENT 'UTC instant; ignored for PERPETUAL',
multiplier DOUBLE COMMENT 'm in coin per contract (linear, inverse options) or N in USD per contract (inverse futures and perpetuals)'
