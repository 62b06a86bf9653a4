// JSON-safe ("tagged") encoding of lib0 `any` values and Yjs toJSON() output.
//
// Plain JSON covers null, booleans, finite numbers other than -0, strings, arrays and objects
// (object keys keep JavaScript's Object.keys order). Everything else becomes a one-key-plus-value
// object whose "$oracle" member names the kind:
//   undefined            -> {"$oracle":"undefined"}
//   -0, NaN, +-Infinity  -> {"$oracle":"number","v":"-0" | "NaN" | "Infinity" | "-Infinity"}
//   bigint               -> {"$oracle":"bigint","v":"<decimal>"}
//   Uint8Array           -> {"$oracle":"bytes","v":"<base64>"}
//   Y.Doc (subdocument)  -> {"$oracle":"doc","guid":"...","meta":<tagged>,"autoLoad":bool,"shouldLoad":bool}
// No generator ever produces an object key "$oracle", so the encoding is unambiguous.
import * as Y from 'yjs'

export const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')

export const tagged = (v) => {
  switch (typeof v) {
    case 'undefined':
      return { $oracle: 'undefined' }
    case 'number':
      if (Object.is(v, -0)) return { $oracle: 'number', v: '-0' }
      if (!Number.isFinite(v)) return { $oracle: 'number', v: String(v) }
      return v
    case 'bigint':
      return { $oracle: 'bigint', v: v.toString() }
    case 'string':
    case 'boolean':
      return v
    case 'object': {
      if (v === null) return null
      if (v instanceof Uint8Array) return { $oracle: 'bytes', v: b64(v) }
      if (Array.isArray(v)) return v.map(tagged)
      if (v instanceof Y.Doc) {
        return { $oracle: 'doc', guid: v.guid, meta: tagged(v.meta), autoLoad: v.autoLoad, shouldLoad: v.shouldLoad }
      }
      if (v instanceof Y.AbstractType) return tagged(v.toJSON())
      const out = {}
      for (const k of Object.keys(v)) {
        if (k === '$oracle') throw new Error('object key "$oracle" is reserved by the tagged encoding')
        // defineProperty: a key "__proto__" must stay an own property of the output
        Object.defineProperty(out, k, { value: tagged(v[k]), enumerable: true, writable: true, configurable: true })
      }
      return out
    }
    default:
      throw new Error('cannot encode ' + typeof v)
  }
}
