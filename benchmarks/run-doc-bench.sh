#!/usr/bin/env bash
# Issue 3's document-model benchmark: Tandem (JMH warm, fresh-JVM cold) and Yjs 13.6.33 (Node)
# in one run, on the automerge-paper trace and the two concurrent traces; prints the table of
# docs/benchmarks.md ("Document model").
#
#   benchmarks/run-doc-bench.sh
#
# Environment (all optional):
#   JMH_WARM_OPTS  JMH options of the warm run (default: -f 1 -wi 5 -w 2s -i 5 -r 2s)
#   COLD_RUNS      fresh processes per operation for the cold figures, Tandem and Yjs (default 3)
#   TRACES         editing-traces folder (default ../shared/data/editing-traces)
#   OUT            result folder (default benchmarks/target/bench-doc)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/benchmarks/target/bench-doc}
JMH_WARM_OPTS=${JMH_WARM_OPTS:--f 1 -wi 5 -w 2s -i 5 -r 2s}
COLD_RUNS=${COLD_RUNS:-3}
TRACES=$(cd "${TRACES:-$ROOT/../shared/data/editing-traces}" && pwd)
FIXTURES=$ROOT/crdt/target/oracle/trace/automerge-paper
NODE=${NODE:-node}
OPS="local-replay apply-updates load-final encode-final concurrent-friendsforever concurrent-clownschool"

# shellcheck source=benchmarks/bench-common.sh
. benchmarks/bench-common.sh
build_and_describe_machine

PROPS="-Dtandem.trace.dir=$FIXTURES -Dtandem.traces.dir=$TRACES"
JAR=benchmarks/target/benchmarks.jar

say "Tandem warm (JMH $JMH_WARM_OPTS)"
# shellcheck disable=SC2086
java -jar $JAR DocBench -jvmArgsAppend "$PROPS" $JMH_WARM_OPTS -rf json -rff "$OUT/jmh-warm.json" >"$OUT/jmh-warm.log"
grep -A20 '^Benchmark' "$OUT/jmh-warm.log" >&2

say "Tandem cold ($COLD_RUNS fresh JVMs per operation) and memory"
: >"$OUT/tandem-cold.jsonl"
for op in $OPS; do
  for _ in $(seq "$COLD_RUNS"); do
    # shellcheck disable=SC2086
    java -Xms2g -Xmx2g $PROPS -cp $JAR dev.tandem.benchmarks.DocCold "$op" | tee -a "$OUT/tandem-cold.jsonl" >&2
  done
done
# shellcheck disable=SC2086
java -Xmx2g $PROPS -cp $JAR dev.tandem.benchmarks.DocCold memory | tee "$OUT/tandem-memory.json" >&2

BENCH="$NODE benchmarks/node/bench-doc.mjs --dir $FIXTURES --traces $TRACES"
say "Yjs warm"
$BENCH | tee "$OUT/yjs-warm.jsonl" >&2

say "Yjs cold ($COLD_RUNS fresh Node processes per operation) and memory"
: >"$OUT/yjs-cold.jsonl"
for op in $OPS; do
  for _ in $(seq "$COLD_RUNS"); do
    $BENCH --cold --ops "$op" | tee -a "$OUT/yjs-cold.jsonl" >&2
  done
done
$NODE --expose-gc benchmarks/node/bench-doc.mjs --dir "$FIXTURES" --traces "$TRACES" --ops memory | tee "$OUT/yjs-memory.json" >&2

say "done"
say "results ($OUT)"
cat "$OUT/phases.txt" >&2
"$NODE" benchmarks/node/report-doc.mjs "$OUT" | tee "$OUT/table.md"
