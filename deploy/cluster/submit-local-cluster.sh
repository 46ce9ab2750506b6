#!/usr/bin/env bash
# Starts a standalone master and worker on 127.0.0.1, submits one riskgrid command to them, stops them,
# and exits with the command's exit code. Logs are kept (and their place printed) when something fails.
# Usage: deploy/cluster/submit-local-cluster.sh <riskgrid args...>
#   e.g. deploy/cluster/submit-local-cluster.sh selfcheck --warehouse /tmp/wh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -ge 1 ] || { echo "usage: $0 <riskgrid command and options>" >&2; exit 2; }

state="$(mktemp -d "${TMPDIR:-/tmp}/riskgrid-cluster.XXXXXX")"
status=1
finish() {
  rg_stop_cluster "$state"
  if [ "$status" -eq 0 ] && [ -z "${RISKGRID_KEEP_CLUSTER_LOGS:-}" ]; then
    rm -rf "$state"
  else
    rg_log "master, worker and executor logs kept in $state"
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

rg_build_spark_home
rg_app_jar >/dev/null
rg_start_cluster "$state"
set +e
rg_submit "$(cat "$state/master.url")" "$@"
status=$?
set -e
exit "$status"
