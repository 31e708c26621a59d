#!/usr/bin/env bash
# `jobindsigt ingest` and `releases` as an operator meets them: exit codes and one-line
# errors; the printed summary and the --report JSON of a run on top of a release, checked
# against the delivered files, the manifest and the tables; the `releases` listing (text and
# --json) of a store with two releases; a stopped run's summary; SIGINT in the middle of a run
# on top of a release; one run per month answering queries as one run over all months; and
# an ingest killed with SIGKILL at many moments: the store always opens on a complete release,
# and re-running completes it with the same tables as an undisturbed run. (Kills at each
# publish step: ingest_crash_cli_test.sh.)
set -u
binary="$1"
here="$(dirname "$0")"
source "$here/check.sh"
source "$here/query_answers.sh"

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

# --- A store with two releases: every month but the last, then the last. ---
first=$(ls "$work/sources" | sort | head -1)
last=$(ls "$work/sources" | sort | tail -1)
before=$(ls "$work/sources" | sort | tail -2 | head -1)
old_cutoff=$(date -u -d "$last-01 -1 day" +%F)
new_cutoff=$(date -u -d "$last-01 +1 month -1 day" +%F)
"$binary" ingest --sources "$work/sources" --store "$work/two" --until "$before" --quiet >/dev/null
check "ingest up to $before" $?
"$binary" ingest --sources "$work/sources" --store "$work/two" --quiet --report "$work/two.json" >"$work/two.out"
check "ingest of $last on top" $?
report="$work/two.json"
manifest="$work/two/releases/r000002/MANIFEST.json"

# The printed summary, line by line, against what the files hold (counted here, not by the ingest).
files=$(ls "$work/sources/$last" | wc -l)
rows=0
for csv in "$work/sources/$last"/*.csv; do rows=$((rows + $(wc -l <"$csv") - 1)); done
quarantined=$(($(wc -l <"$work/two/runs/r000002/quarantine.csv") - 1))
[[ $(sed -n 1p "$work/two.out") == "published release r000002 with cut-off day $new_cutoff" ]]
check "summary: the release and its cut-off day" $?
[[ $(sed -n 2p "$work/two.out") == "  deliveries $last … $last (1 months, $files files)" ]]
check "summary: the deliveries of the run and the number of files" $?
[[ $(sed -n 3p "$work/two.out") == "  rows read $rows, loaded $((rows - quarantined)), quarantined $quarantined; files rejected 0" ]]
check "summary: rows read (= the files' lines less headers), loaded, quarantined" $?
changed=$(jq -r '[.release_notes[] | select(.changed) | "\(.benefit) from \(.first_changed_period)"] | join(", ")' "$report")
if [[ -n $changed ]]; then grep -qxF "  changed: $changed" "$work/two.out"; else ! grep -q "changed:" "$work/two.out"; fi
check "summary: the changed benefits as the release notes say ($changed)" $?
[[ $(tail -1 "$work/two.out") == "  report and quarantine: $work/two/runs/r000002" ]]
check "summary: where the report is" $?

# The JSON report's fields.
[[ $(jq -r '.status + " " + .release.id + " " + .release.cut_off_day' "$report") == "published r000002 $new_cutoff" ]]
check "report: status, release id, cut_off_day" $?
[[ $(jq -c '.release.deliveries' "$report") == "[\"$first\",\"$last\"]" ]]
check "report: deliveries are the release's first and last month" $?
[[ $(jq -c '.release.deliveries_this_run' "$report") == "[\"$last\"]" ]]
check "report: deliveries_this_run is the one new month" $?
jq -e '.release.timings_seconds as $t
       | ([$t | keys[]] == ["load_previous", "read_validate", "resolve_write_tables", "total"])
         and ([$t[] | select(type == "number" and . >= 0)] | length) == 4
         and $t.total >= $t.load_previous + $t.read_validate + $t.resolve_write_tables' "$report" >/dev/null
check "report: timings_seconds of each phase, none negative, within the total" $?
jq -n -e --slurpfile m "$manifest" --slurpfile report "$report" '
  [$m[0].files[] | select(.path | endswith(".tbl")) | {key: (.path | sub(".*/"; "") | sub("\\.tbl$"; "")), rows}]
  | group_by(.key) | map({key: .[0].key, value: (map(.rows) | add)}) | from_entries
  | . == $report[0].release.record_counts' >/dev/null
check "report: record_counts equal the rows of the release's tables per source and spells" $?
jq -e '.files | length' "$report" | grep -qx "$files"
check "report: one entry per file of the delivery" $?
accounted=0
for csv in "$work/sources/$last"/*.csv; do
  name="$last/$(basename "$csv")"
  jq -e --arg f "$name" --argjson n $(($(wc -l <"$csv") - 1)) \
    '.files[] | select(.file == $f) | .rows_read == $n and .rows_read == .rows_loaded + .rows_quarantined' \
    "$report" >/dev/null || { accounted=1; echo "  $name"; }
done
check "report: per file rows_read = its lines less the header = rows_loaded + rows_quarantined" $accounted
[[ "$(jq -r '.release_notes[].benefit' "$report")" == "$(grep -o '^code = "[A-Z]*"' "$here/../../catalog/codes/benefits.toml" | cut -d'"' -f2)" ]]
check "report: one release note per benefit of the catalogue, in its order" $?
jq -e '[.release_notes[] | (.changed == (has("first_changed_period")))
        and ((.first_changed_period // "2000M01") | test("^[0-9]{4}M[0-9]{2}$"))] | all' "$report" >/dev/null
check "report: a changed benefit says from which month, an unchanged one does not" $?
[[ "$(jq -S .summary "$manifest")" == "$(jq -S . "$report")" ]]
check "report: the manifest's summary is the report" $?

# `releases` on the store with two releases: text and JSON.
"$binary" releases --store "$work/two" >"$work/list.txt"
check "releases lists the store" $?
jq -r --slurpfile a "$work/two/releases/r000001/MANIFEST.json" --slurpfile b "$manifest" -n \
  '[$a[0], $b[0]] | .[] | "\(.release_id) \(.created_utc) \(.cut_off_day)"' >"$work/list.expected"
[[ $(wc -l <"$work/list.txt") == 3 && $(sed -n 1p "$work/list.txt" | awk '{print $1}') == release ]]
check "releases: a header and one line per release" $?
[[ "$(awk 'NR > 1 {print $1, $2, $3}' "$work/list.txt")" == "$(cat "$work/list.expected")" ]]
check "releases: ids, creation times and cut-off days ($old_cutoff, $new_cutoff)" $?
[[ $(awk 'NR > 1 {print $1, $5}' "$work/list.txt" | tr '\n' '|') == "r000001 |r000002 current|" ]]
check "releases: the newer release is marked current, the older not" $?
"$binary" releases --store "$work/two" --json >"$work/list.json"
check "releases --json" $?
jq -e --arg old "$old_cutoff" --arg new "$new_cutoff" '
  length == 2
  and (map(.id) == ["r000001", "r000002"]) and (map(.cut_off_day) == [$old, $new])
  and (map(.current) == [false, true]) and (map(.problem) == ["", ""])' "$work/list.json" >/dev/null
check "releases --json: ids, cut-off days, which is current, no problems" $?
bytes_ok=0
for id in r000001 r000002; do
  listed=$(jq --arg id $id '.[] | select(.id == $id) | .bytes' "$work/list.json")
  [[ $listed == "$(jq '[.files[].bytes] | add' "$work/two/releases/$id/MANIFEST.json")" ]] || bytes_ok=1
  mb=$(awk -v id=$id '$1 == id {print $4}' "$work/list.txt")
  [[ $mb == "$(awk -v b="$listed" 'BEGIN {printf "%.1f", b / 1e6}')" ]] || bytes_ok=1
done
check "releases: bytes are the manifest's files, MB in the text listing" $bytes_ok

# A stopped run prints why and which file, and publishes nothing.
cp -a "$work/sources" "$work/broken"
rm "$work/broken/$last/offers.csv"
cp -a "$work/two" "$work/stopped"
rm -rf "$work/stopped/releases/r000002"
echo r000001 >"$work/stopped/CURRENT"
"$binary" ingest --sources "$work/broken" --store "$work/stopped" --quiet >"$work/stopped.out" 2>&1
[[ $? == 3 ]]; check "a run with a missing file exits 3" $?
grep -qx "stopped, nothing published: $last/offers.csv was rejected (missing_file: .*)" "$work/stopped.out" &&
  grep -qx "  rejected $last/offers.csv: missing_file: .*" "$work/stopped.out" &&
  grep -qx "  rows read $((rows - $(wc -l <"$work/sources/$last/offers.csv") + 1)), loaded .*, quarantined .*; files rejected 1" "$work/stopped.out"
check "summary of a stopped run: the reason, the rejected file, the counts" $?
[[ $(cat "$work/stopped/CURRENT") == r000001 && $(ls "$work/stopped/releases") == r000001 ]]
check "the stopped run published nothing" $?

# Interrupted by SIGINT in the middle of a run on top of a release: exit 130, the previous
# release stays current and complete, and a re-run completes the store.
"$binary" ingest --sources "$work/sources" --store "$work/sigint" --until "$first" --quiet >/dev/null
check "ingest of the first month" $?
"$binary" ingest --sources "$work/sources" --store "$work/sigint" --quiet >/dev/null 2>"$work/sigint.err" &
pid=$!
for _ in $(seq 3000); do [[ -d "$work/sigint/ingest-spill" ]] && break; sleep 0.01; done
[[ -d "$work/sigint/ingest-spill" ]]; check "the run on top started reading" $?
kill -INT "$pid"
wait "$pid"
[[ $? == 130 ]] && grep -q "interrupted" "$work/sigint.err"
check "SIGINT in the middle of a run: exit 130, interrupted" $?
[[ $(cat "$work/sigint/CURRENT") == r000001 && $(ls "$work/sigint/releases") == r000001 && ! -e "$work/sigint/ingest-spill" ]]
check "after SIGINT the previous release is current, nothing else is left" $?
"$binary" releases --store "$work/sigint" --verify latest >/dev/null
check "after SIGINT the previous release verifies" $?
"$binary" ingest --sources "$work/sources" --store "$work/sigint" --quiet >/dev/null
check "a re-run after SIGINT completes" $?
same=0
for table in $(cd "$work/reference/releases/r000001" && find . -name '*.tbl'); do
  cmp -s "$work/reference/releases/r000001/$table" "$work/sigint/releases/r000002/$table" || same=1
done
check "the re-run after SIGINT has the tables of the undisturbed run" $same

# The same deliveries one month per run give the same query answers as one run over all.
for month in $(ls "$work/sources" | sort); do
  "$binary" ingest --sources "$work/sources" --store "$work/monthly" --until "$month" --quiet >/dev/null ||
    echo "  month $month failed"
done
[[ $(cat "$work/monthly/CURRENT") == "r$(printf %06d "$(ls "$work/sources" | wc -l)")" ]]
check "one release per month" $?
query_answers "$binary" "$work/reference" "$work/answers-reference"
check "queries answered from the one-run store" $?
query_answers "$binary" "$work/monthly" "$work/answers-monthly" &&
  same_answers "$work/answers-reference" "$work/answers-monthly"
check "month by month and one run answer every query byte for byte alike" $?

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
