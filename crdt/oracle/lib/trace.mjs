// Replays a sequential editing trace in Yjs and writes out/trace/<name>/ (see ../README.md).
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import crypto from 'node:crypto'

export const TRACE_CLIENT_ID = 1
const SV_AFTER = 1000
const MERGE_FIRST = 10000

/** count as var-uint, then every update as var-uint8-array. */
const writeUpdateList = (updates) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, updates.length)
  for (const u of updates) encoding.writeVarUint8Array(e, u)
  return encoding.toUint8Array(e)
}

/** UTF-16 index of code-point index `cp` in `s`. */
const cpToUtf16 = (s, cp) => {
  let i = 0
  for (let c = 0; c < cp; c++) {
    if (i >= s.length) throw new Error('code point index past end')
    const u = s.charCodeAt(i)
    i += u >= 0xd800 && u <= 0xdbff && i + 1 < s.length ? 2 : 1
  }
  return i
}

const hasAstral = (s) => /[\uD800-\uDFFF]/.test(s)

export function generateTrace ({ tracesDir, name, outDir }) {
  const file = path.join(tracesDir, 'sequential', name + '.json.gz')
  if (!fs.existsSync(file)) {
    throw new Error(`editing trace not found: ${file} (pass --traces <dir> pointing at shared/data/editing-traces)`)
  }
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'))
  const doc = new Y.Doc({ gc: true })
  doc.clientID = TRACE_CLIENT_ID
  const text = doc.getText('text')
  const v1 = []
  const v2 = []
  doc.on('update', (u) => v1.push(u))
  doc.on('updateV2', (u) => v2.push(u))
  if (trace.startContent) doc.transact(() => text.insert(0, trace.startContent))
  let astral = hasAstral(trace.startContent || '')
  let svAfter = null
  let patches = 0
  for (let t = 0; t < trace.txns.length; t++) {
    doc.transact(() => {
      for (const [pos, del, ins] of trace.txns[t].patches) {
        patches++
        if (!astral) {
          if (del > 0) text.delete(pos, del)
          if (ins.length > 0) text.insert(pos, ins)
        } else {
          const s = text.toString()
          const from = cpToUtf16(s, pos)
          if (del > 0) text.delete(from, cpToUtf16(s.slice(from), del))
          if (ins.length > 0) text.insert(from, ins)
        }
        if (!astral && hasAstral(ins)) astral = true
      }
    })
    if (t + 1 === SV_AFTER) svAfter = Y.encodeStateVector(doc)
  }
  if (v1.length !== v2.length) throw new Error('update/updateV2 out of step')
  const finalText = text.toString()
  if (finalText !== trace.endContent) throw new Error(`trace ${name}: replay does not reach endContent`)

  const finalV1 = Y.encodeStateAsUpdate(doc)
  const finalV2 = Y.encodeStateAsUpdateV2(doc)
  const dir = path.join(outDir, 'trace', name)
  fs.mkdirSync(dir, { recursive: true })
  const write = (f, bytes) => fs.writeFileSync(path.join(dir, f), bytes)
  write('updates.v1.bin', writeUpdateList(v1))
  write('updates.v2.bin', writeUpdateList(v2))
  write('final.v1.bin', finalV1)
  write('final.v2.bin', finalV2)
  write('final.sv.bin', Y.encodeStateVector(doc))
  write(`sv-after-${SV_AFTER}.bin`, svAfter)
  write(`diff-after-${SV_AFTER}.v1.bin`, Y.diffUpdate(finalV1, svAfter))
  write(`diff-after-${SV_AFTER}.v2.bin`, Y.diffUpdateV2(finalV2, svAfter))
  write(`merge-first-${MERGE_FIRST}.v1.bin`, Y.mergeUpdates(v1.slice(0, MERGE_FIRST)))
  write(`merge-first-${MERGE_FIRST}.v2.bin`, Y.mergeUpdatesV2(v2.slice(0, MERGE_FIRST)))
  const meta = {
    name,
    yjs: '13.6.33',
    clientId: TRACE_CLIENT_ID,
    gc: true,
    transactions: trace.txns.length,
    patches,
    updates: v1.length,
    svAfterTransactions: SV_AFTER,
    mergeFirstUpdates: MERGE_FIRST,
    endContentLength: trace.endContent.length, // UTF-16 code units
    endContentCodePoints: Array.from(trace.endContent).length,
    finalTextSha256: crypto.createHash('sha256').update(finalText, 'utf8').digest('hex'),
    finalV1Bytes: finalV1.length,
    finalV2Bytes: finalV2.length
  }
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n')
  return meta
}
