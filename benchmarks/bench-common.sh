# Sourced by the run-*-bench.sh scripts (after they set ROOT, OUT, FIXTURES and NODE): phase
# logging, the build of what a benchmark needs, and the machine description.

# Each phase is logged with the load average: on a shared machine other processes skew timings.
say() {
  printf '\n== %s\n' "$*" >&2
  if [ -d "$OUT" ]; then echo "$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) | $*" >>"$OUT/phases.txt"; fi
}

# The oracle's npm packages (Yjs 13.6.33), the trace fixtures and benchmarks.jar; a fresh $OUT.
build_and_describe_machine() {
  say "build: oracle npm packages, trace fixtures (Yjs 13.6.33), benchmarks.jar"
  "$NODE" tools/npm-install-deps.mjs crdt/oracle
  if [ ! -f "$FIXTURES/updates.v1.bin" ]; then
    ./mvnw -B -ntp -q -pl crdt generate-test-resources
  fi
  ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
  rm -rf "$OUT" && mkdir -p "$OUT"

  say "machine"
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //') x $(nproc)"
    echo "memory: $(free -g 2>/dev/null | awk '/Mem:/ {print $2 " GiB"}')"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "node: $("$NODE" --version)"
  } | tee "$OUT/machine.txt" >&2
}
