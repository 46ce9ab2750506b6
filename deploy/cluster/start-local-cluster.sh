#!/usr/bin/env bash
# Starts a standalone master and one worker on 127.0.0.1 and leaves them running; prints the master URL.
# Usage: deploy/cluster/start-local-cluster.sh [STATE_DIR]
#   then deploy/cluster/submit.sh "$(cat STATE_DIR/master.url)" <riskgrid args...>
#   and  deploy/cluster/stop-local-cluster.sh STATE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
state="${1:-$(mktemp -d "${TMPDIR:-/tmp}/riskgrid-cluster.XXXXXX")}"
rg_build_spark_home
rg_start_cluster "$state" || { rg_stop_cluster "$state"; exit 1; }
echo "state: $state" >&2
cat "$state/master.url"
