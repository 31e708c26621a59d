#!/usr/bin/env bash
# Benchmark of the engine on the query mix bench/queries/*.json (issue 4, "Must show"): the
# engine (bench/engine_bench.cpp, Release) answers each query ENGINE_RUNS times after loading
# the release once; DuckDB (npm @duckdb/node-api, bench/duckdb_engine_mix.mjs) loads the same
# source CSV files and answers the same mix with SQL written from docs/measures.md, DUCKDB_RUNS
# times; then every cell of the two answers is compared (integers exactly, decimals to 1e-9
# relative). Results are appended to bench/results/engine.md; the run fails if any cell differs.
#
#   bench/engine_bench.sh [SCALE]      default: medium
#
# Data: BENCH_SOURCES (delivery folders) and BENCH_STORE (a store ingested from them) when
# given, read only; otherwise generated and ingested into bench/out/engine-SCALE/ as
# bench/ingest_bench.sh does. Other settings: ENGINE_RUNS (20), DUCKDB_RUNS (3),
# ENGINE_THREADS (0 = one per core), DUCKDB_THREADS (number of cores), DUCKDB_DB (a database
# file for the peer instead of memory: made on the first run, its load time and sources kept
# beside it in FILE.load, reused by later ones of the same sources). At `full` the peer always
# uses one, by default bench/out/engine-full/duckdb-tables.duckdb: in memory DuckDB cannot evict
# the loaded tables and runs out of memory at the long series.
set -euo pipefail
trap 'echo "engine_bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
scale=${1:-medium}
work=${BENCH_WORK:-bench/out}/engine-$scale
build=build/bench
results=bench/results/engine.md
engine_runs=${ENGINE_RUNS:-20}
duckdb_runs=${DUCKDB_RUNS:-3}
duckdb_db=${DUCKDB_DB:-}
[[ -z "$duckdb_db" && $scale == full ]] && duckdb_db=$work/duckdb-tables.duckdb
mkdir -p "$work" bench/results
rm -rf "$work/engine" "$work/duckdb"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOBINDSIGT_BUILD_TESTS=OFF \
  "${launcher[@]}" >/dev/null
targets=(engine_bench)
[[ -z "${BENCH_STORE:-}" ]] && targets+=(jobindsigt)
ninja -C "$build" "${targets[@]}" >/dev/null

sources=${BENCH_SOURCES:-}
store=${BENCH_STORE:-}
if [[ -z "$store" ]]; then
  sources=$work/sources
  store=$work/store
  if [[ ! -f "$store/CURRENT" ]]; then
    rm -rf "$sources" "$store" "$work"/duckdb-tables.duckdb*
    "$build/apps/jobindsigt/jobindsigt" generate --scale "$scale" --seed 1 --out "$sources" --quiet >/dev/null
    "$build/apps/jobindsigt/jobindsigt" ingest --sources "$sources" --store "$store" --quiet >/dev/null
  fi
fi
[[ -n "$sources" ]] || { echo "engine_bench: give BENCH_SOURCES with BENCH_STORE" >&2; exit 2; }

/usr/bin/time -v "$build/bench/engine_bench" --store "$store" --catalog catalog --queries bench/queries \
  --out "$work/engine" --runs "$engine_runs" --threads "${ENGINE_THREADS:-0}" \
  >"$work/engine.txt" 2>"$work/engine.time"

(cd bench && { [[ -d node_modules/@duckdb/node-api ]] || npm install --silent --no-audit --no-fund >/dev/null; })
check=0
node bench/duckdb_engine_mix.mjs --sources "$sources" --catalog catalog --queries bench/queries \
  --out "$work/duckdb" --runs "$duckdb_runs" --threads "${DUCKDB_THREADS:-$(nproc)}" \
  --check "$work/engine" ${duckdb_db:+--db "$duckdb_db"} >"$work/duckdb.txt" 2>"$work/check.txt" || check=$?

machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
python3 bench/engine_report.py --scale "$scale" --machine "$machine" \
  --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+changes')" \
  --engine "$work/engine.txt" --times "$work/engine/times.tsv" --duckdb "$work/duckdb.txt" \
  --engine-runs "$engine_runs" --duckdb-runs "$duckdb_runs" --load "$(cut -d' ' -f1 /proc/loadavg)" \
  | tee -a "$results"
if [[ $check != 0 ]]; then
  echo "engine_bench: the DuckDB peer stopped, or its numbers differ from the engine's ($work/check.txt):" >&2
  head -40 "$work/check.txt" >&2
  exit 1
fi
