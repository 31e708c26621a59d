#!/usr/bin/env bash
# Benchmark of `jobindsigt generate`: wall time, peak memory and output size per scale, with
# a peer figure from the same run: DuckDB (npm @duckdb/node-api) reading the largest file of the
# generated data (benefits.csv of every month) — how long a general engine needs only to parse what
# the generator wrote. Results go to bench/results/generate.md (appended) and stdout.
#
#   bench/generate_bench.sh [SCALE ...]      default: small medium full
#
# Needs a release build (cmake --preset release && cmake --build --preset release) and, for
# the peer figure, node + npm (installs @duckdb/node-api into bench/node_modules on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("$@")
[[ ${#scales[@]} -eq 0 ]] && scales=(small medium full)
binary=build/release/apps/jobindsigt/jobindsigt
work=${BENCH_WORK:-bench/out}
results=bench/results/generate.md
mkdir -p "$work" bench/results

machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
commit=$(git rev-parse --short HEAD)
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) — commit $commit — $machine"
  echo
  echo "| scale | persons | months | wall s | peak RSS MB | output MB | rows (benefits) | DuckDB read benefits s |"
  echo "|---|---|---|---|---|---|---|---|"
} >>"$results"

peer_available=0
if command -v node >/dev/null && (cd bench && { [[ -d node_modules/@duckdb/node-api ]] || npm install --silent --no-audit --no-fund >/dev/null 2>&1; }); then
  peer_available=1
fi

for scale in "${scales[@]}"; do
  out="$work/$scale"
  rm -rf "$out"
  /usr/bin/time -v "$binary" generate --scale "$scale" --seed 1 --out "$out" --quiet \
    >"$work/$scale.summary" 2>"$work/$scale.time"
  wall=$(awk -F': ' '/Elapsed/{split($2,t,":"); if (length(t)==3) print t[1]*3600+t[2]*60+t[3]; else print t[1]*60+t[2]}' "$work/$scale.time")
  rss=$(awk -F': ' '/Maximum resident/{printf "%.0f", $2/1024}' "$work/$scale.time")
  size=$(du -sm "$out" | cut -f1)
  persons=$(awk '/^generated/{print $6}' "$work/$scale.summary")
  months=$(awk '/^generated/{print $11}' "$work/$scale.summary")
  benefit_rows=$(awk '/benefits.csv/{print $2}' "$work/$scale.summary")
  peer="n/a"
  if [[ $peer_available == 1 ]]; then
    peer=$(node bench/duckdb_read_benefits.mjs "$out")
  fi
  echo "| $scale | $persons | $months | $wall | $rss | $size | $benefit_rows | $peer |" | tee -a "$results"
  [[ "${KEEP_OUTPUT:-0}" == 1 ]] || rm -rf "$out"
done
