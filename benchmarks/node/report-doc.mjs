// Prints the table of run-doc-bench.sh from the results in one folder:
//   jmh-warm.json (JMH -rf json), tandem-cold.jsonl, tandem-memory.json (DocCold),
//   yjs-warm.jsonl, yjs-cold.jsonl, yjs-memory.json (bench-doc.mjs).
//   node benchmarks/node/report-doc.mjs DIR
import * as fs from 'node:fs'
import * as path from 'node:path'

const dir = process.argv[2]
const file = (n) => path.join(dir, n)
const exists = (n) => fs.existsSync(file(n))
const jmh = (n) => {
  const mean = {}
  const best = {}
  if (!exists(n)) return { mean, best }
  for (const r of JSON.parse(fs.readFileSync(file(n), 'utf8'))) {
    const k = r.benchmark.replace(/^.*\./, '')
    const raw = (r.primaryMetric.rawData || []).flat()
    mean[k] = r.primaryMetric.score
    best[k] = raw.length ? Math.min(...raw) : r.primaryMetric.score
  }
  return { mean, best }
}
const jsonl = (n) => (exists(n) ? fs.readFileSync(file(n), 'utf8').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l)) : [])
// cold: mean and best over the fresh processes of each op; warm Yjs: mean and fastest run
const cold = (n, field = 'ms') => {
  const by = {}
  for (const r of jsonl(n)) if (r[field] !== undefined) (by[r.op] = by[r.op] || []).push(r[field])
  const mean = {}
  const best = {}
  for (const [k, v] of Object.entries(by)) {
    mean[k] = v.reduce((a, b) => a + b, 0) / v.length
    best[k] = Math.min(...v)
  }
  return { mean, best }
}
const yWarmLines = jsonl('yjs-warm.jsonl')
const yWarm = { mean: {}, best: {} }
for (const r of yWarmLines) { yWarm.mean[r.op] = r.ms; yWarm.best[r.op] = r.min }
const tWarm = jmh('jmh-warm.json')
const tCold = cold('tandem-cold.jsonl')
const yCold = cold('yjs-cold.jsonl')
const tCpu = cold('tandem-cold.jsonl', 'cpuMs')
const yCpu = cold('yjs-cold.jsonl', 'cpuMs')

const rows = [
  ['local replay of automerge-paper (259,778 txns, v1 update per txn)', 'localReplay', 'local-replay'],
  ['apply the 259,778 per-txn v1 updates to a fresh doc', 'applyUpdates', 'apply-updates'],
  ['load the final v1 update (223,414 B) into a fresh doc', 'loadFinal', 'load-final'],
  ['encodeStateAsUpdate of the loaded doc', 'encodeFinal', 'encode-final'],
  ['concurrent friendsforever (2 agents, 26,078 txns)', 'concurrentFriendsforever', 'concurrent-friendsforever'],
  ['concurrent clownschool (3 agents, 23,136 txns)', 'concurrentClownschool', 'concurrent-clownschool']
]
const ms = (x) => (x === undefined ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
const ratio = (t, y) => (t === undefined || y === undefined ? 'n/a' : (t / y).toFixed(2) + 'x')
const ok = (t, y) => (t === undefined || y === undefined ? 'n/a' : t / y <= 0.5 ? 'yes' : 'NO')

const out = []
out.push('| operation | Tandem warm ms (best) | Tandem cold ms (best) | Yjs warm ms (best) | Yjs cold ms (best) | ratio warm | ratio cold | <= 0.5x warm / cold |')
out.push('|---|---:|---:|---:|---:|---:|---:|:---:|')
for (const [label, t, y] of rows) {
  const tw = tWarm.mean[t]
  const tc = tCold.mean[y]
  const yw = yWarm.mean[y]
  const yc = yCold.mean[y]
  out.push(`| ${label} | ${ms(tw)} (${ms(tWarm.best[t])}) | ${ms(tc)} (${ms(tCold.best[y])}) | ${ms(yw)} (${ms(yWarm.best[y])}) | ${ms(yc)} (${ms(yCold.best[y])}) | ${ratio(tw, yw)} | ${ratio(tc, yc)} | ${ok(tw, yw)} / ${ok(tc, yc)} |`)
}
out.push('')
out.push('Cold, CPU time of the whole process during the run (all threads: JIT compilers and GC included), mean (best) of the fresh processes; on a loaded machine less skewed than wall time:')
out.push('')
out.push('| operation | Tandem cold CPU ms | Yjs cold CPU ms | ratio | <= 0.5x |')
out.push('|---|---:|---:|---:|:---:|')
for (const [label, , y] of rows) {
  out.push(`| ${label} | ${ms(tCpu.mean[y])} (${ms(tCpu.best[y])}) | ${ms(yCpu.mean[y])} (${ms(yCpu.best[y])}) | ${ratio(tCpu.mean[y], yCpu.mean[y])} | ${ok(tCpu.mean[y], yCpu.mean[y])} |`)
}
out.push('')
out.push('Warm: Tandem = JMH avgt score (best = fastest measurement iteration); Yjs = mean of the measured runs after >= 4 s warm-up (best = fastest run).')
out.push('Cold: first run in a fresh process (JVM: DocCold; Node: bench-doc.mjs --cold), mean of the fresh processes (best = fastest); ratios use the means.')
const mem = (n) => (exists(n) ? JSON.parse(fs.readFileSync(file(n), 'utf8').trim().split('\n').pop()) : null)
const tm = mem('tandem-memory.json')
const ym = mem('yjs-memory.json')
out.push('')
if (tm) out.push(`Memory, loaded automerge-paper doc: Tandem retains ${(tm.retainedBytes / 1e6).toFixed(2)} MB (${tm.items} items, ${tm.bytesPerItem.toFixed(0)} B/item, ${tm.chars} chars); target <= 10 MB: ${tm.retainedBytes <= 10e6 ? 'yes' : 'NO'}`)
if (ym) out.push(`Yjs (V8 heapUsed after gc, same doc): ${(ym.retainedBytes / 1e6).toFixed(2)} MB (${ym.items} structs, ${ym.bytesPerItem.toFixed(0)} B/item)`)
console.log(out.join('\n'))
