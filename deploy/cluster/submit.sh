#!/usr/bin/env bash
# Submits a riskgrid command to a running standalone master; exits with the command's exit code.
# Usage: deploy/cluster/submit.sh spark://127.0.0.1:PORT <riskgrid args...>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -ge 2 ] || { echo "usage: $0 MASTER_URL <riskgrid command and options>" >&2; exit 2; }
rg_build_spark_home
rg_submit "$@"
