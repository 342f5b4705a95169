#!/usr/bin/env bash
# Throughput of the same scripted load against clusters of different sizes, on this machine, in one run:
# for each size, a fresh `scripts/cluster.sh up N` (PostgreSQL + N silos + HAProxy on loopback), the load driver
# (benchmarks/ScimOrleans.LoadTest) against the balancer, then `down --purge`.
#
#   scripts/cluster-bench.sh [SIZES] [-- extra scim-load options]     default SIZES "1 3"
#
# Environment: BENCH_USERS (3000), BENCH_CONCURRENCY (32), BENCH_PHASES, BENCH_OUT (./.cluster-bench), and the
# SCIM_CLUSTER_* variables of scripts/cluster.sh. Needs haproxy (one URL in front of the silos).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${1:-1 3}"
shift || true
[ "${1:-}" = "--" ] && shift
USERS="${BENCH_USERS:-3000}"
CONCURRENCY="${BENCH_CONCURRENCY:-32}"
PHASES="${BENCH_PHASES:-warmup,create-user,create-group,add-member-1,get-by-id,lookup,patch-mix}"
OUT="$(realpath -m "${BENCH_OUT:-$ROOT/.cluster-bench}")"
export SCIM_CLUSTER_DIR="${SCIM_CLUSTER_DIR:-$OUT/cluster}"
LB_PORT="${SCIM_CLUSTER_LB_PORT:-5000}"

command -v haproxy >/dev/null 2>&1 || { echo "cluster-bench.sh: haproxy is needed (apt-get install haproxy)" >&2; exit 1; }
mkdir -p "$OUT"

echo "==> Building the load driver"
dotnet build "$ROOT/benchmarks/ScimOrleans.LoadTest/ScimOrleans.LoadTest.csproj" -c Release --nologo -v quiet >"$OUT/build.log" 2>&1 \
  || { tail -n 30 "$OUT/build.log" >&2; exit 1; }

cleanup() { "$ROOT/scripts/cluster.sh" down --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT

# The silo is published once (by the first `up`) and reused for every size; only the cluster state is purged.
rm -rf "$OUT/app"
for n in $SIZES; do
  "$ROOT/scripts/cluster.sh" down --purge >/dev/null 2>&1 || true
  if [ -d "$OUT/app" ]; then
    mkdir -p "$SCIM_CLUSTER_DIR" && cp -r "$OUT/app" "$SCIM_CLUSTER_DIR/app"
    export SCIM_CLUSTER_SKIP_BUILD=1
  fi
  "$ROOT/scripts/cluster.sh" up "$n" | tail -n 3
  [ -d "$OUT/app" ] || cp -r "$SCIM_CLUSTER_DIR/app" "$OUT/app"
  # shellcheck disable=SC1091
  . "$SCIM_CLUSTER_DIR/secrets.env"
  echo "==> Load against $n silo(s): $USERS users, $CONCURRENCY clients, phases $PHASES"
  dotnet "$ROOT/benchmarks/ScimOrleans.LoadTest/bin/Release/net10.0/scim-load.dll" \
    --url "http://127.0.0.1:$LB_PORT" --tenant "${SCIM_CLUSTER_TENANT:-demo}" --token "$TENANT_TOKEN" \
    --users "$USERS" --concurrency "$CONCURRENCY" --phases "$PHASES" --no-progress \
    --json-out "$OUT/silos-$n.json" "$@" | tee "$OUT/silos-$n.txt"
done

echo
echo "Results: $OUT/silos-*.txt and .json (machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load driver, silos and PostgreSQL share it)"
