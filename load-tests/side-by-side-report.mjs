// Prints the side-by-side table (markdown) from the four JSON reports run-side-by-side.sh wrote.
// Usage: node load-tests/side-by-side-report.mjs DIR
import fs from 'node:fs'
import path from 'node:path'

const dir = process.argv[2]
const read = (name) => {
  const file = path.join(dir, `${name}.json`)
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null
}
const pairs = [
  { protocol: 'y-websocket', tandem: read('tandem-y-websocket'), peer: read('y-websocket-server'), peerName: 'y-websocket server 0.1.1' },
  { protocol: 'Hocuspocus', tandem: read('tandem-hocuspocus'), peer: read('hocuspocus-server'), peerName: 'Hocuspocus 3.4.4' }
]

const known = (v) => typeof v === 'number' && v >= 0
const fmt = (v, digits = 2) => (known(v) ? v.toFixed(digits) : 'n/a')
const ratio = (a, b) => (known(a) && known(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a')
const mib = (b) => (known(b) ? b / 1048576 : -1)
/** CPU microseconds per relayed update of the server and its children (Tandem's embedded Redis). */
const cpuWithChildren = (r) => {
  if (!known(r.serverCpuMicrosPerUpdate) || !(r.serverCpuPercent > 0)) return -1
  const share = (r.serverCpuPercent + Math.max(0, r.redisCpuPercent)) / r.serverCpuPercent
  return r.serverCpuMicrosPerUpdate * share
}
const rows = [
  ['delivery p50 (ms)', (r) => r.latencyMs.p50],
  ['delivery p99 (ms)', (r) => r.latencyMs.p99],
  ['delivery p99.9 (ms)', (r) => r.latencyMs.p999],
  ['delivery max (ms)', (r) => r.latencyMs.max],
  ['CPU per update, server process (us)', (r) => r.serverCpuMicrosPerUpdate, 1],
  ['CPU per update, incl. child processes (us)', cpuWithChildren, 1],
  ['server CPU (% of all cores)', (r) => r.serverCpuPercent, 1],
  ['max RSS, server process (MiB)', (r) => mib(r.serverRssMaxBytes), 0]
]

const first = pairs.find(p => p.tandem)?.tandem
if (first) {
  console.log(`Load per run: ${first.documents} documents x ${first.clientsPerDocument} clients x ${first.ratePerClient} updates/s, ` +
    `${first.warmUpSeconds} s warm-up, ${first.measuredSeconds} s measured; ${first.cores} cores, Java ${first.java}, ${first.date}.`)
  console.log('Ratio = Tandem / peer (below 1 = Tandem lower). Tandem stores every update in Redis; the peers store nothing.\n')
}
for (const { protocol, tandem, peer, peerName } of pairs) {
  console.log(`${protocol} clients:\n`)
  console.log(`| | Tandem | ${peerName} | ratio |`)
  console.log('|---|---:|---:|---:|')
  for (const [label, get, digits] of rows) {
    const a = tandem ? get(tandem) : -1
    const b = peer ? get(peer) : -1
    console.log(`| ${label} | ${fmt(a, digits)} | ${fmt(b, digits)} | ${ratio(a, b)} |`)
  }
  const lost = (r) => (r ? `${r.missingDeliveries} of ${r.expectedDeliveries}${r.failureCount ? `, ${r.failureCount} client failures` : ''}` : 'not run')
  console.log(`| deliveries lost | ${lost(tandem)} | ${lost(peer)} | |`)
  const load = (r) => (r ? `${fmt(r.machineCpuPercent, 0)}% busy, load ${fmt(r.loadAverage)}` : '')
  console.log(`| machine during the run | ${load(tandem)} | ${load(peer)} | |\n`)
}
