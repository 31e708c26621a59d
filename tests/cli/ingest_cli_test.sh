#!/usr/bin/env bash
# `jobindsigt ingest` and `releases` as an operator meets them: exit codes and one-line
# errors, and an ingest killed with SIGKILL at many moments: the store always opens on a
# complete release, and re-running completes it with the same tables as an undisturbed run.
set -u
binary="$1"
source "$(dirname "$0")/check.sh"

"$binary" generate --scale tiny --seed 5 --out "$work/sources" --quiet >/dev/null
check "generate" $?

"$binary" ingest --help | grep -q -- "--sources"; check "ingest --help" $?
"$binary" releases --help | grep -q -- "--prune-keep"; check "releases --help" $?

"$binary" ingest --sources "$work/nowhere" --store "$work/store" --quiet >/dev/null 2>"$work/err"
[[ $? == 2 ]] && grep -q -- "--sources" "$work/err"; check "missing sources folder: exit 2 naming --sources" $?
"$binary" ingest --sources "$work/sources" --store "$work/store" --until 2025-13 >/dev/null 2>"$work/err"
[[ $? == 2 ]] && grep -q -- "--until" "$work/err"; check "bad --until: exit 2 naming --until" $?
"$binary" releases --store "$work/empty" >/dev/null 2>"$work/err"
[[ $? == 2 ]] && grep -q "bad_store" "$work/err"; check "releases of a folder that is no store: exit 2, bad_store" $?

# A reference run, undisturbed.
"$binary" ingest --sources "$work/sources" --store "$work/reference" --quiet --report "$work/report.json" >/dev/null
check "reference ingest" $?
grep -q '"rows_read"' "$work/report.json"; check "--report writes the JSON report" $?

# The first months, then the rest killed at different moments.
"$binary" ingest --sources "$work/sources" --store "$work/store" --until 2025-06 --quiet >/dev/null
check "first ingest" $?
for delay in 0.005 0.01 0.02 0.03 0.05 0.08 0.12 0.2 0.3 0.5; do
  "$binary" ingest --sources "$work/sources" --store "$work/store" --quiet >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  "$binary" releases --store "$work/store" --verify latest >/dev/null 2>&1
  check "after SIGKILL at ${delay}s the current release is complete" $?
done
"$binary" ingest --sources "$work/sources" --store "$work/store" --quiet >/dev/null
check "re-running completes the ingest" $?
current=$(cat "$work/store/CURRENT")
reference=$(cat "$work/reference/CURRENT")
same=0
for table in $(cd "$work/reference/releases/$reference" && find . -name '*.tbl'); do
  cmp -s "$work/reference/releases/$reference/$table" "$work/store/releases/$current/$table" || same=1
done
check "the completed store has the same tables as the undisturbed run" $same

"$binary" releases --store "$work/store" --prune-keep 1 >/dev/null; check "prune keeps the newest" $?
[[ $(ls "$work/store/releases" | grep -c '^r') == 1 ]]; check "one release left after prune" $?

echo "ingest_cli_test: $passes passed, $failures failed"
[[ $failures == 0 ]]
