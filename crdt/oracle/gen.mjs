#!/usr/bin/env node
// Generates every oracle fixture from the real yjs 13.6.33 (see README.md for the layout).
//
//   node gen.mjs --seeds 300 --out ../target/oracle --traces ../../../shared/data/editing-traces
//
// Options: --seeds N (default 300), --out DIR (required), --traces DIR (required unless
// --no-trace), --force (regenerate even when out/manifest.json says the fixtures are current).
// Then every module in generators/*.mjs runs: `export async function generate({ outDir, seeds, rng })`.
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { rng } from './lib/rng.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))

const parseArgs = (argv) => {
  const a = { seeds: 300, out: null, traces: null, trace: true, force: false }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`)
      return argv[++i]
    }
    if (k === '--seeds') a.seeds = Number(next())
    else if (k === '--out') a.out = next()
    else if (k === '--traces') a.traces = next()
    else if (k === '--no-trace') a.trace = false
    else if (k === '--force') a.force = true
    else throw new Error(`unknown argument ${k}`)
  }
  if (!Number.isInteger(a.seeds) || a.seeds < 1) throw new Error('--seeds must be a positive integer')
  if (!a.out) throw new Error('--out is required')
  if (a.trace && !a.traces) throw new Error('--traces is required (or --no-trace)')
  return a
}

/** Every file that influences the output (sources, lockfile, trace input), hashed. */
const inputsHash = (args) => {
  const h = crypto.createHash('sha256')
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else {
        h.update(path.relative(here, p) + '\0')
        h.update(fs.readFileSync(p))
      }
    }
  }
  walk(here)
  const require = createRequire(import.meta.url)
  h.update('yjs ' + require('yjs/package.json').version + ' lib0 ' + require('lib0/package.json').version + ' node ' + process.versions.node)
  h.update(`seeds ${args.seeds} trace ${args.trace}`)
  if (args.trace) {
    const f = path.join(args.traces, 'sequential', 'automerge-paper.json.gz')
    if (fs.existsSync(f)) h.update(fs.readFileSync(f))
  }
  return h.digest('hex')
}

const main = async () => {
  const args = parseArgs(process.argv.slice(2))
  const outDir = path.resolve(args.out)
  const hash = inputsHash(args)
  const manifestFile = path.join(outDir, 'manifest.json')
  if (!args.force && fs.existsSync(manifestFile)) {
    try {
      const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
      if (m.complete === true && m.inputsHash === hash) {
        console.log(`[oracle] fixtures in ${outDir} are up to date (${m.seeds} seeds); --force regenerates`)
        return
      }
    } catch (e) { /* regenerate */ }
  }
  const t0 = Date.now()
  fs.rmSync(outDir, { recursive: true, force: true })
  fs.mkdirSync(path.join(outDir, 'sessions'), { recursive: true })

  // The trace replay (~10 s) runs on a worker thread while this thread generates the sessions.
  let tracePromise = Promise.resolve(null)
  if (args.trace) {
    const t2 = Date.now()
    const worker = new Worker(new URL('./lib/trace-worker.mjs', import.meta.url), {
      workerData: { tracesDir: path.resolve(args.traces), name: 'automerge-paper', outDir }
    })
    tracePromise = new Promise((resolve, reject) => {
      let meta = null
      worker.on('message', (m) => { meta = m })
      worker.on('error', reject)
      worker.on('exit', (code) => {
        if (code !== 0 || meta === null) reject(new Error(`trace worker exited with ${code}`))
        else {
          console.log(`[oracle] trace automerge-paper: ${meta.updates} updates in ${Date.now() - t2} ms`)
          resolve(meta)
        }
      })
    })
    tracePromise.catch(() => {}) // reported when awaited below
  }

  // Imported here so that the up-to-date check above stays cheap.
  const { generateSession } = await import('./lib/sessions.mjs')
  const { generateLib0 } = await import('./lib/lib0gen.mjs')

  let sessionBytes = 0
  for (let seed = 0; seed < args.seeds; seed++) {
    let s
    try {
      s = generateSession(seed)
    } catch (e) {
      e.message = `session seed ${seed}: ${e.message}`
      throw e
    }
    const json = JSON.stringify(s)
    sessionBytes += json.length
    fs.writeFileSync(path.join(outDir, 'sessions', `${seed}.json`), json)
  }
  const t1 = Date.now()
  console.log(`[oracle] ${args.seeds} sessions (${(sessionBytes / 1e6).toFixed(1)} MB) in ${t1 - t0} ms`)

  const lib0 = generateLib0(args.seeds)
  fs.writeFileSync(path.join(outDir, 'lib0.json'), JSON.stringify(lib0))
  console.log(`[oracle] lib0.json: ${lib0.count} values`)

  const traces = []
  const traceMeta = await tracePromise
  if (traceMeta) traces.push(traceMeta.name)

  const generatorsDir = path.join(here, 'generators')
  const generators = fs.existsSync(generatorsDir) ? fs.readdirSync(generatorsDir).filter((f) => f.endsWith('.mjs')).sort() : []
  for (const f of generators) {
    const t3 = Date.now()
    const mod = await import(pathToFileURL(path.join(generatorsDir, f)).href)
    if (typeof mod.generate !== 'function') throw new Error(`generators/${f} does not export generate()`)
    await mod.generate({ outDir, seeds: args.seeds, rng })
    console.log(`[oracle] generators/${f} in ${Date.now() - t3} ms`)
  }

  const manifest = {
    complete: true,
    yjs: '13.6.33',
    seeds: args.seeds,
    sessions: args.seeds,
    traces,
    generators,
    inputsHash: hash,
    millis: Date.now() - t0
  }
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n')
  console.log(`[oracle] done in ${manifest.millis} ms -> ${outDir}`)
}

main().catch((e) => {
  console.error('[oracle] FAILED: ' + (e && e.stack ? e.stack : e))
  process.exit(1)
})
