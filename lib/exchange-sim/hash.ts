// Deterministic integer hashing. Trade i of a history is computed from hash(seed, i, ...) so any
// trade can be produced on its own, in any order, with no state: that is what makes a
// million-trade history cheap. Integer-only (Math.imul), so results are the same everywhere.

/** murmur3's 32-bit finaliser: full avalanche of a 32-bit state. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hash of a tuple of non-negative safe integers into [0, 2^32). Values above 2^32 (timestamps)
 * are fed as two words so no bits are lost.
 */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    const lo = v >>> 0;
    const hi = Math.floor(v / 0x1_0000_0000) >>> 0;
    h = fmix32((h ^ lo) + Math.imul(hi ^ 0x7f4a7c15, 0x27d4eb2d));
    h = fmix32(h + 0x6a09e667);
  }
  return h;
}

/** FNV-1a over UTF-16 code units, then avalanched: for seeding from strings. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Uniform integer in [0, n) from a 32-bit hash (n <= 2^32). */
export function pick(hash: number, n: number): number {
  return Math.floor((hash / 0x1_0000_0000) * n);
}

/** A small deterministic stream of 32-bit values, for one-off generation (keys, deposits). */
export class HashStream {
  private counter = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    return hashInts(this.seed, this.counter++);
  }
  below(n: number): number {
    return pick(this.next(), n);
  }
  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.below(alphabet.length)];
    return out;
  }
}
