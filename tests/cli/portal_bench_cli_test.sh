#!/usr/bin/env bash
# bench/portal/portal_bench.mjs as a user meets it: an unknown flag, a flag without a value, a
# count that is not a whole number or an address that is not one is refused with exit code 2
# and a message naming it, before a browser is started (the check needs no npm package).
#   portal_bench_cli_test.sh NODE BENCH_SCRIPT
set -u
node="$1"
bench="$2"
source "$(dirname "$0")/check.sh"

expect_refusal() {  # expected words in the message, then the arguments
  local words="$1"
  shift
  "$node" "$bench" "$@" >"$work/out.txt" 2>"$work/err.txt"
  local code=$?
  [[ $code == 2 ]]; check "'$*': exit code 2 (got $code)" $?
  grep -q -- "$words" "$work/err.txt"; check "'$*': message says '$words': $(head -1 "$work/err.txt")" $?
  [[ ! -s "$work/out.txt" ]]; check "'$*': nothing else done" $?
}

expect_refusal "unknown argument '--round'" --round 3
expect_refusal "unknown argument 'rounds'" rounds 3
expect_refusal "--rounds needs a value" --rounds
expect_refusal "--out needs a value" --out --rounds 2
expect_refusal "--rounds must be a whole number ≥ 1, not '0'" --rounds 0
expect_refusal "--band-offset must be a whole number ≥ 0, not 'ten'" --band-offset ten
expect_refusal "--band-offset must be a whole number ≥ 0, not '-3'" --band-offset -3
expect_refusal "--url must be a server's address" --url 127.0.0.1:8080

echo "portal bench CLI: $passes passed, $failures failed"
[[ $failures == 0 ]]
