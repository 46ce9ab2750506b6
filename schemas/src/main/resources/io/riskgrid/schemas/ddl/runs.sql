-- runs: one row per run of a command: what it read, how it ran, what it wrote.
-- Append only: a run adds its own row.
run_id STRING NOT NULL COMMENT 'unique id of the run',
command STRING COMMENT 'margin, stress, backtest, generate, ...',
as_of_date DATE COMMENT 'the date the run is for; null for commands without one',
config_hash STRING COMMENT 'hash of the effective configuration',
policy_name STRING COMMENT 'e.g. riskgrid-v1',
policy_hash STRING COMMENT 'hash of the policy file as read',
input_versions MAP<STRING, BIGINT> COMMENT 'Delta version of each input table read, by table name',
kernel STRING COMMENT 'scalar, simd or cuda',
kernel_reason STRING COMMENT 'why this kernel ran, e.g. the fallback reason of --kernel auto',
grouping_path STRING COMMENT 'how positions were grouped by account: clustered (no shuffle) or shuffle',
counts MAP<STRING, BIGINT> COMMENT 'rows in and out by name, e.g. accounts_in, margins_out, rejects',
timings_ms MAP<STRING, BIGINT> COMMENT 'wall time per stage, milliseconds',
code_version STRING COMMENT 'version of the riskgrid jar',
started_at TIMESTAMP COMMENT 'UTC',
finished_at TIMESTAMP COMMENT 'UTC',
output_versions MAP<STRING, BIGINT> COMMENT 'Delta version of each output table as the run left it, by table name; the row is appended last, so it marks the run committed and readers read the run''s slices at these versions (null for runs before it was recorded)'
