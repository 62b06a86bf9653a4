// Document-model references: what real Yjs ends at when a session's updates are applied to a
// fresh document in other orders/formats than the session's own peers saw them (lone
// surrogates in JSON values survive v1 but become U+FFFD in v2, and Yjs may merge more items
// when it loads a whole state). Output: docmodel/<seed>.json with
//   shuffle: the permutation of updatesV1 used by "shuffledV1",
//   inOrderV1 / inOrderV2 / shuffledV1 / reloadV1 / reloadV2: { v1, v2, sv } (base64),
// reloadV1/V2 = finalStateV1/V2 loaded into a fresh document and encoded again.
import * as Y from 'yjs'
import fs from 'node:fs'
import path from 'node:path'
import { b64 } from '../lib/tagged.mjs'

const bytes = (s) => new Uint8Array(Buffer.from(s, 'base64'))

const run = (gc, updates, v2) => {
  const d = new Y.Doc({ gc })
  for (const u of updates) {
    if (v2) Y.applyUpdateV2(d, u)
    else Y.applyUpdate(d, u)
  }
  if (d.store.pendingStructs !== null || d.store.pendingDs !== null) throw new Error('pending after replay')
  return { v1: b64(Y.encodeStateAsUpdate(d)), v2: b64(Y.encodeStateAsUpdateV2(d)), sv: b64(Y.encodeStateVector(d)) }
}

export async function generate ({ outDir, seeds, rng }) {
  const dir = path.join(outDir, 'docmodel')
  fs.mkdirSync(dir, { recursive: true })
  for (let seed = 0; seed < seeds; seed++) {
    const s = JSON.parse(fs.readFileSync(path.join(outDir, 'sessions', `${seed}.json`), 'utf8'))
    const v1 = s.updatesV1.map(bytes)
    const v2 = s.updatesV2.map(bytes)
    const shuffle = rng('docmodel-shuffle', seed).shuffle(v1.map((_, i) => i))
    const out = {
      seed,
      shuffle,
      inOrderV1: run(s.gc, v1, false),
      inOrderV2: run(s.gc, v2, true),
      shuffledV1: run(s.gc, shuffle.map((i) => v1[i]), false),
      reloadV1: run(s.gc, [bytes(s.finalStateV1)], false),
      reloadV2: run(s.gc, [bytes(s.finalStateV2)], true)
    }
    fs.writeFileSync(path.join(dir, `${seed}.json`), JSON.stringify(out))
  }
}
