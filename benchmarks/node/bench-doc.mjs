// Times issue 3's document-model workloads in Yjs 13.6.33, the same workloads as
// benchmarks/src/main/java/dev/tandem/benchmarks/DocWorkloads.java (DocBench / DocCold):
//   local-replay    automerge-paper typed into a Y.Text, one transaction per trace txn, every
//                   v1 update collected from doc.on('update')
//   apply-updates   the 259,778 per-transaction v1 updates applied to a fresh doc
//   load-final      the final v1 document update applied to a fresh doc
//   encode-final    Y.encodeStateAsUpdate of that loaded doc
//   concurrent-NAME a concurrent trace, one doc per agent exchanging v1 updates
//   memory          (with --expose-gc) heap retained by the loaded automerge-paper doc
// Yjs is the copy pinned by crdt/oracle/package-lock.json (installed by tools/npm-install-deps.mjs crdt/oracle).
//
//   node [--expose-gc] benchmarks/node/bench-doc.mjs [--dir FIXTURES] [--traces DIR] [--ops a,b] [--cold]
//
// Warm (default): per op, warm-up runs for >= 4 s (at least 1 run), measured runs for >= 10 s
// (at least 3 runs); prints mean, median, min. --cold: one run per op (start a fresh process per
// op for a true first-run time). Output: one JSON object per line.
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { warmTiming } from './warm-timing.mjs'
import { here, opt, cold, read, readList } from './bench-setup.mjs'
import * as Y from '../../crdt/oracle/node_modules/yjs/dist/yjs.mjs'

const tracesDir = path.resolve(opt('--traces', path.join(here, '../../../shared/data/editing-traces')))
const readTrace = (sub, name) =>
  JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(tracesDir, sub, name + '.json.gz'))).toString('utf8'))

const localReplay = (trace) => {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = 1
  const updates = []
  doc.on('update', (u) => updates.push(u))
  const text = doc.getText('text')
  if (trace.startContent) doc.transact(() => text.insert(0, trace.startContent))
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      }
    })
  }
  return { doc, updates }
}

const fresh = () => {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = 2
  doc.getText('text')
  return doc
}

const applyUpdates = (updates) => {
  const doc = fresh()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

const load = (u) => {
  const doc = fresh()
  Y.applyUpdate(doc, u)
  return doc
}

/** Same algorithm as DocWorkloads.replayConcurrent (and the crdt tests' ConcurrentReplay). */
const replayConcurrent = (trace) => {
  const n = trace.txns.length
  const agents = trace.numAgents
  const docs = []
  const texts = []
  let last = null
  const LOCAL = {}
  for (let a = 0; a < agents; a++) {
    const d = new Y.Doc({ gc: true })
    d.clientID = a + 1
    d.on('update', (u, origin) => { if (origin === LOCAL) last = u })
    docs.push(d)
    texts.push(d.getText('text'))
  }
  const byAgent = Array.from({ length: agents }, () => [])
  const version = new Array(n)
  const updates = new Array(n).fill(null)
  const have = Array.from({ length: agents }, () => new Array(agents).fill(0))
  const catchUp = (doc, h, need) => {
    const missing = []
    for (let b = 0; b < agents; b++) {
      if (h[b] > need[b]) throw new Error('agent holds txns outside the parents\' version')
      for (let i = h[b]; i < need[b]; i++) missing.push(byAgent[b][i])
    }
    missing.sort((x, y) => x - y)
    for (const m of missing) if (updates[m] !== null) Y.applyUpdate(doc, updates[m])
    for (let b = 0; b < agents; b++) h[b] = need[b]
  }
  for (let t = 0; t < n; t++) {
    const txn = trace.txns[t]
    const a = txn.agent
    const need = new Array(agents).fill(0)
    for (const p of txn.parents) for (let b = 0; b < agents; b++) need[b] = Math.max(need[b], version[p][b])
    catchUp(docs[a], have[a], need)
    if (txn.patches.length > 0) {
      const text = texts[a]
      last = null
      docs[a].transact(() => {
        for (const [pos, del, ins] of txn.patches) {
          if (del > 0) text.delete(pos, del)
          if (ins.length > 0) text.insert(pos, ins)
        }
      }, LOCAL)
      updates[t] = last
    }
    byAgent[a].push(t)
    need[a] = byAgent[a].length
    version[t] = need
    have[a] = need.slice()
  }
  for (let a = 0; a < agents; a++) catchUp(docs[a], have[a], version[n - 1])
  return docs
}

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
const check = (ok, what) => { if (!ok) throw new Error('check failed: ' + what) }

const lazy = (f) => { let v; let done = false; return () => { if (!done) { v = f(); done = true } return v } }
const paper = lazy(() => readTrace('sequential', 'automerge-paper'))
const updates = lazy(() => readList(read('updates.v1.bin')))
const finalV1 = lazy(() => read('final.v1.bin'))
const loaded = lazy(() => load(finalV1()))
const concurrent = (name) => lazy(() => readTrace('concurrent', name))

const ops = {
  'local-replay': {
    input: paper,
    run: (t) => localReplay(t),
    check: (r) => { check(r.doc.getText('text').toString() === paper().endContent, 'end content'); check(r.updates.length === 259778, 'update count') }
  },
  'apply-updates': { input: updates, run: applyUpdates, check: (d) => check(d.getText('text').toString() === paper().endContent, 'end content') },
  'load-final': { input: finalV1, run: load, check: (d) => check(d.getText('text').length === 104852, 'length') },
  'encode-final': { input: loaded, run: (d) => Y.encodeStateAsUpdate(d), check: (u) => check(sameBytes(u, finalV1()), 'bytes') }
}
for (const name of ['friendsforever', 'clownschool']) {
  const tr = concurrent(name)
  ops['concurrent-' + name] = {
    input: tr,
    run: replayConcurrent,
    check: (docs) => { for (const d of docs) check(d.getText('text').toString() === tr().endContent, name + ' end content') }
  }
}

const now = () => Number(process.hrtime.bigint()) / 1e6

const memory = () => {
  if (typeof globalThis.gc !== 'function') throw new Error('memory needs node --expose-gc')
  const u = finalV1()
  const used = () => {
    let m = Infinity
    for (let i = 0; i < 5; i++) { globalThis.gc(); m = Math.min(m, process.memoryUsage().heapUsed) }
    return m
  }
  load(u) // warm up
  const without = used()
  let doc = load(u)
  const withDoc = used()
  const retained = withDoc - without
  let items = 0
  for (const structs of doc.store.clients.values()) items += structs.length
  console.log(JSON.stringify({ op: 'memory', retainedBytes: retained, items, bytesPerItem: retained / items }))
  doc = null
}

const defaultOps = Object.keys(ops)
const selected = opt('--ops', defaultOps.join(',')).split(',')
for (const name of selected) {
  if (name === 'memory') { memory(); continue }
  const op = ops[name]
  if (!op) throw new Error(`unknown op ${name}; known: ${Object.keys(ops).join(', ')}, memory`)
  const input = op.input()
  const once = () => {
    const t0 = now()
    const out = op.run(input)
    const ms = now() - t0
    return { out, ms }
  }
  if (cold) {
    const c0 = process.cpuUsage()
    const { out, ms } = once()
    const c = process.cpuUsage(c0)
    op.check(out)
    // cpuMs: CPU time of the whole process (all threads: compilers and GC included)
    console.log(JSON.stringify({ op: name, mode: 'cold', ms, cpuMs: (c.user + c.system) / 1000, runs: 1 }))
    continue
  }
  // warm-up (the first run's output is checked), then measured runs
  console.log(JSON.stringify({ op: name, mode: 'warm', ...warmTiming(once, op.check) }))
}
