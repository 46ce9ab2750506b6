#!/usr/bin/env bash
# The GPU check, run on a GPU host from the bundle that build-bundle.sh makes (no Java needed there):
# parity of the cuda kernel against the scalar reference (revaluation and Greeks to 1e-10,
# aggregation bit for bit, threads sharing the device), then revaluation, aggregation and Greeks
# benchmarks of cuda against simd with the transfers in and out included.
#
# Usage: run-gpu-check.sh [--device N] [--cells N] [--accounts N] [--positions N] [--repeat N]
# Exit status: 0 parity holds and the benchmark ran; 1 a parity failure or an error;
#              2 "SKIPPED: no usable GPU (...)": no driver, no device, a device older than compute 8.0,
#                or a driver too old for the PTX. Never a silent pass.
# RISKGRID_GPU_BUNDLE points at the bundle when this script is run from elsewhere (e.g. the repository,
# where the default is deploy/gpu/target/riskgrid-gpu-check).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bundle="${RISKGRID_GPU_BUNDLE:-$here}"
if [[ ! -x "$bundle/runtime/bin/java" && -z "${RISKGRID_GPU_BUNDLE:-}" ]]; then
  bundle="$here/target/riskgrid-gpu-check"
fi
if [[ ! -x "$bundle/runtime/bin/java" ]]; then
  echo "run-gpu-check: no bundle at $bundle (runtime/bin/java missing); build it with deploy/gpu/build-bundle.sh" >&2
  exit 1
fi

[[ -f "$bundle/BUNDLE.txt" ]] && sed -n '2,5p' "$bundle/BUNDLE.txt"
echo "host: $(uname -srm), glibc $(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 \
    | sed 's/^/nvidia-smi: /'
else
  echo "nvidia-smi: not found"
fi

# JCuda unpacks its native library into java.io.tmpdir: a private one avoids clashes with other users.
tmp="$(mktemp -d "${TMPDIR:-/tmp}/riskgrid-gpu-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"$bundle/runtime/bin/java" -Xmx6g --add-modules=jdk.incubator.vector -Djava.io.tmpdir="$tmp" \
  -cp "$bundle/lib/*" io.riskgrid.kernel.cuda.GpuCheck "$@"
status=$?
case $status in
  0) echo "run-gpu-check: PASS" ;;
  2) echo "run-gpu-check: SKIPPED (exit 2): this host cannot run the cuda kernel; nothing was checked on a GPU" ;;
  *) echo "run-gpu-check: FAILED (exit $status)" ;;
esac
exit $status
