#!/usr/bin/env bash
# Builds collab-server and the load harness, then runs the full collab-server load measurement
# (default: 100 documents x 10 clients x 5 updates/s, 10 s warm-up, 60 s measured) against a
# collab-server child process with its embedded Redis, and prints the report (table + JSON line).
#
#   load-tests/run-load.sh                      # the full measurement
#   load-tests/run-load.sh --duration=20s       # any harness option (java -jar ... --help) overrides
#   SKIP_BUILD=1 load-tests/run-load.sh ...     # reuse the jars already in */target
#
# Exit code: the harness's (0 = no lost delivery, 1 = lost deliveries or client failures).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -ntp -q -DskipTests -pl load-tests -am package
fi
out="load-tests/target/load-report.json"
mkdir -p load-tests/target
exec java -Xmx2g -jar load-tests/target/load-harness.jar \
  --docs=100 --clients=10 --rate=5 --warmup=10s --duration=60s --ramp-up=10s \
  --json-out="$out" "$@"
