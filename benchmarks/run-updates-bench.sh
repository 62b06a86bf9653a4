#!/usr/bin/env bash
# Issue 2's update-operation benchmark: Tandem (JMH) and Yjs 13.6.33 (Node) in one run, on the
# automerge-paper trace fixtures; prints the comparison table (see docs/benchmarks.md).
#
#   benchmarks/run-updates-bench.sh
#
# Environment (all optional):
#   JMH_WARM_OPTS   JMH options of the warm run   (default: -f 1 -wi 5 -w 2s -i 5 -r 2s)
#   JMH_COLD_OPTS   JMH options of the cold run   (default: -bm ss -wi 0 -i 1 -f 3)
#   YJS_ALL_TIMEOUT seconds Yjs may take to merge all 259,778 updates (default 120; 0 = skip)
#   OUT             result folder (default benchmarks/target/bench-updates)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/benchmarks/target/bench-updates}
JMH_WARM_OPTS=${JMH_WARM_OPTS:--f 1 -wi 5 -w 2s -i 5 -r 2s}
JMH_COLD_OPTS=${JMH_COLD_OPTS:--bm ss -wi 0 -i 1 -f 3}
YJS_ALL_TIMEOUT=${YJS_ALL_TIMEOUT:-120}
FIXTURES=$ROOT/crdt/target/oracle/trace/automerge-paper
NODE=${NODE:-node}

# shellcheck source=benchmarks/bench-common.sh
. benchmarks/bench-common.sh
build_and_describe_machine

JAR="java -jar benchmarks/target/benchmarks.jar UpdatesBench -jvmArgsAppend -Dtandem.trace.dir=$FIXTURES"

say "Tandem warm (JMH $JMH_WARM_OPTS)"
# shellcheck disable=SC2086
$JAR $JMH_WARM_OPTS -rf json -rff "$OUT/jmh-warm.json" >"$OUT/jmh-warm.log"
grep -A20 '^Benchmark' "$OUT/jmh-warm.log" >&2

say "Tandem cold (JMH $JMH_COLD_OPTS)"
# shellcheck disable=SC2086
$JAR $JMH_COLD_OPTS -rf json -rff "$OUT/jmh-cold.json" >"$OUT/jmh-cold.log"
grep -A20 '^Benchmark' "$OUT/jmh-cold.log" >&2

BENCH="$NODE benchmarks/node/bench-updates.mjs --dir $FIXTURES"
say "Yjs warm"
$BENCH | tee "$OUT/yjs-warm.jsonl" >&2

say "Yjs cold (one fresh process per operation)"
: >"$OUT/yjs-cold.jsonl"
for op in merge-10000 merge-40000 decode-encode-v1 decode-encode-v2 diff-after-1000; do
  $BENCH --cold --ops "$op" | tee -a "$OUT/yjs-cold.jsonl" >&2
done

if [ "$YJS_ALL_TIMEOUT" != 0 ]; then
  say "Yjs merge of all 259,778 updates (limit ${YJS_ALL_TIMEOUT} s)"
  set +e
  timeout "$YJS_ALL_TIMEOUT" $BENCH --cold --ops merge-259778 >"$OUT/yjs-merge-259778.txt"
  rc=$?
  set -e
  if [ $rc = 124 ]; then echo "timeout $YJS_ALL_TIMEOUT" >"$OUT/yjs-merge-259778.txt"; fi
  cat "$OUT/yjs-merge-259778.txt" >&2
fi

say "done"
say "results ($OUT)"
cat "$OUT/phases.txt" >&2
"$NODE" benchmarks/node/report.mjs "$OUT" | tee "$OUT/table.md"
