// Reference vectors for the Java protocol codecs (dev.tandem.crdt.protocol), produced by the
// real y-protocols encoders over real Yjs documents and Awareness instances.
//
// Writes outDir/protocol.json:
//   sync[]       y-protocols sync messages {message, type: "step1"|"step2"|"update", payload}
//   awareness[]  encodeAwarenessUpdate outputs {message, entries: [{clientId, clock, state}]}
//                (state is the JSON text, "null" for removed clients)
//   auth[]       y-protocols auth permission-denied messages {message, reason, decodedReason}
//                (reason as given to the encoder; decodedReason as lib0 reads it back)
//   ywebsocket[] whole y-websocket frames {message, type, sync?|awareness?|reason?}
//   numbers[]    {bits: float64 as 16 hex digits, text: String(x)} for JSON number formatting
// All byte strings are base64.

import * as fs from 'node:fs'
import * as path from 'node:path'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as authProtocol from 'y-protocols/auth'
import { b64 } from '../lib/tagged.mjs'

// y-websocket's message type numbers (y-websocket src/y-websocket.js)
const messageSync = 0
const messageAwareness = 1
const messageAuth = 2
const messageQueryAwareness = 3

const encodeWith = (fn) => {
  const encoder = encoding.createEncoder()
  fn(encoder)
  return encoding.toUint8Array(encoder)
}

export async function generate ({ outDir, seeds, rng }) {
  const seeded = rng('protocol')
  const random = () => seeded.next()
  const count = Math.max(8, Math.min(Number(seeds) || 60, 200))
  const int = (n) => Math.floor(random() * n)
  const pick = (arr) => arr[int(arr.length)]

  const charPool = [
    'a', 'b', 'Z', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f',
    '\u007f', 'é', 'ß', '€', '\u2028', '\u2029', '😀', '𝄞', '\ud800', '\udbff', '\udc00', '\ufeff', '中'
  ]
  const randomString = (max) => {
    let s = ''
    const len = int(max + 1)
    for (let i = 0; i < len; i++) s += pick(charPool)
    return s
  }
  const specialNumbers = [
    0, -0, 1, -1, 0.1, 0.5, 1 / 3, -2.5e-7, 1e-6, 1e-7, 123e-20, 1e21, 1e20, 999999999999999900000,
    2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 60, 2 ** 64, 2 ** 31, 2 ** 32 - 1, 5e-324, Number.MAX_VALUE,
    Number.MIN_VALUE, Number.EPSILON, 4.35, 0.000001234, 1.7976931348623157e308, 100, 1e100, 123456789012
  ]
  const randomNumber = () => {
    switch (int(5)) {
      case 0: return pick(specialNumbers)
      case 1: return int(2000) - 1000
      case 2: return (random() - 0.5) * 10 ** (int(50) - 25)
      case 3: {
        const buf = new DataView(new ArrayBuffer(8))
        buf.setUint32(0, int(2 ** 32))
        buf.setUint32(4, int(2 ** 32))
        const x = buf.getFloat64(0)
        return Number.isFinite(x) ? x : 42
      }
      default: return int(2 ** 53)
    }
  }
  const keyPool = ['name', 'color', 'cursor', 'anchor', 'head', 'user', '0', '1', '2', '10', '01', '-1',
    '4294967294', '4294967295', 'a b', '', '__proto__x', 'é']
  const randomValue = (depth) => {
    const r = int(depth > 3 ? 5 : 8)
    switch (r) {
      case 0: return null
      case 1: return random() < 0.5
      case 2: return randomNumber()
      case 3: case 4: return randomString(8)
      case 5: case 6: {
        const o = {}
        const n = int(5)
        for (let i = 0; i < n; i++) o[pick(keyPool)] = randomValue(depth + 1)
        return o
      }
      default: {
        const a = []
        const n = int(4)
        for (let i = 0; i < n; i++) a.push(randomValue(depth + 1))
        return a
      }
    }
  }
  const randomState = () => {
    const o = { user: { name: randomString(6), color: '#' + int(0xffffff).toString(16) } }
    const n = int(4)
    for (let i = 0; i < n; i++) o[pick(keyPool)] = randomValue(1)
    return o
  }

  const randomEdits = (doc) => {
    const n = 1 + int(6)
    for (let i = 0; i < n; i++) {
      doc.transact(() => {
        switch (int(4)) {
          case 0: {
            const t = doc.getText('text')
            t.insert(int(t.length + 1), randomString(5).replace(/[\ud800-\udfff]/g, 'x'))
            break
          }
          case 1: {
            const t = doc.getText('text')
            if (t.length > 0) t.delete(int(t.length), 1)
            else t.insert(0, 'q')
            break
          }
          case 2: doc.getMap('map').set(pick(keyPool), randomValue(2)); break
          default: doc.getArray('array').push([randomNumber(), randomString(3)])
        }
      })
    }
  }

  const sync = []
  const ywebsocket = []
  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc()
    doc.clientID = 1 + int(2 ** 31)
    const updates = []
    doc.on('update', (u) => updates.push(u))
    randomEdits(doc)
    // random edits may all be no-ops; an update message needs at least one real update
    if (updates.length === 0) doc.getText('t').insert(0, 'x')
    const other = new Y.Doc()
    other.clientID = 1 + int(2 ** 31)
    if (updates.length > 1 && random() < 0.7) Y.applyUpdate(other, updates[0])
    const otherSv = Y.encodeStateVector(other)
    const kind = i % 3
    let entry
    if (kind === 0) {
      entry = {
        message: encodeWith((e) => syncProtocol.writeSyncStep1(e, doc)),
        type: 'step1',
        payload: Y.encodeStateVector(doc)
      }
    } else if (kind === 1) {
      const sv = random() < 0.3 ? undefined : otherSv
      entry = {
        message: encodeWith((e) => syncProtocol.writeSyncStep2(e, doc, sv)),
        type: 'step2',
        payload: Y.encodeStateAsUpdate(doc, sv)
      }
    } else {
      const update = pick(updates)
      entry = {
        message: encodeWith((e) => syncProtocol.writeUpdate(e, update)),
        type: 'update',
        payload: update
      }
    }
    sync.push({ message: b64(entry.message), type: entry.type, payload: b64(entry.payload) })
    // the same sync message as y-websocket frames it
    const frame = encodeWith((e) => {
      encoding.writeVarUint(e, messageSync)
      encoding.writeUint8Array(e, entry.message)
    })
    ywebsocket.push({ message: b64(frame), type: messageSync, sync: { type: entry.type, payload: b64(entry.payload) } })
  }
  // an empty document's step 1 and step 2
  {
    const empty = new Y.Doc()
    for (const [type, write, payload] of [
      ['step1', (e) => syncProtocol.writeSyncStep1(e, empty), Y.encodeStateVector(empty)],
      ['step2', (e) => syncProtocol.writeSyncStep2(e, empty), Y.encodeStateAsUpdate(empty)]
    ]) {
      sync.push({ message: b64(encodeWith(write)), type, payload: b64(payload) })
    }
  }

  const awareness = []
  for (let i = 0; i < count; i++) {
    const peers = []
    const nPeers = 1 + int(4)
    for (let p = 0; p < nPeers; p++) {
      const doc = new Y.Doc()
      doc.clientID = p === 0 && i === 0 ? 2 ** 32 - 1 : 1 + int(2 ** 32 - 1)
      peers.push(new awarenessProtocol.Awareness(doc))
    }
    const hub = peers[0]
    for (const peer of peers) {
      const bumps = int(4)
      for (let b = 0; b < bumps; b++) {
        if (random() < 0.5) peer.setLocalState(randomState())
        else peer.setLocalStateField(pick(keyPool), randomValue(1))
      }
      if (peer !== hub) {
        awarenessProtocol.applyAwarenessUpdate(hub,
          awarenessProtocol.encodeAwarenessUpdate(peer, [peer.clientID]), 'remote')
      }
    }
    // remove some clients: their state becomes null and their clock goes up
    const known = Array.from(hub.getStates().keys())
    const removed = known.filter(() => random() < 0.3)
    if (removed.length > 0) awarenessProtocol.removeAwarenessStates(hub, removed, 'test')
    if (i % 7 === 3) hub.setLocalState(null)
    const clients = Array.from(hub.meta.keys())
    const update = awarenessProtocol.encodeAwarenessUpdate(hub, clients)
    const entries = clients.map((clientId) => ({
      clientId,
      clock: hub.meta.get(clientId).clock,
      state: JSON.stringify(hub.getStates().get(clientId) || null)
    }))
    awareness.push({ message: b64(update), entries })
    const frame = encodeWith((e) => {
      encoding.writeVarUint(e, messageAwareness)
      encoding.writeVarUint8Array(e, update)
    })
    ywebsocket.push({ message: b64(frame), type: messageAwareness, awareness: entries })
    for (const peer of peers) peer.destroy()
  }
  // an update with no entries
  awareness.push({ message: b64(encodeWith((e) => encoding.writeVarUint(e, 0))), entries: [] })

  const auth = []
  const reasons = ['', 'permission-denied', 'Unauthorized', 'token expired: é 😀', randomString(30)]
  for (let i = 0; i < 10; i++) reasons.push(randomString(12).replace(/[\ud800-\udfff]/g, ''))
  for (const reason of reasons) {
    const message = encodeWith((e) => authProtocol.writePermissionDenied(e, reason))
    // lone surrogates are written as U+FFFD (TextEncoder), so what decodes can differ
    const dec = decoding.createDecoder(message)
    decoding.readVarUint(dec)
    const decodedReason = decoding.readVarString(dec)
    auth.push({ message: b64(message), reason, decodedReason })
    const frame = encodeWith((e) => {
      encoding.writeVarUint(e, messageAuth)
      authProtocol.writePermissionDenied(e, reason)
    })
    ywebsocket.push({ message: b64(frame), type: messageAuth, reason, decodedReason })
  }
  ywebsocket.push({
    message: b64(encodeWith((e) => encoding.writeVarUint(e, messageQueryAwareness))),
    type: messageQueryAwareness
  })

  const numbers = []
  const numberBits = (x) => {
    const dv = new DataView(new ArrayBuffer(8))
    dv.setFloat64(0, x)
    return dv.getBigUint64(0).toString(16).padStart(16, '0')
  }
  for (const x of specialNumbers) numbers.push({ bits: numberBits(x), text: String(x) })
  for (let i = 0; i < count * 20; i++) {
    const x = randomNumber()
    numbers.push({ bits: numberBits(x), text: String(x) })
  }

  const out = {
    generator: 'protocol.mjs',
    yjs: '13.6.33',
    yProtocols: '1.0.7',
    sync,
    awareness,
    auth,
    ywebsocket,
    numbers
  }
  fs.mkdirSync(outDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, 'protocol.json'), JSON.stringify(out, null, 1) + '\n')
}
