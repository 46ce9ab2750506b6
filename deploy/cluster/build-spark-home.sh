#!/usr/bin/env bash
# Builds the Spark home the standalone cluster runs from (DESIGN §5.1), unless it is up to date, and
# prints its path. See lib.sh for the settings.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rg_build_spark_home
rg_spark_home
