#!/usr/bin/env bash
# `jobindsigt generate` as a user meets it: help, one-line errors with exit code 2, nothing
# half-written, and identical files for the same seed whatever the threads.
set -u
binary="$1"
source "$(dirname "$0")/check.sh"

expect_usage_error() {  # expect_usage_error NAME TEXT-IN-MESSAGE ARGS...
  local name="$1" text="$2"
  shift 2
  "$binary" "$@" >"$work/out.txt" 2>"$work/err.txt"
  local code=$?
  [[ $code == 2 ]]; check "$name: exit code 2 (got $code)" $?
  grep -q -- "$text" "$work/err.txt"; check "$name: message names '$text': $(head -1 "$work/err.txt")" $?
  [[ $(grep -c . "$work/err.txt") -le 2 ]]; check "$name: short message" $?
  [[ ! -e "$work/bad" ]] && ! ls -a "$work" | grep -q partial; check "$name: nothing written" $?
}

"$binary" --help >/dev/null; check "top-level --help" $?
"$binary" generate --help | grep -q -- "--scale"; check "generate --help lists --scale" $?

expect_usage_error "unknown scale" "--scale" generate --scale huge --seed 1 --out "$work/bad"
expect_usage_error "seed not a number" "--seed" generate --scale tiny --seed abc --out "$work/bad"
expect_usage_error "until before from" "--until" generate --scale tiny --seed 1 --from 2025-05 --until 2025-01 --out "$work/bad"
expect_usage_error "month not a month" "--from" generate --scale tiny --seed 1 --from 2025-13 --out "$work/bad"
expect_usage_error "unknown flag" "--colour" generate --scale tiny --seed 1 --out "$work/bad" --colour
expect_usage_error "missing seed" "--seed" generate --scale tiny --out "$work/bad"
expect_usage_error "threads out of range" "--threads" generate --scale tiny --seed 1 --threads 0 --out "$work/bad"

mkdir -p "$work/full" && echo keep >"$work/full/notes.txt"
expect_usage_error "non-empty output" "--force" generate --scale tiny --seed 1 --out "$work/full"
[[ $(cat "$work/full/notes.txt") == keep ]]; check "non-empty output untouched" $?

mkdir -p "$work/locked" && chmod 500 "$work/locked"
if [[ $(id -u) -ne 0 ]]; then
  expect_usage_error "unwritable output" "--out" generate --scale tiny --seed 1 --out "$work/locked/x"
fi
"$binary" generate --scale tiny --seed 1 --out /proc/jobindsigt/x >/dev/null 2>"$work/err.txt"
[[ $? == 2 ]] && grep -q -- "--out" "$work/err.txt"; check "unwritable output: exit 2 naming --out" $?

"$binary" generate --scale tiny --seed 1 --out "$work/x" --threads 1 --quiet >/dev/null; check "generate X" $?
"$binary" generate --scale tiny --seed 1 --out "$work/y" --threads 2 >/dev/null 2>"$work/progress.txt"; check "generate Y" $?
grep -q "100%" "$work/progress.txt"; check "plain progress lines when not on a terminal" $?
diff -r "$work/x" "$work/y" >/dev/null; check "same seed, different threads: identical files (diff -r)" $?
"$binary" generate --scale tiny --seed 1 --out "$work/y" --force --quiet >/dev/null; check "--force regenerates" $?
diff -r "$work/x" "$work/y" >/dev/null; check "regenerated files identical" $?
[[ $(ls "$work/x" | wc -l) == 24 ]]; check "tiny has 24 delivery months" $?

echo "generate_cli_test: $passes passed, $failures failed"
[[ $failures == 0 ]]
