#!/usr/bin/env bash
# Benchmark of `jobindsigt ingest`: a full ingest of a generated data set (CSV → published
# release: wall time, peak memory, store size against the CSV size) and one more month on top
# of the release before it; with a peer figure from the same run: DuckDB (npm
# @duckdb/node-api) loading the same CSV files into a database (no versions, no validation).
# Results are appended to bench/results/ingest.md.
#
#   bench/ingest_bench.sh [SCALE]     default: medium
#
# Reusing what is there (the full scale takes long to generate and to ingest twice):
#   BENCH_SOURCES=DIR       sources generated before with `generate --scale SCALE --seed 1`
#   BENCH_STEP_STORE=DIR    a store holding every month but the last (copied, never changed)
#   BENCH_PEER=0            no DuckDB peer (say why in the results)
#   BENCH_BINARY=FILE       the jobindsigt binary (a copy of the build's, to rebuild meanwhile)
set -euo pipefail
trap 'echo "ingest_bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
scale=${1:-medium}
binary=${BENCH_BINARY:-build/release/apps/jobindsigt/jobindsigt}  # a copy, to rebuild meanwhile
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src apps catalog || echo +changes)"
work=${BENCH_WORK:-bench/out}/ingest-$scale
results=bench/results/ingest.md
mkdir -p "$work" bench/results
rm -rf "$work"/*

for setting in BENCH_SOURCES BENCH_STEP_STORE; do
  if [[ -n "${!setting:-}" && ! -d "${!setting}" ]]; then
    echo "ingest_bench: $setting=${!setting} is not a folder: expected $([[ $setting == BENCH_SOURCES ]] && echo "generated delivery folders (YYYY-MM/)" || echo "a store holding every month but the last")" >&2
    exit 2
  fi
done
if [[ -n "${BENCH_BINARY:-}" && ! -x "$BENCH_BINARY" ]]; then
  echo "ingest_bench: BENCH_BINARY=$BENCH_BINARY is not an executable: expected a copy of jobindsigt" >&2
  exit 2
fi
sources="$work/sources"
if [[ -n "${BENCH_SOURCES:-}" ]]; then
  sources=$BENCH_SOURCES
else
  "$binary" generate --scale "$scale" --seed 1 --out "$sources" --quiet >/dev/null
fi
csv_mb=$(du -sm "$sources" | cut -f1)
months=("$sources"/*)
last=$(basename "${months[-1]}")
before=$(basename "${months[-2]}")

timed() {  # timed COMMAND...: prints "seconds peak_mb cpu_seconds"
  /usr/bin/time -v "$@" >"$work/out.txt" 2>"$work/time.txt"
  awk -F': ' '/Elapsed/{split($2,t,":"); s=(length(t)==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]} /Maximum resident/{m=$2/1024} /User time|System time/{c+=$2} END{printf "%.1f %.0f %.0f\n", s, m, c}' "$work/time.txt"
}
load() { cut -d' ' -f1 /proc/loadavg; }  # other work on the machine slows the wall times
full_load=$(load)
read -r full_s full_mb full_cpu < <(timed "$binary" ingest --sources "$sources" --store "$work/full" --quiet)
store_mb=$(du -sm "$work/full/releases" | cut -f1)
# before the next step: the disk holds the CSV, two stores and the peer's (KEEP_OUTPUT=1 keeps
# both stores, e.g. for the engine, load and portal benchmarks of the same run)
[[ "${KEEP_OUTPUT:-0}" == 1 ]] || rm -rf "$work/full"
if [[ -n "${BENCH_STEP_STORE:-}" ]]; then
  cp -a "$BENCH_STEP_STORE" "$work/step"
else
  "$binary" ingest --sources "$sources" --store "$work/step" --until "$before" --quiet >/dev/null
fi
month_load=$(load)
read -r month_s month_mb month_cpu < <(timed "$binary" ingest --sources "$sources" --store "$work/step" --quiet)
[[ "${KEEP_OUTPUT:-0}" == 1 ]] || rm -rf "$work/step"

peer="n/a"
if [[ "${BENCH_PEER:-1}" == 0 ]]; then
  peer="not run (BENCH_PEER=0)"
elif command -v node >/dev/null && (cd bench && { [[ -d node_modules/@duckdb/node-api ]] || npm install --silent --no-audit --no-fund >/dev/null 2>&1; }); then
  peer=$(node bench/duckdb_load_sources.mjs "$sources" "$work/duckdb.db" | awk '{print $1 " s, " $2 " MB"}')
fi
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) — commit $commit — $machine"
  echo
  echo "| scale | CSV MB | full ingest s | CPU s | load | peak MB | store MB | store / CSV | +1 month ($last) s | CPU s | load | peak MB | DuckDB load (peer) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  echo "| $scale | $csv_mb | $full_s | $full_cpu | $full_load | $full_mb | $store_mb | $(awk "BEGIN{printf \"%.3f\", $store_mb/$csv_mb}") | $month_s | $month_cpu | $month_load | $month_mb | $peer |"
} | tee -a "$results"
[[ "${KEEP_OUTPUT:-0}" == 1 ]] || rm -rf "$work"
