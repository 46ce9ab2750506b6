#!/usr/bin/env bash
# Stops the master and worker started by start-local-cluster.sh, by their process ids.
# Usage: deploy/cluster/stop-local-cluster.sh STATE_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 STATE_DIR (the directory start-local-cluster.sh printed)" >&2; exit 2; }
rg_stop_cluster "$1"
