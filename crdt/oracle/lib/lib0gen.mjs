// lib0.json: seeded lib0 values, each with the bytes lib0 0.2.120 (the one yjs 13.6.33 uses) writes.
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { Rng } from './rng.mjs'
import { b64, tagged } from './tagged.mjs'
import { randomAny, randomString } from './sessions.mjs'

const MAX_SAFE = Number.MAX_SAFE_INTEGER

const KINDS = {
  any: [encoding.writeAny, decoding.readAny],
  varString: [encoding.writeVarString, decoding.readVarString],
  varUint: [encoding.writeVarUint, decoding.readVarUint],
  varInt: [encoding.writeVarInt, decoding.readVarInt],
  float32: [encoding.writeFloat32, decoding.readFloat32],
  float64: [encoding.writeFloat64, decoding.readFloat64],
  bigInt64: [encoding.writeBigInt64, decoding.readBigInt64],
  varUint8Array: [encoding.writeVarUint8Array, decoding.readVarUint8Array]
}

const encode = (kind, v) => {
  const e = encoding.createEncoder()
  KINDS[kind][0](e, v)
  return encoding.toUint8Array(e)
}

const decode = (kind, bytes) => {
  const d = decoding.createDecoder(bytes)
  const v = KINDS[kind][1](d)
  if (decoding.hasContent(d)) throw new Error(`${kind}: trailing bytes`)
  return v
}

const STRINGS = [
  '', 'a', 'hello world', 'é', '€', '😀', '👍🏽', '𝄞', '🇩🇪', '\u0000', '\uFEFF', '\uFEFFbom first', 'ends with bom\uFEFF',
  '\uD800', '\uDFFF', 'a\uD83Db', 'x\uDE00', '\uDE00\uD83D', '\uD83D\uDE00\uD83D', '\uFFFD', '\uFFFF', '\u0080', '\u07FF', '\u0800',
  '\u{10FFFF}', 'mixed ascii é 中文 😀 \uD800 end', 'x'.repeat(20000), '😀'.repeat(6000), 'é\uD800'.repeat(7000)
]

const UINTS = [0, 1, 63, 64, 127, 128, 255, 256, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31,
  2 ** 32 - 1, 2 ** 32, 2 ** 35, 2 ** 42 - 1, 2 ** 42, 2 ** 49 - 1, 2 ** 49, 2 ** 52, MAX_SAFE - 1, MAX_SAFE]

const INTS = [0, -0, 1, -1, 63, -63, 64, -64, 8191, -8191, 8192, -8192, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, -(2 ** 32),
  2 ** 48 - 1, 2 ** 48, -(2 ** 48), MAX_SAFE, -MAX_SAFE, MAX_SAFE - 1]

const F32 = [0, -0, 1, -1, 0.5, 1.5, -2.75, Math.fround(0.1), Math.fround(Math.PI), 3.4028234663852886e38, -3.4028234663852886e38,
  1.1754943508222875e-38, 1.401298464324817e-45, Infinity, -Infinity, NaN, 16777216, 16777217]

const F64 = [0, -0, 1, -1, 0.1, Math.PI, -Math.E, 1e300, -1e-300, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, MAX_SAFE, 2 ** 53,
  Infinity, -Infinity, NaN, 1 / 3]

const BIGS = [0n, 1n, -1n, 127n, -128n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 63n) + 1n]

/** Fixed edge cases of `any`, including the JavaScript quirks a decoder must reproduce. */
const ANYS = () => {
  const proto = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') // own "__proto__" key; lib0's decoder drops it
  const proto2 = JSON.parse('{"b": 2, "__proto__": 5, "1": 1}')
  const dupKeys = { 10: 'ten', 2: 'two', b: 1, a: 2, '-1': 3, '01': 4, 4294967294: 'maxIndex', 4294967295: 'notIndex', 1.5: 'f' }
  return [
    undefined, null, true, false, 0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, -(2 ** 31), 2 ** 32, MAX_SAFE, -MAX_SAFE, 2 ** 53,
    0.5, 0.1, -1.25, Math.fround(0.1), 1e300, 5e-324, NaN, Infinity, -Infinity, 1e21, 16777217, 0n, -(2n ** 63n), 2n ** 63n - 1n,
    '', 'x', '\uD800', '\uFEFF', '😀', new Uint8Array(0), new Uint8Array([0, 1, 255]), [], {}, [undefined, null, [[]], {}],
    { a: undefined, b: null, c: 1n, d: new Uint8Array([7]), e: [-0, 0.5] }, proto, proto2, dupKeys, { '': '', ' ': ' ' },
    { $x: 1, constructor: 'c', toString: 's', hasOwnProperty: 'h' }
  ]
}

export function generateLib0 (seeds) {
  const entries = []
  const add = (kind, value, seed) => {
    const bytes = encode(kind, value)
    const decoded = decode(kind, bytes)
    const reencoded = encode(kind, decoded)
    entries.push({ kind, seed, bytes: b64(bytes), reencoded: b64(reencoded), value: tagged(decoded) })
  }
  STRINGS.forEach((s) => add('varString', s, null))
  UINTS.forEach((v) => add('varUint', v, null))
  INTS.forEach((v) => add('varInt', v, null))
  F32.forEach((v) => add('float32', v, null))
  F64.forEach((v) => add('float64', v, null))
  BIGS.forEach((v) => add('bigInt64', v, null))
  ANYS().forEach((v) => add('any', v, null))
  add('varUint8Array', new Uint8Array(0), null)
  add('varUint8Array', new Uint8Array(300).map((_, i) => i), null)

  const n = Math.max(50, seeds)
  for (let seed = 0; seed < n; seed++) {
    const r = new Rng('lib0', seed)
    add('any', randomAny(r, 0, { noProto: false }), seed)
    add('any', randomAny(r, 0, { noProto: false }), seed)
    add('varString', randomString(r, 40), seed)
    add('varUint', r.bool() ? r.uint53() : r.int(0, 2 ** r.int(1, 52)), seed)
    const i = r.bool() ? r.uint53() : r.int(0, 2 ** r.int(1, 52))
    add('varInt', r.bool() ? -i : i, seed)
    add('float32', Math.fround((r.next() - 0.5) * 2 ** r.int(-40, 40)), seed)
    add('float64', (r.next() - 0.5) * 2 ** r.int(-300, 300), seed)
    add('bigInt64', BigInt.asIntN(64, (BigInt(r.uint32()) << 32n) | BigInt(r.uint32())), seed)
  }
  return { lib0: '0.2.120', count: entries.length, entries }
}
