// Times issue 2's update operations in Yjs 13.6.33 on the automerge-paper fixtures, the same
// operations as benchmarks/src/main/java/dev/tandem/benchmarks/UpdatesBench.java.
//
// Yjs is the copy pinned by crdt/oracle/package-lock.json (the oracle the Java tests are checked
// against), imported by relative path, so benchmarks and tests always use the same Yjs build and
// there is no second lockfile to keep in step. `node tools/npm-install-deps.mjs crdt/oracle` (run by
// the crdt build and by run-updates-bench.sh) installs it.
//
//   node benchmarks/node/bench-updates.mjs [--dir FIXTURES] [--ops a,b] [--cold]
//
// Warm (default): per operation, warm-up runs for >= 4 s (at least 1 run), then measured runs
// for >= 10 s (at least 3 runs); prints the mean. --cold: one run per operation, right after
// loading (start a fresh process per operation for a true first-run time).
// Output: one JSON object per line: {"op","mode","ms"(mean),"runs",...}.
import { warmTiming } from './warm-timing.mjs'
import { opt, cold, read, readList } from './bench-setup.mjs'
import * as Y from '../../crdt/oracle/node_modules/yjs/dist/yjs.mjs'

const updates = readList(read('updates.v1.bin'))
if (updates.length !== 259778) throw new Error(`expected 259778 updates, found ${updates.length}`)
const finalV1 = read('final.v1.bin')
const finalV2 = read('final.v2.bin')
const svAfter1000 = read('sv-after-1000.bin')
const emptySv = Y.encodeStateVector(new Y.Doc())
const first = (n) => updates.slice(0, n)

// Yjs has no public "decode to structs and encode back" call; diffUpdate against the empty
// state vector is exactly that: its lazy reader decodes every struct (content included) and
// its lazy writer encodes them and the delete set again in the same format (checked below to
// give the input bytes back).
const ops = {
  'merge-10000': { input: first(10000), run: (u) => Y.mergeUpdates(u), expect: () => read('merge-first-10000.v1.bin') },
  'merge-40000': { input: first(40000), run: (u) => Y.mergeUpdates(u) },
  'merge-259778': { input: updates, run: (u) => Y.mergeUpdates(u) },
  'decode-encode-v1': { input: finalV1, run: (u) => Y.diffUpdate(u, emptySv), expect: () => finalV1 },
  'decode-encode-v2': { input: finalV2, run: (u) => Y.diffUpdateV2(u, emptySv), expect: () => finalV2 },
  'diff-after-1000': { input: finalV1, run: (u) => Y.diffUpdate(u, svAfter1000), expect: () => read('diff-after-1000.v1.bin') }
}
const defaultOps = ['merge-10000', 'merge-40000', 'decode-encode-v1', 'decode-encode-v2', 'diff-after-1000']
const selected = opt('--ops', defaultOps.join(',')).split(',')

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
const now = () => Number(process.hrtime.bigint()) / 1e6

for (const name of selected) {
  const op = ops[name]
  if (!op) throw new Error(`unknown op ${name}; known: ${Object.keys(ops).join(', ')}`)
  const once = () => {
    const t0 = now()
    const out = op.run(op.input)
    const ms = now() - t0
    return { out, ms }
  }
  if (cold) {
    const { ms } = once()
    console.log(JSON.stringify({ op: name, mode: 'cold', ms, runs: 1 }))
    continue
  }
  // warm-up (the first run's output is checked), then measured runs
  console.log(JSON.stringify({ op: name, mode: 'warm', ...warmTiming(once, (out) => { if (op.expect && !sameBytes(out, op.expect())) throw new Error(`${name}: unexpected output`) }) }))
}
