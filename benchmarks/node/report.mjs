// Prints the table of run-updates-bench.sh from the results in one folder:
//   jmh-warm.json, jmh-cold.json (JMH -rf json), yjs-warm.jsonl, yjs-cold.jsonl (bench-updates.mjs),
//   yjs-merge-259778.txt ("timeout <s>" or a bench-updates.mjs cold line).
//   node benchmarks/node/report.mjs DIR
import * as fs from 'node:fs'
import * as path from 'node:path'

const dir = process.argv[2]
const file = (n) => path.join(dir, n)
const exists = (n) => fs.existsSync(file(n))
// best = the fastest measurement iteration (JMH) / run (Yjs): on a shared, loaded machine the
// least disturbed figure; mean = JMH's score / the mean of the measured runs.
const jmh = (n, best) => {
  const out = {}
  if (!exists(n)) return out
  for (const r of JSON.parse(fs.readFileSync(file(n), 'utf8'))) {
    const raw = (r.primaryMetric.rawData || []).flat()
    out[r.benchmark.replace(/^.*\./, '')] = best && raw.length ? Math.min(...raw) : r.primaryMetric.score // ms/op
  }
  return out
}
const lines = (n, best) => {
  const out = {}
  if (!exists(n)) return out
  for (const l of fs.readFileSync(file(n), 'utf8').split('\n')) {
    if (l.trim().startsWith('{')) {
      const r = JSON.parse(l)
      out[r.op] = best && r.min !== undefined ? r.min : r.ms
    }
  }
  return out
}
const tWarm = jmh('jmh-warm.json', false)
const tBest = jmh('jmh-warm.json', true)
const tCold = jmh('jmh-cold.json', false)
const yWarm = lines('yjs-warm.jsonl', false)
const yBest = lines('yjs-warm.jsonl', true)
const yCold = lines('yjs-cold.jsonl', false)
let all = null // Yjs merge of all updates: { ms } or { timeout }
if (exists('yjs-merge-259778.txt')) {
  const t = fs.readFileSync(file('yjs-merge-259778.txt'), 'utf8').trim()
  if (t.startsWith('timeout')) all = { timeout: Number(t.split(/\s+/)[1]) }
  else if (t.startsWith('{')) all = { ms: JSON.parse(t).ms }
}
if (all && all.ms !== undefined) { yWarm['merge-259778'] = all.ms; yBest['merge-259778'] = all.ms; yCold['merge-259778'] = all.ms }

const rows = [
  ['mergeUpdates, first 10,000 updates (v1)', 'merge010k', 'merge-10000'],
  ['mergeUpdates, first 40,000 updates (v1)', 'merge040k', 'merge-40000'],
  ['mergeUpdates, all 259,778 updates (v1)', 'merge260k', 'merge-259778'],
  ['decode + re-encode final update v1 (223,414 B)', 'decodeEncodeV1', 'decode-encode-v1'],
  ['decode + re-encode final update v2 (159,921 B)', 'decodeEncodeV2', 'decode-encode-v2'],
  ['diffUpdate(final v1, sv after 1,000 tx)', 'diffAfter1000', 'diff-after-1000']
]
const ms = (x) => (x === undefined ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
const ratio = (t, y) => (t === undefined || y === undefined ? 'n/a' : (t / y).toFixed(3) + 'x')
const verdict = (t, y) => (t === undefined || y === undefined ? 'n/a' : t / y <= 0.5 ? 'yes' : 'NO')
const yjsCell = (key, v) => {
  if (v !== undefined) return ms(v)
  if (key === 'merge-259778' && all && all.timeout) return `> ${all.timeout * 1000} (not finished in ${all.timeout} s)`
  return 'n/a'
}

const out = []
const table = (title, tMap, yMap) => {
  out.push(title)
  out.push('')
  out.push('| operation | Tandem ms | Yjs ms | ratio (Tandem/Yjs) | target <= 0.5x |')
  out.push('|---|---:|---:|---:|:---:|')
  for (const [label, t, y] of rows) {
    const tv = tMap[t]
    const yv = yMap[y]
    let r = ratio(tv, yv)
    let v = verdict(tv, yv)
    if (yv === undefined && y === 'merge-259778' && all && all.timeout && tv !== undefined) {
      r = `< ${(tv / (all.timeout * 1000)).toFixed(4)}x`
      v = 'yes'
    }
    out.push(`| ${label} | ${ms(tv)} | ${yjsCell(y, yv)} | ${r} | ${v} |`)
  }
  out.push('')
}
table('Warm, mean (JMH avgt score after warm-up, fork 1; Yjs mean of the measured runs after warm-up), ms per operation:', tWarm, yWarm)
table('Warm, best (fastest JMH measurement iteration; fastest measured Yjs run), ms per operation:', tBest, yBest)
table('Cold (first call in a fresh process: JMH single-shot, mean of 3 fresh JVMs; Yjs one fresh Node process per operation), ms:', tCold, yCold)
out.push('Merge curve (warm mean; best in parentheses), time per merged update:')
out.push('')
out.push('| updates | Tandem ms | Tandem us/update | Yjs ms | Yjs us/update |')
out.push('|---:|---:|---:|---:|---:|')
for (const [n, t, y] of [[10000, 'merge010k', 'merge-10000'], [40000, 'merge040k', 'merge-40000'], [259778, 'merge260k', 'merge-259778']]) {
  const tv = tWarm[t]
  const yv = yWarm[y]
  const per = (v) => (v === undefined ? 'n/a' : ((v * 1000) / n).toFixed(2))
  const tb = tBest[t]
  const yb = yBest[y]
  out.push(`| ${n.toLocaleString('en-US')} | ${ms(tv)} (${ms(tb)}) | ${per(tv)} (${per(tb)}) | ${yjsCell(y, yv)}${yb !== undefined ? ` (${ms(yb)})` : ''} | ${per(yv)}${yb !== undefined ? ` (${per(yb)})` : ''} |`)
}
console.log(out.join('\n'))
