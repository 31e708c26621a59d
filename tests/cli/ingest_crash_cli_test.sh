#!/usr/bin/env bash
# `jobindsigt ingest` killed inside its own publish: with JOBINDSIGT_STORE_CRASH_AT=<step> the
# ingest process SIGKILLs itself at that step of the store's publish protocol
# (docs/internals/storage.md). For every step, on a store that holds every month but the
# last: the ingest must die by SIGKILL (so the kill landed at the step), the store must verify
# and stay on the old release or — once CURRENT was renamed — the new one, a re-run must
# complete it with tables byte-identical to an undisturbed run, leaving no leftovers, and its
# query answers must equal those of the undisturbed store.
#   ingest_crash_cli_test.sh JOBINDSIGT_BINARY
set -u
binary="$1"
here="$(dirname "$0")"
source "$here/check.sh"
source "$here/query_answers.sh"

# The steps as the store declares them (kCrashSteps), so a new step is tested too.
mapfile -t steps < <(sed -n '/kCrashSteps = {/,/};/p' "$here/../../src/store/file_io.h" |
  grep -o '"[a-z-]*"' | tr -d '"')
[[ ${#steps[@]} -ge 10 ]]; check "the crash steps are read from src/store/file_io.h (${#steps[@]})" $?

"$binary" generate --scale tiny --seed 5 --out "$work/sources" --quiet >/dev/null
check "generate" $?
last=$(ls "$work/sources" | sort | tail -1)
before=$(ls "$work/sources" | sort | tail -2 | head -1)
old_cutoff=$(date -u -d "$last-01 -1 day" +%F)
new_cutoff=$(date -u -d "$last-01 +1 month -1 day" +%F)

# The undisturbed run over all months, and the store the crashed runs start from.
"$binary" ingest --sources "$work/sources" --store "$work/reference" --quiet >/dev/null
check "reference ingest" $?
reference="$work/reference/releases/$(cat "$work/reference/CURRENT")"
query_answers "$binary" "$work/reference" "$work/answers-reference"
check "queries answered from the reference store" $?
"$binary" ingest --sources "$work/sources" --store "$work/base" --until "$before" --quiet >/dev/null
check "ingest up to $before" $?

tables_of() { (cd "$1" && find . -name '*.tbl' | sort); }

for step in "${steps[@]}"; do
  rm -rf "$work/store"
  cp -a "$work/base" "$work/store"
  JOBINDSIGT_STORE_CRASH_AT="$step" "$binary" ingest --sources "$work/sources" --store "$work/store" \
    --quiet >/dev/null 2>&1
  status=$?
  [[ $status == 137 ]]; check "$step: the ingest killed itself there (exit $status, expected 137 = SIGKILL)" $?

  "$binary" releases --store "$work/store" --verify latest >/dev/null 2>&1
  check "$step: releases --verify latest succeeds after the kill" $?
  current=$(cat "$work/store/CURRENT")
  cutoff=$("$binary" releases --store "$work/store" --json | jq -r '.[] | select(.current) | .cut_off_day')
  if [[ $step == current-renamed || $step == store-dir-synced ]]; then
    [[ $current == r000002 && $cutoff == "$new_cutoff" ]]
  else
    [[ $current == r000001 && $cutoff == "$old_cutoff" ]]
  fi
  check "$step: the current release is the old or (after CURRENT's rename) the new one ($current, $cutoff)" $?

  "$binary" ingest --sources "$work/sources" --store "$work/store" >"$work/rerun.out" 2>&1
  check "$step: re-running the ingest succeeds" $?
  if [[ $step == current-renamed || $step == store-dir-synced ]]; then
    grep -q "^up to date: release r000002" "$work/rerun.out"
  else
    grep -q "^published release r00000[23] with cut-off day $new_cutoff" "$work/rerun.out"
  fi
  check "$step: the re-run says what it did" $?

  completed="$work/store/releases/$(cat "$work/store/CURRENT")"
  [[ "$(tables_of "$completed")" == "$(tables_of "$reference")" ]]
  check "$step: the completed release has the reference's tables" $?
  same=0
  for table in $(tables_of "$reference"); do
    cmp -s "$reference/$table" "$completed/$table" || { same=1; echo "  differs: $table"; }
  done
  check "$step: every table byte-identical to the undisturbed run" $same
  leftovers=$(cd "$work/store" && ls -d releases/*.partial releases/*.deleting CURRENT.tmp ingest-spill 2>/dev/null)
  [[ -z $leftovers ]]; check "$step: no leftovers after the re-run (${leftovers//$'\n'/ })" $?
  "$binary" releases --store "$work/store" --verify latest >/dev/null 2>&1
  check "$step: the completed release verifies" $?
  query_answers "$binary" "$work/store" "$work/answers-$step" &&
    same_answers "$work/answers-reference" "$work/answers-$step"
  check "$step: the killed-and-resumed store answers every query as the undisturbed one" $?
done

echo "ingest_crash_cli_test: $passes passed, $failures failed"
[[ $failures == 0 ]]
