#!/usr/bin/env bash
# `jobindsigt serve` as an operator meets it: it starts on a free loopback port over a tiny
# store, prints its address, serves an OpenAPI document that a real validator (npm
# @seriousme/openapi-schema-validator) accepts, refuses a bad settings file with a message
# naming the key, and stops cleanly on SIGTERM.
#   serve_cli_test.sh JOBINDSIGT_BINARY
set -uo pipefail
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/check.sh"

"$binary" generate --scale tiny --seed 5 --out "$work/sources" --quiet >/dev/null
"$binary" ingest --sources "$work/sources" --store "$work/store" --quiet >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

fetch() {  # fetch PATH OUT: the HTTP status on stdout, the body in OUT
  python3 - "$port" "$1" "$2" <<'PY'
import sys, urllib.request, urllib.error
port, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        body, status = r.read(), r.status
except urllib.error.HTTPError as e:
    body, status = e.read(), e.code
except Exception:
    body, status = b"", 0
open(out, "wb").write(body)
print(status)
PY
}

"$binary" serve --store "$work/store" --port "$port" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do
  [[ $(fetch /readyz "$work/ready") == 200 ]] && break
  sleep 0.1
done
check "prints its address" "$(grep -q "http://127.0.0.1:$port/" "$work/serve.out"; echo $?)"
check "becomes ready" "$([[ $(fetch /readyz "$work/ready") == 200 ]]; echo $?)"
check "serves the OpenAPI document" "$([[ $(fetch /api/v1/openapi.json "$work/openapi.json") == 200 ]]; echo $?)"
if [[ -d "$here/../server/node_modules/@seriousme/openapi-schema-validator" ]] && command -v node >/dev/null; then
  node "$here/../server/openapi_check.mjs" "$work/openapi.json" >"$work/validator.out" 2>&1
  check "the OpenAPI document is valid" $?
  echo '{"openapi":"3.0.3","paths":{}}' >"$work/broken.json"
  node "$here/../server/openapi_check.mjs" "$work/broken.json" >/dev/null 2>&1
  check "the validator rejects a broken document" "$([[ $? != 0 ]]; echo $?)"
else
  echo "FAILED: the OpenAPI validator is not installed (scripts/install-deps --test runs npm ci in tests/server)"
  failures=$((failures + 1))
fi
status=$(fetch "/api/v1/data?measure=sdp_persons&period=latest:2&format=csv-dk" "$work/data.csv")
check "answers a data request" "$([[ $status == 200 ]]; echo $?)"
check "Danish CSV starts with a BOM" "$(head -c3 "$work/data.csv" | od -An -tx1 | grep -q 'ef bb bf'; echo $?)"
kill -TERM "$server"
wait "$server"
check "stops cleanly on SIGTERM" $?

printf 'port = 80000\n' >"$work/bad.toml"
"$binary" serve --store "$work/store" --config "$work/bad.toml" >/dev/null 2>"$work/bad.err"
check "a bad setting exits 2" "$([[ $? == 2 ]]; echo $?)"
check "the message names the setting" "$(grep -q "'port'" "$work/bad.err"; echo $?)"
printf 'colour = "red"\n' >"$work/unknown.toml"
"$binary" serve --store "$work/store" --config "$work/unknown.toml" >/dev/null 2>"$work/unknown.err"
check "an unknown setting is refused" "$(grep -q "unknown setting 'colour'" "$work/unknown.err"; echo $?)"

echo "serve_cli_test: $passes passed, $failures failed"
[[ $failures == 0 ]]
