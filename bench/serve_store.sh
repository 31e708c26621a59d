# Sourced by the server benchmarks (load_bench.sh, portal_bench.sh): builds the Release binary
# into $build, finds or makes the store of $scale (BENCH_STORE, read only, or generated and
# ingested into $work/store), and starts `jobindsigt serve` on a free loopback port with the
# extra arguments in serve_args (an array); waits until /readyz. Sets bin, store, port and
# server (the pid), and stops the server on exit (EXIT_CLEANUP may name more to remove).
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJOBINDSIGT_BUILD_TESTS=OFF \
  "${launcher[@]}" >/dev/null
ninja -C "$build" jobindsigt >/dev/null
bin=$build/apps/jobindsigt/jobindsigt

store=${BENCH_STORE:-}
if [[ -z "$store" ]]; then
  store=$work/store
  if [[ ! -f "$store/CURRENT" ]]; then
    "$bin" generate --scale "$scale" --seed 1 --out "$work/sources" --quiet
    "$bin" ingest --sources "$work/sources" --store "$store"
  fi
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --store "$store" --port "$port" --bind 127.0.0.1 "${serve_args[@]}" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f ${EXIT_CLEANUP:-}' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 $server 2>/dev/null || { echo "bench: the server stopped (see $work/serve.log)" >&2; exit 1; }
  sleep 0.5
done
