#!/usr/bin/env bash
# Benchmark of the portal (issue 6, "Fast"): Debian's Chromium (playwright-core) makes a
# sequence of Databank choices — the Ballerup table of the issue, then a breakdown, bands, an
# area, a total, more periods, quarters, a second measure — and times each one inside the
# browser from the user's event to the first frame after the new table is in the DOM, beside
# the API's own time for the same request (resource timing). Every choice is a new query (the
# bands differ per round), so no answer comes from the server's cache. Results are appended to
# bench/results/portal.md.
#
#   bench/portal_bench.sh [SCALE]      default: medium
#
# Data: BENCH_STORE (a store, read only) when given; otherwise generated and ingested into
# bench/out/engine-SCALE/ as bench/engine_bench.sh does. PORTAL_ROUNDS (3).
set -euo pipefail
trap 'echo "portal_bench: failed at line $LINENO" >&2' ERR
cd "$(dirname "$0")/.."
scale=${1:-medium}
work=${BENCH_WORK:-bench/out}/engine-$scale
build=build/bench
results=bench/results/portal.md
rounds=${PORTAL_ROUNDS:-3}
mkdir -p "$work" bench/results

(cd web && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; } && npm run build >/dev/null)
(cd bench/portal && { [[ -d node_modules ]] || npm ci --no-audit --no-fund; })
serve_args=(--static web/dist)
# shellcheck source=bench/serve_store.sh
source bench/serve_store.sh

out=$(mktemp)
node bench/portal/portal_bench.mjs --url "http://127.0.0.1:$port" --rounds "$rounds" --out "$out"
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ) · scale $scale · commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench apps web ':!bench/results' || echo '+changes')"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "load $(cut -d' ' -f1-3 /proc/loadavg) at the end; Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')," \
    "store $(du -sh "$store" | cut -f1). Command: \`bench/portal_bench.sh $scale\`."
  echo
  cat "$out"
} >>"$results"
rm -f "$out"
echo "portal_bench: results appended to $results"
