// A long-running Yjs 13.6.33 peer for differential fuzzing from Java
// (dev.tandem.crdt.differential.YjsPeer). Protocol: newline-delimited JSON on stdin/stdout,
// one request -> one response line carrying the same `id`:
//
//   request  {"id": 7, "cmd": "op", "doc": "a", "op": {...}}
//   response {"id": 7, "ok": true, ...result}   or   {"id": 7, "error": "message", "stack": "..."}
//
// Errors never crash the process. Logging goes to stderr only (console.log is redirected). The
// process exits on `exit` or when stdin closes (so it dies with the JVM that spawned it).
//
// Commands (all byte strings base64; `v` is the update format, 1 or 2, default 1):
//   newDoc      {doc, clientId, gc=true, roots?: {name: rootType}}   -> {}
//   defineRoots {doc, roots: {name: rootType}}                        -> {}
//   applyUpdate {doc, update, v}                                      -> {}
//   encodeState {doc, sv?, v}                                         -> {update}
//   stateVector {doc}                                                 -> {sv}
//   toJSON      {doc}                                                 -> {json: {root: value}}
//   shape       {doc}                                                 -> {shape: {root: node}}
//   op          {doc, op}                                             -> {v1: [..], v2: [..]}
//   textDelta   {doc, name? | target?}                                -> {delta: [...]}
//   xmlString   {doc, name? | target?}                                -> {xml: string}
//   destroy     {doc}                                                 -> {}
//   batch       {requests: [request without id]}                      -> {results: [response]}
//   ping        {}                                                    -> {yjs: version}
//   exit        {}                                                    -> {} then the process exits
//
// rootType is one of "text", "array", "map", "xmlFragment". Roots are defined per doc with
// newDoc/defineRoots and implicitly by ops addressing them; toJSON and shape list the defined
// roots (plus roots Yjs knows only as untyped, as {"$t":"untyped"}).
//
// Values (op payloads, toJSON output, delta embeds/attributes) use the lossless encoding of
// OPS.md "Value encoding": plain JSON for null/boolean/string/finite numbers, and objects with
// a "$t" key for everything JSON cannot carry.

import * as readline from 'node:readline'
import * as Y from 'yjs'
import { b64 } from './lib/tagged.mjs'

// stdout carries the protocol only: anything Yjs/lib0 logs (lib0 logging prints with
// console.log, e.g. Yjs's "Changed the client-id because another client seems to be using it")
// goes to stderr instead of corrupting a response line
console.log = console.info = console.warn = console.debug = console.error

const docs = new Map() // name -> {doc, roots: Map<name, rootType>, capture}

const ROOT_CTORS = {
  text: Y.Text,
  array: Y.Array,
  map: Y.Map,
  xmlFragment: Y.XmlFragment
}

const unb64 = (s) => {
  if (typeof s !== 'string') throw new Error('expected a base64 string')
  return new Uint8Array(Buffer.from(s, 'base64'))
}

const defineOwn = (obj, key, value) => {
  // never trips over "__proto__" and friends
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

// ---------------------------------------------------------------- value encoding: wire -> JS

const decodeValue = (w) => {
  if (w === null || typeof w === 'boolean' || typeof w === 'string' || typeof w === 'number') return w
  if (Array.isArray(w)) return w.map(decodeValue)
  if (typeof w !== 'object') throw new Error('bad wire value ' + String(w))
  if (Object.prototype.hasOwnProperty.call(w, '$t')) {
    switch (w.$t) {
      case 'undef': return undefined
      case 'num':
        switch (w.v) {
          case 'NaN': return NaN
          case 'Infinity': return Infinity
          case '-Infinity': return -Infinity
          case '-0': return -0
          default: throw new Error('bad num tag ' + w.v)
        }
      case 'bigint': return BigInt(w.v)
      case 'bin': return unb64(w.v)
      case 'obj': return decodePlainObject(w.v)
      case 'new': return newType(w)
      case 'subdoc': {
        const opts = { guid: w.guid }
        if (w.meta !== undefined) opts.meta = decodeValue(w.meta)
        if (w.autoLoad) opts.autoLoad = true
        return new Y.Doc(opts)
      }
      default: throw new Error('unknown value tag ' + w.$t)
    }
  }
  return decodePlainObject(w)
}

const decodePlainObject = (w) => {
  const o = {}
  for (const k of Object.keys(w)) defineOwn(o, k, decodeValue(w[k]))
  return o
}

// A new (preliminary) shared type, optionally with initial content.
const newType = (w) => {
  switch (w.type) {
    case 'text': {
      const t = new Y.Text(w.init == null ? undefined : String(w.init))
      return t
    }
    case 'array': {
      const a = new Y.Array()
      if (w.init != null) a.insert(0, w.init.map(decodeValue))
      return a
    }
    case 'map': {
      const m = new Y.Map()
      if (w.init != null) {
        // init is an encoded object: decode it whole, so an init with a "$t" key (sent escaped
        // as {"$t":"obj","v":{...}}) is unwrapped rather than read as keys "$t" and "v"
        const init = decodeValue(w.init)
        if (init === null || typeof init !== 'object' || Array.isArray(init) || init instanceof Y.AbstractType) {
          throw new Error('map init must be an object')
        }
        for (const k of Object.keys(init)) m.set(k, init[k])
      }
      return m
    }
    case 'xmlFragment': return new Y.XmlFragment()
    case 'xmlElement': {
      const e = new Y.XmlElement(w.nodeName ?? 'UNDEFINED')
      if (w.attrs != null) for (const k of Object.keys(w.attrs)) e.setAttribute(k, w.attrs[k])
      return e
    }
    case 'xmlText': return new Y.XmlText(w.init == null ? undefined : String(w.init))
    default: throw new Error('unknown new type ' + w.type)
  }
}

// ---------------------------------------------------------------- value encoding: JS -> wire

const typeKind = (t) => {
  if (t instanceof Y.XmlText) return 'xmlText'
  if (t instanceof Y.Text) return 'text'
  if (t instanceof Y.Array) return 'array'
  if (t instanceof Y.Map) return 'map'
  if (t instanceof Y.XmlElement) return 'xmlElement'
  if (t instanceof Y.XmlHook) return 'xmlHook'
  if (t instanceof Y.XmlFragment) return 'xmlFragment'
  if (t instanceof Y.AbstractType) return 'untyped'
  return null
}

const encodeValue = (v) => {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (v === undefined) return { $t: 'undef' }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $t: 'num', v: 'NaN' }
    if (v === Infinity) return { $t: 'num', v: 'Infinity' }
    if (v === -Infinity) return { $t: 'num', v: '-Infinity' }
    if (Object.is(v, -0)) return { $t: 'num', v: '-0' }
    return v
  }
  if (typeof v === 'bigint') return { $t: 'bigint', v: v.toString() }
  if (v instanceof Uint8Array) return { $t: 'bin', v: b64(v) }
  if (v instanceof ArrayBuffer) return { $t: 'bin', v: b64(new Uint8Array(v)) }
  if (Array.isArray(v)) return v.map(encodeValue)
  if (v instanceof Y.Doc) return { $t: 'doc', guid: v.guid }
  if (v instanceof Y.AbstractType) return { $t: 'type', type: typeKind(v), json: encodeValue(v.toJSON()) }
  if (typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) defineOwn(o, k, encodeValue(v[k]))
    return Object.prototype.hasOwnProperty.call(o, '$t') ? { $t: 'obj', v: o } : o
  }
  throw new Error('cannot encode value of type ' + typeof v)
}

// ---------------------------------------------------------------- docs and paths

const getEntry = (name) => {
  const e = docs.get(name)
  if (!e) throw new Error('no such doc ' + JSON.stringify(name))
  return e
}

const defineRoot = (entry, name, rootType) => {
  const ctor = ROOT_CTORS[rootType]
  if (!ctor) throw new Error('unknown root type ' + JSON.stringify(rootType))
  const known = entry.roots.get(name)
  if (known !== undefined && known !== rootType) {
    throw new Error(`root ${JSON.stringify(name)} is a ${known}, not a ${rootType}`)
  }
  const t = entry.doc.get(name, ctor)
  entry.roots.set(name, rootType)
  return t
}

const defineRoots = (entry, roots) => {
  if (roots == null) return
  for (const name of Object.keys(roots)) defineRoot(entry, name, roots[name])
}

// target: {root, rootType, path: [step...]}; a string step is a map key, a number an index
// into an array or an xml fragment/element's children.
const resolve = (entry, target) => {
  if (target == null || typeof target.root !== 'string') throw new Error('op target needs a root name')
  let t = defineRoot(entry, target.root, target.rootType)
  for (const step of target.path ?? []) {
    let next
    if (typeof step === 'string') {
      if (!(t instanceof Y.Map)) throw new Error(`path step ${JSON.stringify(step)} needs a map, found ${typeKind(t)}`)
      next = t.get(step)
    } else if (typeof step === 'number') {
      if (t instanceof Y.Array || t instanceof Y.XmlFragment) {
        if (step < 0 || step >= t.length) throw new Error(`path index ${step} out of range (length ${t.length})`)
        next = t.get(step)
      } else {
        throw new Error(`path index ${step} needs an array or xml node, found ${typeKind(t)}`)
      }
    } else {
      throw new Error('bad path step ' + JSON.stringify(step))
    }
    if (!(next instanceof Y.AbstractType)) throw new Error(`path step ${JSON.stringify(step)} does not reach a shared type`)
    t = next
  }
  return t
}

const expect = (t, kind, ...ctors) => {
  if (!ctors.some(c => t instanceof c)) throw new Error(`op needs a ${kind}, target is a ${typeKind(t)}`)
  return t
}

const int = (n, what) => {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got ${n}`)
  return n
}

const attrsOf = (w) => (w == null ? undefined : decodeValue(w))

const applyOp = (entry, op) => {
  if (op == null || typeof op !== 'object') throw new Error('op must be an object')
  if (op.type === 'transact') {
    if (!Array.isArray(op.ops)) throw new Error('transact needs ops')
    for (const o of op.ops) applyOp(entry, o)
    return
  }
  const t = resolve(entry, op.target)
  switch (op.type) {
    case 'textInsert': {
      const text = expect(t, 'text', Y.Text)
      if (typeof op.text !== 'string') throw new Error('textInsert needs text')
      int(op.index, 'index')
      if (op.index > text.length) throw new Error(`index ${op.index} > length ${text.length}`)
      text.insert(op.index, op.text, attrsOf(op.attrs))
      return
    }
    case 'textInsertEmbed': {
      const text = expect(t, 'text', Y.Text)
      int(op.index, 'index')
      if (op.index > text.length) throw new Error(`index ${op.index} > length ${text.length}`)
      text.insertEmbed(op.index, decodeValue(op.embed), attrsOf(op.attrs) ?? {})
      return
    }
    case 'textDelete': {
      const text = expect(t, 'text', Y.Text)
      int(op.index, 'index'); int(op.length, 'length')
      if (op.index + op.length > text.length) throw new Error(`range ${op.index}+${op.length} > length ${text.length}`)
      text.delete(op.index, op.length)
      return
    }
    case 'textFormat': {
      const text = expect(t, 'text', Y.Text)
      int(op.index, 'index'); int(op.length, 'length')
      if (op.index + op.length > text.length) throw new Error(`range ${op.index}+${op.length} > length ${text.length}`)
      text.format(op.index, op.length, attrsOf(op.attrs))
      return
    }
    case 'arrayInsert': {
      const arr = expect(t, 'array', Y.Array)
      int(op.index, 'index')
      if (op.index > arr.length) throw new Error(`index ${op.index} > length ${arr.length}`)
      arr.insert(op.index, op.values.map(decodeValue))
      return
    }
    case 'arrayPush': {
      expect(t, 'array', Y.Array).push(op.values.map(decodeValue))
      return
    }
    case 'arrayDelete': {
      const arr = expect(t, 'array', Y.Array)
      int(op.index, 'index'); int(op.length, 'length')
      if (op.index + op.length > arr.length) throw new Error(`range ${op.index}+${op.length} > length ${arr.length}`)
      arr.delete(op.index, op.length)
      return
    }
    case 'mapSet': {
      if (typeof op.key !== 'string') throw new Error('mapSet needs a string key')
      expect(t, 'map', Y.Map).set(op.key, decodeValue(op.value))
      return
    }
    case 'mapDelete': {
      if (typeof op.key !== 'string') throw new Error('mapDelete needs a string key')
      expect(t, 'map', Y.Map).delete(op.key)
      return
    }
    case 'xmlInsertElement': {
      const frag = expect(t, 'xml fragment or element', Y.XmlFragment)
      int(op.index, 'index')
      if (op.index > frag.length) throw new Error(`index ${op.index} > length ${frag.length}`)
      const el = new Y.XmlElement(op.nodeName)
      if (op.attrs != null) for (const k of Object.keys(op.attrs)) el.setAttribute(k, op.attrs[k])
      frag.insert(op.index, [el])
      return
    }
    case 'xmlInsertText': {
      const frag = expect(t, 'xml fragment or element', Y.XmlFragment)
      int(op.index, 'index')
      if (op.index > frag.length) throw new Error(`index ${op.index} > length ${frag.length}`)
      frag.insert(op.index, [new Y.XmlText(op.text ?? undefined)])
      return
    }
    case 'xmlDelete': {
      const frag = expect(t, 'xml fragment or element', Y.XmlFragment)
      int(op.index, 'index'); int(op.length, 'length')
      if (op.index + op.length > frag.length) throw new Error(`range ${op.index}+${op.length} > length ${frag.length}`)
      frag.delete(op.index, op.length)
      return
    }
    case 'xmlSetAttribute': {
      if (typeof op.name !== 'string') throw new Error('xmlSetAttribute needs a name')
      expect(t, 'xml element', Y.XmlElement).setAttribute(op.name, op.value)
      return
    }
    case 'xmlRemoveAttribute': {
      if (typeof op.name !== 'string') throw new Error('xmlRemoveAttribute needs a name')
      expect(t, 'xml element', Y.XmlElement).removeAttribute(op.name)
      return
    }
    default:
      throw new Error('unknown op type ' + JSON.stringify(op.type))
  }
}

// ---------------------------------------------------------------- inspection

const FFFC = '\uFFFC'

const textString = (t) => t.toDelta().map(d => (typeof d.insert === 'string' ? d.insert : FFFC)).join('')

const shapeOf = (v) => {
  if (!(v instanceof Y.AbstractType)) return null
  if (v instanceof Y.Text) return { k: v instanceof Y.XmlText ? 'xmlText' : 'text', s: textString(v) }
  if (v instanceof Y.Array) return { k: 'array', items: v.toArray().map(shapeOf) }
  if (v instanceof Y.Map) {
    const entries = {}
    for (const [key, val] of v.entries()) defineOwn(entries, key, shapeOf(val))
    return { k: 'map', entries }
  }
  if (v instanceof Y.XmlElement) {
    return { k: 'xmlElement', name: v.nodeName, attrs: Object.keys(v.getAttributes()), children: v.toArray().map(shapeOf) }
  }
  if (v instanceof Y.XmlFragment) return { k: 'xmlFragment', children: v.toArray().map(shapeOf) }
  return { k: 'untyped' }
}

const forEachRoot = (entry, fn) => {
  const out = {}
  for (const [name, rootType] of entry.roots) defineOwn(out, name, fn(defineRoot(entry, name, rootType)))
  for (const [name, t] of entry.doc.share) {
    if (!entry.roots.has(name) && typeKind(t) === 'untyped') defineOwn(out, name, { $t: 'untyped' })
  }
  return out
}

const encodeDelta = (delta) => delta.map(d => {
  const o = { insert: encodeValue(d.insert) }
  if (d.attributes != null) o.attributes = encodeValue(d.attributes)
  if (d.delete != null) o.delete = d.delete
  if (d.retain != null) o.retain = d.retain
  return o
})

const textTarget = (entry, req) => req.target != null
  ? resolve(entry, req.target)
  : defineRoot(entry, req.name, entry.roots.get(req.name) ?? 'text')

const xmlTarget = (entry, req) => req.target != null
  ? resolve(entry, req.target)
  : defineRoot(entry, req.name, entry.roots.get(req.name) ?? 'xmlFragment')

// A readable form of Y.decodeUpdate's {structs, ds}, for failure messages and diffs.
const describeId = (id) => (id == null ? null : `${id.client}:${id.clock}`)
const describeContent = (c) => {
  const name = c.constructor.name
  if (c instanceof Y.ContentString) return { kind: name, str: c.str }
  if (c instanceof Y.ContentAny) return { kind: name, arr: encodeValue(c.arr) }
  if (c instanceof Y.ContentBinary) return { kind: name, content: encodeValue(c.content) }
  if (c instanceof Y.ContentFormat) return { kind: name, key: c.key, value: encodeValue(c.value) }
  if (c instanceof Y.ContentEmbed) return { kind: name, embed: encodeValue(c.embed) }
  if (c instanceof Y.ContentDeleted) return { kind: name, len: c.len }
  if (c instanceof Y.ContentType) return { kind: name, type: c.type.constructor.name, nodeName: c.type.nodeName }
  if (c instanceof Y.ContentDoc) return { kind: name, guid: c.doc.guid, opts: encodeValue(c.opts) }
  return { kind: name, len: c.getLength() }
}
const describeUpdate = ({ structs, ds }) => ({
  structs: structs.map(s => {
    const o = { id: describeId(s.id), len: s.length, struct: s.constructor.name }
    if (s instanceof Y.Item) {
      o.origin = describeId(s.origin)
      o.rightOrigin = describeId(s.rightOrigin)
      o.parent = s.parent == null ? null : (typeof s.parent === 'string' ? s.parent : describeId(s.parent))
      if (s.parentSub != null) o.parentSub = s.parentSub
      o.content = describeContent(s.content)
    }
    return o
  }),
  ds: Array.from(ds.clients.entries()).map(([client, items]) => ({ client, items: items.map(i => [i.clock, i.len]) }))
})

// Merges adjacent described structs the way Item.mergeWith / GC.mergeWith could have, so two
// encodings of the same document that differ only in where structs were split compare equal.
const MERGEABLE = new Set(['ContentString', 'ContentDeleted', 'ContentAny'])
const lastIdOf = (s) => { const [c, k] = s.id.split(':'); return `${c}:${Number(k) + s.len - 1}` }
const mergeDescribed = (structs) => {
  const out = []
  for (const s of structs) {
    const left = out[out.length - 1]
    if (left && left.id.split(':')[0] === s.id.split(':')[0] &&
        Number(left.id.split(':')[1]) + left.len === Number(s.id.split(':')[1])) {
      if (left.struct === 'GC' && s.struct === 'GC') { left.len += s.len; continue }
      if (left.struct === 'Item' && s.struct === 'Item' && s.origin === lastIdOf(left) &&
          s.rightOrigin === left.rightOrigin && s.parentSub == null && left.parentSub == null &&
          left.content.kind === s.content.kind && MERGEABLE.has(s.content.kind)) {
        left.len += s.len
        if (s.content.kind === 'ContentString') left.content.str += s.content.str
        else if (s.content.kind === 'ContentDeleted') left.content.len += s.content.len
        else left.content.arr = left.content.arr.concat(s.content.arr)
        continue
      }
    }
    out.push({ ...s, content: s.content == null ? undefined : { ...s.content } })
  }
  return out
}

// ---------------------------------------------------------------- dispatch

const handle = (req) => {
  switch (req.cmd) {
    case 'ping': return { yjs: '13.6.33' }
    case 'newDoc': {
      if (typeof req.doc !== 'string') throw new Error('newDoc needs a doc name')
      const old = docs.get(req.doc)
      if (old) old.doc.destroy()
      const opts = { gc: req.gc !== false }
      if (req.guid != null) opts.guid = req.guid
      const doc = new Y.Doc(opts)
      if (req.clientId != null) doc.clientID = req.clientId
      const entry = { doc, roots: new Map(), capture: null }
      doc.on('update', (u) => { if (entry.capture) entry.capture.v1.push(b64(u)) })
      doc.on('updateV2', (u) => { if (entry.capture) entry.capture.v2.push(b64(u)) })
      docs.set(req.doc, entry)
      defineRoots(entry, req.roots)
      return {}
    }
    case 'defineRoots': defineRoots(getEntry(req.doc), req.roots); return {}
    case 'applyUpdate': {
      const { doc } = getEntry(req.doc)
      const u = unb64(req.update)
      if ((req.v ?? 1) === 2) Y.applyUpdateV2(doc, u, 'remote'); else Y.applyUpdate(doc, u, 'remote')
      return {}
    }
    case 'encodeState': {
      const { doc } = getEntry(req.doc)
      const sv = req.sv == null ? undefined : unb64(req.sv)
      const u = (req.v ?? 1) === 2 ? Y.encodeStateAsUpdateV2(doc, sv) : Y.encodeStateAsUpdate(doc, sv)
      return { update: b64(u) }
    }
    case 'stateVector': return { sv: b64(Y.encodeStateVector(getEntry(req.doc).doc)) }
    case 'toJSON': {
      const entry = getEntry(req.doc)
      return { json: forEachRoot(entry, t => encodeValue(t.toJSON())) }
    }
    case 'shape': return { shape: forEachRoot(getEntry(req.doc), shapeOf) }
    case 'op': {
      const entry = getEntry(req.doc)
      const capture = { v1: [], v2: [] }
      entry.capture = capture
      try {
        entry.doc.transact(() => applyOp(entry, req.op), 'local')
      } finally {
        entry.capture = null
      }
      return capture
    }
    case 'textDelta': {
      const entry = getEntry(req.doc)
      return { delta: encodeDelta(expect(textTarget(entry, req), 'text', Y.Text).toDelta()) }
    }
    case 'xmlString': {
      const entry = getEntry(req.doc)
      return { xml: expect(xmlTarget(entry, req), 'xml node', Y.XmlFragment, Y.XmlText).toString() }
    }
    case 'decodeUpdate': {
      const u = unb64(req.update)
      const d = describeUpdate((req.v ?? 1) === 2 ? Y.decodeUpdateV2(u) : Y.decodeUpdate(u))
      if (req.canonical) d.structs = mergeDescribed(d.structs)
      return d
    }
    case 'destroy': {
      const e = docs.get(req.doc)
      if (e) { e.doc.destroy(); docs.delete(req.doc) }
      return {}
    }
    case 'batch': {
      if (!Array.isArray(req.requests)) throw new Error('batch needs requests')
      return { results: req.requests.map(r => run(r)) }
    }
    default: throw new Error('unknown command ' + JSON.stringify(req.cmd))
  }
}

const run = (req) => {
  try {
    if (req == null || typeof req !== 'object') throw new Error('request must be an object')
    return { ok: true, ...handle(req) }
  } catch (e) {
    return { error: String(e && e.message ? e.message : e), stack: e && e.stack ? String(e.stack) : undefined }
  }
}

const out = (obj) => {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    out({ id: null, error: 'bad JSON request: ' + e.message })
    return
  }
  if (req && req.cmd === 'exit') {
    out({ id: req.id, ok: true })
    rl.close()
    process.stdout.end(() => process.exit(0))
    return
  }
  const res = run(req)
  out({ id: req == null ? null : req.id, ...res })
})
rl.on('close', () => {
  for (const { doc } of docs.values()) doc.destroy()
  docs.clear()
})
