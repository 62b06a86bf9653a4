#!/usr/bin/env bash
# Tandem and its peers under the same typing load, one server at a time on this machine, then a
# table of the four runs and the ratios Tandem / peer (docs/benchmarks.md):
#   y-websocket clients: Tandem /ws/<doc>    vs the reference y-websocket server (@y/websocket-server 0.1.1)
#   Hocuspocus clients:  Tandem /hocuspocus  vs Hocuspocus 3.4.4 (@hocuspocus/server, no extensions)
# Tandem runs as a child process with its embedded Redis and writes every update to Redis before
# it counts as stored; both peers keep documents in memory only.
#
#   load-tests/run-side-by-side.sh                  # 100 documents x 10 clients x 5 updates/s, 60 s per run
#   load-tests/run-side-by-side.sh --duration=20s   # any harness option (java -jar ... --help) applies to all runs
#   SKIP_BUILD=1 load-tests/run-side-by-side.sh     # reuse the jars already in */target
#   OUT=DIR                                         # result folder (default load-tests/target/side-by-side)
#
# Exit code: 0 when all four runs lost nothing, 1 otherwise (the table is printed either way).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
OUT=${OUT:-$root/load-tests/target/side-by-side}
NODE=${NODE:-node}
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -ntp -q -DskipTests -pl load-tests -am package
fi
"$NODE" tools/npm-install-deps.mjs load-tests/peers
rm -rf "$OUT" && mkdir -p "$OUT"

harness=(java -Xmx2g -jar load-tests/target/load-harness.jar
  --docs=100 --clients=10 --rate=5 --warmup=10s --duration=60s --ramp-up=10s)
status=0
peer_pid=""
trap '[[ -n "$peer_pid" ]] && kill "$peer_pid" 2>/dev/null || true' EXIT

say() { printf '\n== %s  (%s, load %s)\n' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

run_tandem() { # protocol name harness-options...
  local protocol=$1 name=$2
  shift 2
  say "Tandem, $protocol clients"
  "${harness[@]}" --protocol="$protocol" --json-out="$OUT/$name.json" "$@" >"$OUT/$name.txt" 2>"$OUT/$name.log" || status=1
  grep -E '^\s+[0-9.]+\s+[0-9.]+' "$OUT/$name.txt" | head -1 >&2 || true
}

run_peer() { # script protocol name harness-options...
  local script=$1 protocol=$2 name=$3
  shift 3
  say "$name, $protocol clients"
  local port
  port=$("$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$NODE" "load-tests/peers/$script" "$port" >"$OUT/$name-server.log" 2>&1 &
  peer_pid=$!
  "$NODE" load-tests/peers/wait-http.mjs "$port" 30
  "${harness[@]}" --protocol="$protocol" --url="ws://127.0.0.1:$port" --server-pid="$peer_pid" --check-content=false \
    --json-out="$OUT/$name.json" "$@" >"$OUT/$name.txt" 2>"$OUT/$name.log" || status=1
  kill "$peer_pid" 2>/dev/null || true
  wait "$peer_pid" 2>/dev/null || true
  peer_pid=""
  grep -E '^\s+[0-9.]+\s+[0-9.]+' "$OUT/$name.txt" | head -1 >&2 || true
}

run_tandem y-websocket tandem-y-websocket "$@"
run_peer y-websocket-server.mjs y-websocket y-websocket-server "$@"
run_tandem hocuspocus tandem-hocuspocus "$@"
run_peer hocuspocus-server.mjs hocuspocus hocuspocus-server "$@"

say "report ($OUT)"
"$NODE" load-tests/side-by-side-report.mjs "$OUT" | tee "$OUT/table.md"
exit $status
