#!/usr/bin/env bash
# Load benchmark of the HTTP server (issue 5, "Must show"): wrk (Debian) with LOAD_CONNECTIONS
# (100) connections for LOAD_SECONDS (60) s on loopback against `jobindsigt serve`, a mix of
# cached and uncached Databank queries (bench/load/mix.lua; CACHED_SHARE 0.8). Records
# requests/s, latency percentiles (p50, p90, p99), errors (socket errors and statuses other
# than 200/304) and the server's resident memory every 5 s (flat memory: the last samples
# against the first after warm-up). Results are appended to bench/results/load.md.
#
#   bench/load_bench.sh [SCALE]      default: medium
#
# Data: BENCH_STORE (a store, read only) when given; otherwise generated and ingested into
# bench/out/engine-SCALE/ as bench/engine_bench.sh does. wrk uses 2 threads; the server its
# defaults (both cores).
set -euo pipefail
trap 'echo "load_bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
scale=${1:-medium}
work=${BENCH_WORK:-bench/out}/engine-$scale
build=build/bench
results=bench/results/load.md
connections=${LOAD_CONNECTIONS:-100}
seconds=${LOAD_SECONDS:-60}
mkdir -p "$work" bench/results
command -v wrk >/dev/null || { echo "load_bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }

config=$(mktemp --suffix=.toml)
# The benchmark measures the server, not the per-client rate limit (all of wrk is one client).
printf 'rate_limit_per_minute = 0\n' >"$config"
serve_args=(--config "$config")
EXIT_CLEANUP=$config
# shellcheck source=bench/serve_store.sh
source bench/serve_store.sh
# Warm-up: the release is mapped and the popular answers are computed once.
wrk -t2 -c10 -d10s -s bench/load/mix.lua "http://127.0.0.1:$port" >/dev/null

rss_log=$(mktemp)
(while kill -0 $server 2>/dev/null; do
  awk '/VmRSS/ {print $2}' "/proc/$server/status" >>"$rss_log"
  sleep 5
done) &
sampler=$!
out=$(mktemp)
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s bench/load/mix.lua \
  "http://127.0.0.1:$port" | tee "$out"
kill $sampler 2>/dev/null || true

rps=$(awk '/Requests\/sec/ {print $2}' "$out")
p50=$(awk '$1 == "50%" {print $2}' "$out")
p90=$(awk '$1 == "90%" {print $2}' "$out")
p99=$(awk '$1 == "99%" {print $2}' "$out")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
socket=$(awk '/Socket errors/ {print}' "$out")
rss=$(awk '{printf "%s%d", (NR > 1 ? " " : ""), $1 / 1024}' "$rss_log")
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) · scale $scale · commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench apps ':!bench/results' || echo '+changes')"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "load $(cut -d' ' -f1-3 /proc/loadavg) at the end; store $(du -sh "$store" | cut -f1)." \
    "Command: \`bench/load_bench.sh $scale\` ($connections connections, ${seconds} s," \
    "cached share ${CACHED_SHARE:-0.8}). Target (issue 5, at full scale): ≥ 200 requests/s, p99 ≤ 250 ms, no errors, flat memory."
  echo
  echo "| requests/s | p50 | p90 | p99 | non-2xx/3xx | socket errors |"
  echo "|---|---|---|---|---|---|"
  echo "| $rps | $p50 | $p90 | $p99 | ${non2xx:-0} | ${socket:-none} |"
  echo
  echo "Server RSS every 5 s (MiB): $rss"
} >>"$results"
rm -f "$out" "$rss_log"
echo "load_bench: results appended to $results"
