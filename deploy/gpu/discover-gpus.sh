#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints the
# GPUs this host's NVIDIA driver sees as Spark's ResourceInformation JSON, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# The addresses are CUDA device ordinals, the numbers CudaKernel.onDevice takes. With
# CUDA_VISIBLE_DEVICES set, only those devices are listed, renumbered from 0 as CUDA renumbers them.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "discover-gpus: nvidia-smi not found; this host has no NVIDIA driver" >&2
  exit 1
fi
count="$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)"
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  count="${#visible[@]}"
fi
addresses=""
for ((i = 0; i < count; i++)); do
  addresses+="${addresses:+, }\"$i\""
done
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
