// Deterministic, seedable PRNG shared by every generator (sfc32 seeded through splitmix32).
// Same seed => same sequence on every platform and Node version: only 32-bit integer math.

const splitmix32 = (state) => {
  let z = (state + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** Hashes a seed (number or string, or a list of them) into 32 bits. */
export const hashSeed = (...parts) => {
  let h = 0x811c9dc5
  for (const p of parts) {
    const s = String(p)
    for (let i = 0; i < s.length; i++) {
      h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
    }
    h = Math.imul(h ^ 0x2f, 0x01000193) // part separator
  }
  return h >>> 0
}

export class Rng {
  /** @param {...(number|string)} seedParts */
  constructor (...seedParts) {
    let s = hashSeed(...seedParts)
    s = splitmix32(s); this.a = s
    s = splitmix32(s); this.b = s
    s = splitmix32(s); this.c = s
    s = splitmix32(s); this.d = s
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** Uniform 32-bit unsigned integer. */
  uint32 () {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform float in [0, 1). */
  next () {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [min, max] (both inclusive, |range| < 2^53). */
  int (min, max) {
    if (max < min) throw new Error(`int(${min}, ${max})`)
    const range = max - min + 1
    if (range <= 4294967296) return min + Math.floor(this.next() * range)
    return min + Math.floor((this.uint32() * 2097152 + (this.uint32() >>> 11)) / 9007199254740992 * range)
  }

  /** Uniform integer in [0, 2^53 - 1]. */
  uint53 () {
    return (this.uint32() >>> 11) * 4294967296 + this.uint32()
  }

  bool (p = 0.5) {
    return this.next() < p
  }

  pick (arr) {
    if (arr.length === 0) throw new Error('pick from empty array')
    return arr[this.int(0, arr.length - 1)]
  }

  /** Returns a shuffled copy. */
  shuffle (arr) {
    const out = arr.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      const t = out[i]; out[i] = out[j]; out[j] = t
    }
    return out
  }

  /** A new independent stream derived from this one and a label. */
  fork (label) {
    return new Rng(this.uint32(), label)
  }
}

/** Factory handed to generators: `rng(seed, 'label')` is a fresh deterministic stream. */
export const rng = (...seedParts) => new Rng(...seedParts)
