// One seeded random multi-client Yjs session -> out/sessions/<seed>.json (see ../README.md).
import * as Y from 'yjs'
import { Rng } from './rng.mjs'
import { b64, tagged } from './tagged.mjs'

const MAX_SAFE = Number.MAX_SAFE_INTEGER
const ROOTS = ['text', 'array', 'map', 'xml']

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff

// ---------------------------------------------------------------------------------------------
// random values

const ALPHA = 'abcdefghijklmnopqrstuvwxyz     ,.\n'
const SPECIAL = [
  '😀', '👍🏽', '𝄞', '🇩🇪', 'é', 'ß', '中文', 'Ω', '\u0000', '\u2028', '\uFEFF', '\u00A0',
  '\uD83D', '\uDE00', '\uD800', '\uDFFF', '\uDBFF', '\uDC00' // lone surrogates
]

export const randomString = (r, maxLen = 8) => {
  const n = r.int(0, maxLen)
  let s = ''
  for (let i = 0; i < n; i++) s += r.bool(0.8) ? ALPHA[r.int(0, ALPHA.length - 1)] : r.pick(SPECIAL)
  return s
}

const nonEmptyString = (r, maxLen = 8) => {
  const s = randomString(r, maxLen)
  return s.length === 0 ? r.pick(['x', '😀', '\uD83D', 'ab']) : s
}

const KEYS = ['a', 'b', 'c', 'key', 'with space', '0', '1', '2', '10', '01', '-1', '1.5', '4294967294', '4294967295', 'é', '😀', '', 'z']

const NUMBERS = [
  0, 1, -1, 63, 64, -64, 127, 128, 8191, 8192, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 + 5,
  2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e15, 1e21, -1e300, 0.5, -1.25, 0.1, Math.PI, 5e-324, 1.5e-10,
  3.4028234663852886e38, 1.1754943508222875e-38, Math.fround(0.1), 16777217
]

const randomNumber = (r) => {
  switch (r.int(0, 7)) {
    case 0: return r.int(-100, 100)
    case 1: return -0
    case 2: return r.pick(NUMBERS)
    case 3: return Math.fround((r.next() - 0.5) * 2000) // float32-representable
    case 4: return (r.next() - 0.5) * 1e6 // float64
    case 5: return r.bool() ? r.int(2 ** 31, MAX_SAFE) : -r.int(2 ** 31, MAX_SAFE)
    case 6: return r.bool(0.2) ? r.pick([NaN, Infinity, -Infinity]) : r.int(-(2 ** 31), 2 ** 31)
    default: return r.int(0, 1000) / 4
  }
}

const randomBigint = (r) => {
  switch (r.int(0, 3)) {
    case 0: return r.pick([0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 32n)])
    case 1: return BigInt(r.int(-1000, 1000))
    default: return BigInt(r.int(-(2 ** 31), 2 ** 31)) * BigInt(r.uint32()) * BigInt(r.int(1, 1000))
  }
}

const randomBytes = (r, max = 12) => {
  const u = new Uint8Array(r.int(0, max))
  for (let i = 0; i < u.length; i++) u[i] = r.int(0, 255)
  return u
}

/**
 * A lib0 `any` value. `top` restricts to what Y.Array accepts as a top-level element
 * (no undefined, no bigint); nested values may be anything.
 */
export const randomAny = (r, depth = 0, opts = {}) => {
  const { top = false, noProto = true, jsonSafe = false } = opts
  const kinds = ['null', 'number', 'number', 'bool', 'string', 'string']
  if (!jsonSafe) kinds.push('bytes')
  if (!top && !jsonSafe) kinds.push('undefined', 'bigint')
  if (depth < 3) kinds.push('array', 'object', 'object')
  switch (r.pick(kinds)) {
    case 'null': return null
    case 'undefined': return undefined
    case 'number': {
      const n = randomNumber(r)
      return jsonSafe && (!Number.isFinite(n) || Object.is(n, -0)) ? 7 : n
    }
    case 'bigint': return randomBigint(r)
    case 'bool': return r.bool()
    case 'string': return r.bool(0.02) ? randomString(r, 3).repeat(r.int(100, 5000)) : randomString(r)
    case 'bytes': return randomBytes(r)
    case 'array': {
      const n = r.int(0, 4)
      const a = []
      for (let i = 0; i < n; i++) a.push(randomAny(r, depth + 1, { noProto, jsonSafe }))
      return a
    }
    case 'object': {
      const n = r.int(0, 4)
      const o = {}
      for (let i = 0; i < n; i++) {
        const k = !noProto && r.bool(0.1) ? '__proto__' : (r.bool(0.85) ? r.pick(KEYS) : randomString(r, 4))
        let v = randomAny(r, depth + 1, { noProto, jsonSafe })
        // lib0's decoder does obj[key] = value: "__proto__" then sets the prototype, and a
        // Uint8Array prototype would make the decoded object un-encodable in JavaScript itself
        if (k === '__proto__' && v instanceof Uint8Array) v = null
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
      }
      return o
    }
  }
  throw new Error('unreachable')
}

// ---------------------------------------------------------------------------------------------
// shared-type operations

const ATTRS = [
  () => ({ bold: true }), () => ({ bold: null }), () => ({ italic: true }), () => ({ italic: null }),
  (r) => ({ color: '#' + r.uint32().toString(16).padStart(8, '0').slice(0, 6) }),
  (r) => ({ link: { href: 'https://example.com/' + r.int(0, 99) } }),
  (r) => ({ size: r.int(8, 40) }), () => ({ font: 'é 😀' }), () => ({ code: false })
]
const randomAttrs = (r) => {
  const a = r.pick(ATTRS)(r)
  return r.bool(0.3) ? Object.assign(a, r.pick(ATTRS)(r)) : a
}

const EMBEDS = [
  (r) => ({ image: 'https://example.com/' + r.int(0, 999) + '.png' }),
  (r) => ({ formula: 'x^' + r.int(0, 9) }),
  (r) => ({ mention: { id: r.int(0, 2 ** 40), name: '😀 ' + r.int(0, 9), tags: ['a', 1, true, null] } }),
  (r) => ({ data: randomAny(r, 1, { jsonSafe: true }) }) // embeds are written with JSON.stringify in v1
]

/** The text as UTF-16 units with one placeholder unit per embed, so indexes line up with Y.Text. */
const textUnits = (t) => t.toDelta().map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('')

/**
 * Moves p to a position where Yjs can split the text without changing it. Yjs's
 * ContentString.splice turns the char before and the char after a split into U+FFFD whenever
 * the char before is a high surrogate, even a lone one whose neighbour is plain text. Other
 * clients received that lone surrogate as U+FFFD (TextEncoder) or, through v2's joined string
 * column, as the surrogate itself; so a split after a high surrogate or after U+FFFD would make
 * clients diverge. We never split there (Yjs 13.6.33 format() additionally mishandles range
 * edges inside a surrogate pair).
 */
const boundary = (s, p) => {
  while (p > 0 && (isHigh(s.charCodeAt(p - 1)) || s.charCodeAt(p - 1) === 0xfffd)) p--
  return p
}

function textOp (ctx, t) {
  const { r } = ctx
  const s = textUnits(t)
  const len = s.length
  const k = len === 0 ? 0 : r.int(0, 9)
  // start and end are favoured so that clients editing concurrently often hit the same position
  const pos = () => boundary(s, r.bool(0.3) ? r.pick([0, len]) : r.int(0, len))
  if (k <= 3) {
    const p = pos()
    if (r.bool(0.3)) t.insert(p, nonEmptyString(r), randomAttrs(r))
    else t.insert(p, nonEmptyString(r, 12))
  } else if (k <= 6) {
    const p = pos()
    const end = boundary(s, r.int(p, Math.min(len, p + (r.bool(0.2) ? 40 : 6))))
    if (end > p) t.delete(p, end - p)
  } else if (k <= 8) {
    const a = boundary(s, r.int(0, len))
    const b = boundary(s, r.int(a, len))
    if (b > a) t.format(a, b - a, randomAttrs(r))
  } else {
    const p = boundary(s, r.int(0, len))
    if (r.bool(0.15) && ctx.depth(t) < 3) {
      const m = new Y.Map()
      t.insertEmbed(p, m, r.bool(0.3) ? randomAttrs(r) : undefined)
      m.set(r.pick(KEYS), randomAny(r))
    } else {
      t.insertEmbed(p, r.pick(EMBEDS)(r), r.bool(0.3) ? randomAttrs(r) : undefined)
    }
  }
}

function newSubdoc (ctx) {
  const { r } = ctx
  const opts = { guid: `sub-${ctx.seed}-${ctx.subdocs++}-${r.uint32().toString(36)}` }
  if (r.bool(0.3)) opts.gc = false
  if (r.bool(0.3)) opts.autoLoad = true
  if (r.bool(0.3)) opts.shouldLoad = false
  if (r.bool(0.4)) opts.meta = r.bool(0.5) ? { title: randomString(ctx.r), n: r.int(0, 99) } : randomAny(r, 1)
  return new Y.Doc(opts)
}

/** Creates a nested shared type; `fill` is called once it is integrated. */
function newType (ctx, xmlOnly = false) {
  const { r } = ctx
  const kinds = xmlOnly ? ['XmlElement', 'XmlElement', 'XmlText', 'XmlText', 'XmlHook'] : ['Text', 'Array', 'Map', 'XmlElement', 'XmlText', 'XmlFragment', 'XmlHook']
  switch (r.pick(kinds)) {
    case 'Text': return new Y.Text()
    case 'Array': return new Y.Array()
    case 'Map': return new Y.Map()
    case 'XmlFragment': return new Y.XmlFragment()
    case 'XmlText': return new Y.XmlText()
    case 'XmlHook': return new Y.XmlHook(r.pick(['hook', 'widget', 'ü-hook']))
    default: return new Y.XmlElement(r.pick(['p', 'div', 'h1', 'custom-el', 'ü', 'x-😀']))
  }
}

function fillNew (ctx, type) {
  const n = ctx.r.int(0, 2)
  for (let i = 0; i < n; i++) opOn(ctx, type)
}

function arrayElements (ctx, target) {
  const { r } = ctx
  const out = []
  const n = r.int(1, 4)
  let types = []
  for (let i = 0; i < n; i++) {
    const k = r.int(0, 9)
    if (k <= 5) out.push(randomAny(r, 0, { top: true }))
    else if (k === 6) out.push(randomBytes(r))
    else if (k <= 8 && ctx.depth(target) < 3) { const t = newType(ctx); types.push(t); out.push(t) } else out.push(newSubdoc(ctx))
  }
  return { out, types }
}

function arrayOp (ctx, a) {
  const { r } = ctx
  const len = a.length
  const k = len === 0 ? 0 : r.int(0, 9)
  if (k <= 5) {
    const { out, types } = arrayElements(ctx, a)
    const p = r.bool(0.3) ? r.pick([0, len]) : r.int(0, len)
    if (p === len && r.bool(0.3)) a.push(out)
    else if (p === 0 && r.bool(0.3)) a.unshift(out)
    else a.insert(p, out)
    types.forEach((t) => fillNew(ctx, t))
  } else {
    const p = r.int(0, len - 1)
    a.delete(p, r.int(1, Math.min(len - p, 5)))
  }
}

function mapValue (ctx, target) {
  const { r } = ctx
  const k = r.int(0, 11)
  if (k <= 6) return { v: randomAny(r) }
  if (k === 7) return { v: randomBytes(r) }
  if (k === 8) return { v: newSubdoc(ctx) }
  if (ctx.depth(target) >= 3) return { v: randomAny(r) }
  const t = newType(ctx)
  return { v: t, t }
}

function mapOp (ctx, m, anyOnly = false) {
  const { r } = ctx
  const keys = Array.from(m.keys())
  if (keys.length > 0 && r.bool(0.25)) {
    m.delete(r.pick(keys))
    return
  }
  const key = keys.length > 0 && r.bool(0.4) ? r.pick(keys) : (r.bool(0.9) ? r.pick(KEYS) : nonEmptyString(r, 4))
  if (anyOnly) {
    m.set(key, randomAny(r))
    return
  }
  const { v, t } = mapValue(ctx, m)
  m.set(key, v)
  if (t) fillNew(ctx, t)
}

function xmlOp (ctx, x) {
  const { r } = ctx
  const len = x.length
  const isElement = x instanceof Y.XmlElement
  const k = r.int(0, 9)
  if (isElement && k >= 7) {
    const names = Object.keys(x.getAttributes())
    if (names.length > 0 && r.bool(0.3)) x.removeAttribute(r.pick(names))
    else x.setAttribute(r.pick(['class', 'id', 'data-x', 'style', 'ü']), r.bool(0.85) ? randomString(r) : randomAny(r, 1, { top: true }))
    return
  }
  if (len === 0 || k <= 4) {
    const n = r.int(1, 2)
    const nodes = []
    for (let i = 0; i < n; i++) nodes.push(ctx.depth(x) < 3 ? newType(ctx, true) : new Y.XmlText())
    x.insert(r.int(0, len), nodes)
    nodes.forEach((t) => fillNew(ctx, t))
  } else {
    const p = r.int(0, len - 1)
    x.delete(p, r.int(1, Math.min(len - p, 3)))
  }
}

function opOn (ctx, t) {
  if (t instanceof Y.Text) textOp(ctx, t) // includes Y.XmlText
  else if (t instanceof Y.XmlHook) mapOp(ctx, t, true)
  else if (t instanceof Y.XmlFragment) xmlOp(ctx, t) // includes Y.XmlElement
  else if (t instanceof Y.Array) arrayOp(ctx, t)
  else if (t instanceof Y.Map) mapOp(ctx, t)
  else throw new Error('unexpected type ' + t.constructor.name)
}

/** Every live shared type of the document, roots first. */
function collectTypes (doc) {
  const out = []
  const visit = (t) => {
    out.push(t)
    let children = []
    if (t instanceof Y.Text) children = t.toDelta().map((op) => op.insert)
    else if (t instanceof Y.Map) children = Array.from(t.values()) // includes Y.XmlHook
    else if (t instanceof Y.XmlFragment) {
      children = t.toArray()
      if (t instanceof Y.XmlElement) children = children.concat(Object.values(t.getAttributes()))
    } else if (t instanceof Y.Array) children = t.toArray()
    for (const c of children) if (c instanceof Y.AbstractType) visit(c)
  }
  visit(doc.getText('text'))
  visit(doc.getArray('array'))
  visit(doc.getMap('map'))
  visit(doc.getXmlFragment('xml'))
  return out
}

const typeDepth = (t) => {
  let d = 0
  while (t._item !== null) { d++; t = t._item.parent }
  return d
}

// ---------------------------------------------------------------------------------------------
// the session

function chooseClientIds (r, n) {
  const ids = new Set()
  while (ids.size < n) {
    switch (r.int(0, 5)) {
      case 0: ids.add(r.int(0, 20)); break
      case 1: ids.add(r.pick([MAX_SAFE, MAX_SAFE - 1, 2 ** 32, 2 ** 32 - 1, 2 ** 31, 2 ** 31 - 1, 2 ** 35 + 7])); break
      case 2: ids.add(r.int(2 ** 32, MAX_SAFE)); break
      default: ids.add(r.uint32()) // what Yjs itself picks
    }
  }
  return r.shuffle(Array.from(ids))
}

const svEntries = (sv) => {
  const o = {}
  for (const [client, clock] of Y.decodeStateVector(sv)) o[String(client)] = clock
  return o
}

const dsEntries = (ds) => {
  const o = {}
  for (const [client, items] of ds.clients) o[String(client)] = items.map((it) => [it.clock, it.len])
  return o
}

/**
 * Delete-set bytes written by Yjs's own writeDeleteSet (not exported): a Snapshot with an empty
 * state vector is writeDeleteSet(ds) followed by writeStateVector(empty) = one 0x00 byte.
 * encodeSnapshot uses DSEncoderV1, encodeSnapshotV2 uses DSEncoderV2.
 */
export const encodeDeleteSet = (ds, v2) => {
  const snap = new Y.Snapshot(ds, new Map())
  const bytes = v2 ? Y.encodeSnapshotV2(snap) : Y.encodeSnapshot(snap)
  if (bytes[bytes.length - 1] !== 0) throw new Error('unexpected snapshot trailer')
  return bytes.slice(0, bytes.length - 1)
}

function freshJson (update, v2) {
  const d = new Y.Doc()
  if (v2) Y.applyUpdateV2(d, update)
  else Y.applyUpdate(d, update)
  const json = {}
  json.text = d.getText('text').toJSON()
  json.array = d.getArray('array').toJSON()
  json.map = d.getMap('map').toJSON()
  json.xml = d.getXmlFragment('xml').toJSON()
  const delta = d.getText('text').toDelta()
  return { json: tagged(json), delta: tagged(delta) }
}

export function generateSession (seed) {
  const r = new Rng('session', seed)
  const gc = r.bool()
  const n = r.int(2, 4)
  const clientIds = chooseClientIds(r, n)
  const docs = clientIds.map((id) => {
    const d = new Y.Doc({ gc })
    d.clientID = id
    return d
  })
  const ctx = { r, seed, subdocs: 0, depth: typeDepth }

  const updatesV1 = []
  const updatesV2 = []
  const sources = []
  const queues = docs.map(() => []) // per recipient: indexes of updates still to deliver
  docs.forEach((d, i) => {
    d.on('update', (u, origin, _doc, tr) => {
      const idx = updatesV1.length
      updatesV1.push(u)
      sources.push({ client: clientIds[i], local: tr.local })
      if (tr.local) queues.forEach((q, j) => { if (j !== i) q.push(idx) })
    })
    d.on('updateV2', (u) => {
      updatesV2.push(u)
      if (updatesV2.length !== updatesV1.length) throw new Error('update/updateV2 out of step')
    })
  })

  const svs = new Map() // b64 -> bytes, in recording order
  const recordSv = () => {
    const sv = Y.encodeStateVector(r.pick(docs))
    svs.set(b64(sv), sv)
  }

  const deliver = (j, all) => {
    const q = queues[j]
    if (q.length === 0) return
    let batch
    if (all) {
      batch = q.splice(0, q.length)
    } else if (r.bool(0.25)) {
      // an arbitrary subset: later updates may arrive before the ones they depend on
      batch = []
      for (let i = q.length - 1; i >= 0; i--) if (r.bool(0.5)) batch.unshift(...q.splice(i, 1))
    } else {
      batch = q.splice(0, r.int(0, q.length))
    }
    if (r.bool(0.3)) batch = r.shuffle(batch)
    for (const idx of batch) {
      const times = r.bool(0.08) ? 2 : 1 // duplicate delivery
      for (let t = 0; t < times; t++) {
        if (r.bool(0.5)) Y.applyUpdate(docs[j], updatesV1[idx], 'remote')
        else Y.applyUpdateV2(docs[j], updatesV2[idx], 'remote')
      }
      if (!all && r.bool(0.05)) q.push(idx) // and deliver it once more later
    }
  }

  const rounds = r.int(2, 7)
  for (let round = 0; round < rounds; round++) {
    for (const i of r.shuffle(docs.map((_, i) => i))) {
      const txns = r.int(round === 0 ? 1 : 0, 3)
      for (let t = 0; t < txns; t++) {
        docs[i].transact(() => {
          const ops = r.int(1, 3)
          for (let o = 0; o < ops; o++) {
            const types = collectTypes(docs[i])
            // favour the roots (more concurrent edits at the same places)
            const target = r.bool(0.6) ? types[r.int(0, 3)] : r.pick(types)
            opOn(ctx, target)
          }
        }, r.bool(0.5) ? null : 'local-origin')
      }
      if (r.bool(0.3)) recordSv()
    }
    for (const j of r.shuffle(docs.map((_, j) => j))) {
      if (r.bool(0.7)) deliver(j, false)
    }
  }
  for (const j of r.shuffle(docs.map((_, j) => j))) deliver(j, true)

  // everyone must now have everything
  const finalSv = Y.encodeStateVector(docs[0])
  docs.forEach((d, i) => {
    if (d.store.pendingStructs !== null || d.store.pendingDs !== null) throw new Error(`seed ${seed}: client ${i} still has pending updates`)
    if (b64(Y.encodeStateVector(d)) !== b64(finalSv)) throw new Error(`seed ${seed}: state vectors diverge`)
  })
  const final = freshJson(Y.encodeStateAsUpdate(docs[0]), false)
  docs.forEach((d, i) => {
    const j = JSON.stringify(freshJson(Y.encodeStateAsUpdate(d), false).json)
    if (j !== JSON.stringify(final.json)) throw new Error(`seed ${seed}: client ${i} diverges\n${j}\n${JSON.stringify(final.json)}`)
  })

  const mergedV1 = Y.mergeUpdates(updatesV1)
  const mergedV2 = Y.mergeUpdatesV2(updatesV2)

  const svList = [new Uint8Array([0]), ...Array.from(svs.values()).slice(0, 5), finalSv]
  const uniqueSvs = Array.from(new Map(svList.map((s) => [b64(s), s])).values())
  const diffs = uniqueSvs.map((sv) => ({ sv: b64(sv), v1: b64(Y.diffUpdate(mergedV1, sv)), v2: b64(Y.diffUpdateV2(mergedV2, sv)) }))

  const partialMerges = []
  const nMerges = Math.min(updatesV1.length, r.int(2, 5))
  for (let m = 0; m < nMerges; m++) {
    const size = r.int(1, Math.min(updatesV1.length, 10))
    const indices = r.shuffle(updatesV1.map((_, i) => i)).slice(0, size)
    partialMerges.push({
      indices,
      v1: b64(Y.mergeUpdates(indices.map((i) => updatesV1[i]))),
      v2: b64(Y.mergeUpdatesV2(indices.map((i) => updatesV2[i])))
    })
  }

  const deleteSets = []
  const dsOf = (source, index, ds) => deleteSets.push({ source, index, v1: b64(encodeDeleteSet(ds, false)), v2: b64(encodeDeleteSet(ds, true)), entries: dsEntries(ds) })
  const withDs = updatesV1.map((u, i) => i).filter((i) => Y.decodeUpdate(updatesV1[i]).ds.clients.size > 0)
  for (const i of r.shuffle(withDs).slice(0, 4).sort((a, b) => a - b)) dsOf('update', i, Y.decodeUpdate(updatesV1[i]).ds)
  dsOf('mergedV1', null, Y.decodeUpdate(mergedV1).ds)
  dsOf('finalDoc', null, Y.createDeleteSetFromStructStore(docs[0].store))

  const finalStateV2 = Y.encodeStateAsUpdateV2(docs[0])
  return {
    seed,
    gc,
    yjs: '13.6.33',
    clients: clientIds,
    updateSources: sources,
    updatesV1: updatesV1.map(b64),
    updatesV2: updatesV2.map(b64),
    mergedV1: b64(mergedV1),
    mergedV2: b64(mergedV2),
    svFromUpdateV1: b64(Y.encodeStateVectorFromUpdate(mergedV1)),
    svFromUpdateV2: b64(Y.encodeStateVectorFromUpdateV2(mergedV2)),
    diffs,
    partialMerges,
    convertedV1ToV2: updatesV1.map((u) => b64(Y.convertUpdateFormatV1ToV2(u))),
    convertedV2ToV1: updatesV2.map((u) => b64(Y.convertUpdateFormatV2ToV1(u))),
    stateVectors: uniqueSvs.map((sv) => ({ bytes: b64(sv), entries: svEntries(sv) })),
    deleteSets,
    finalStateV1: b64(Y.encodeStateAsUpdate(docs[0])),
    finalStateV2: b64(finalStateV2),
    finalStateVector: b64(finalSv),
    finalJson: final.json,
    finalJsonV2: freshJson(finalStateV2, true).json,
    finalTextDelta: final.delta
  }
}
