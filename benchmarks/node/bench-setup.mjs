// What both Yjs benchmark scripts start with: the pinned Yjs of the oracle (checked to be
// 13.6.33), the command-line options, and readers for the trace fixtures Yjs generated.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as decoding from '../../crdt/oracle/node_modules/lib0/decoding.js'

export const here = path.dirname(fileURLToPath(import.meta.url))
const oracleModules = path.join(here, '../../crdt/oracle/node_modules')
const yjsVersion = JSON.parse(fs.readFileSync(path.join(oracleModules, 'yjs/package.json'), 'utf8')).version
if (yjsVersion !== '13.6.33') throw new Error(`expected yjs 13.6.33, found ${yjsVersion}`)

const args = process.argv.slice(2)
/** The value after `name` on the command line, or `dflt`. */
export const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
export const cold = args.includes('--cold')
/** The fixture folder (`--dir`, default: the automerge-paper fixtures the crdt build generates). */
export const dir = path.resolve(opt('--dir', path.join(here, '../../crdt/target/oracle/trace/automerge-paper')))
export const read = (name) => new Uint8Array(fs.readFileSync(path.join(dir, name)))

/** A fixture list file: var-uint count, then that many var-uint8-arrays. */
export const readList = (bytes) => {
  const d = decoding.createDecoder(bytes)
  const n = decoding.readVarUint(d)
  const out = []
  for (let i = 0; i < n; i++) out.push(decoding.readVarUint8Array(d))
  return out
}
