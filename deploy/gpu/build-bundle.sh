#!/usr/bin/env bash
# Builds the GPU check bundle: a folder (and a .tar.gz of it) that runs on a GPU host with no Java
# installed. Layout:
#   runtime/             a jlink'ed Java runtime: java.base, java.logging, jdk.incubator.vector, jdk.unsupported
#   lib/                 the risk-udf jar (kernels, committed PTX, GpuCheck) and JCuda with its linux-x86_64 natives
#   run-gpu-check.sh     the check: parity of cuda against scalar, then cuda against simd benchmarks
#   discover-gpus.sh     a Spark GPU discovery script (see README.md)
#   BUNDLE.txt           what went in: commit, JDK, glibc the runtime needs, PTX
#
# Usage: deploy/gpu/build-bundle.sh [OUT_DIR]      (default: deploy/gpu/target/riskgrid-gpu-check)
# JDK_HOME picks the JDK whose jlink builds the runtime (default: JAVA_HOME, else the jlink on PATH).
# The runtime inherits that JDK's glibc floor: a Debian/Ubuntu OpenJDK 17 needs glibc 2.34+; for older
# hosts build with a portable JDK 17 (e.g. Eclipse Temurin, glibc 2.17+). BUNDLE.txt states the floor.
# Builds with Maven in the reactor (package, never install).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$repo/deploy/gpu/target/riskgrid-gpu-check}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

if [[ -n "${JDK_HOME:-}" ]]; then
  jdk="$JDK_HOME"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jlink" ]]; then
  jdk="$JAVA_HOME"
elif command -v jlink >/dev/null 2>&1; then
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
else
  echo "build-bundle: no jlink found; set JDK_HOME to a JDK 17+ (a JRE has no jlink)" >&2
  exit 1
fi
jdk_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")"
if [[ "${jdk_version%%.*}" -lt 17 ]]; then
  echo "build-bundle: $jdk is Java $jdk_version; the engine needs 17+" >&2
  exit 1
fi

echo "[bundle] packaging risk-udf and copying JCuda (mvn package, no install)"
rm -rf "$out"
mkdir -p "$out/lib"
(cd "$repo" && mvn -B -q -pl risk-udf -am package -DskipTests \
  dependency:copy-dependencies -DincludeGroupIds=org.jcuda -DoutputDirectory="$out/lib")
cp "$repo"/risk-udf/target/risk-udf-*.jar "$out/lib/"
rm -f "$out"/lib/*-sources.jar "$out"/lib/*-tests.jar
if ! ls "$out"/lib/jcuda-natives-*-linux-x86_64.jar >/dev/null 2>&1; then
  echo "build-bundle: JCuda's linux-x86_64 natives were not copied (Maven picks the natives of the build host's" \
    "OS; build the bundle on linux x86_64)" >&2
  exit 1
fi

echo "[bundle] jlink runtime from $jdk (Java $jdk_version)"
"$jdk/bin/jlink" --add-modules java.base,java.logging,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --output "$out/runtime"

cp "$repo/deploy/gpu/run-gpu-check.sh" "$repo/deploy/gpu/discover-gpus.sh" "$repo/deploy/gpu/README.md" "$out/"
chmod +x "$out/run-gpu-check.sh" "$out/discover-gpus.sh"

glibc="unknown (objdump not found)"
if command -v objdump >/dev/null 2>&1; then
  glibc="$(find "$out/runtime" -name '*.so' -exec objdump -T {} \; 2>/dev/null \
    | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
fi
ptx="$(unzip -p "$out"/lib/risk-udf-*.jar io/riskgrid/kernel/cuda/black76.ptx | grep -m1 -E '^// Cuda compilation tools')"
{
  echo "riskgrid GPU check bundle"
  echo "commit:  $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$repo" && git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "built:   $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "runtime: Java $jdk_version from $jdk; needs glibc $glibc or newer on the GPU host"
  echo "ptx:     compute_80, ${ptx#// }; needs an NVIDIA driver at least that CUDA release"
  echo "jars:    $(cd "$out/lib" && ls | tr '\n' ' ')"
} > "$out/BUNDLE.txt"

tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
cat "$out/BUNDLE.txt"
echo "[bundle] $out ($(du -sh "$out" | cut -f1)), archive $out.tar.gz ($(du -sh "$out.tar.gz" | cut -f1))"
echo "[bundle] on the GPU host: tar xzf $(basename "$out").tar.gz && $(basename "$out")/run-gpu-check.sh"
