#!/usr/bin/env bash
# scripts/install-deps as a user meets it: an argument it does not know is refused with exit
# code 2 and a message naming it and the choices, before anything is installed.
set -u
script="$1"
source "$(dirname "$0")/check.sh"

for bad in --bnech bench "--test --bench"; do
  # shellcheck disable=SC2086  # the last case is two arguments on purpose
  "$script" $bad >"$work/out.txt" 2>"$work/err.txt"
  code=$?
  [[ $code == 2 ]]; check "'$bad': exit code 2 (got $code)" $?
  grep -q -- "--bench" "$work/err.txt" && grep -q -- "${bad%% *}" "$work/err.txt"
  check "'$bad': message names it and the choices: $(head -1 "$work/err.txt")" $?
  [[ ! -s "$work/out.txt" ]]; check "'$bad': nothing else done" $?
done

echo "install-deps CLI: $passes passed, $failures failed"
[[ $failures == 0 ]]
