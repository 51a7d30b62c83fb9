/**
 * 64-bit fingerprints and the fingerprint set of the search.
 *
 * `hash64` hashes an Int32Array with two murmur3-style 32-bit lanes of different seeds (the high and
 * the low word). `FingerprintSet` is an insert-only open-addressing table of 64-bit fingerprints
 * with, per entry, the table slot of the parent state (for shortest traces) and the depth. It lives
 * in an ArrayBuffer or a SharedArrayBuffer; with the latter several worker threads insert into it
 * concurrently, lock-free (CAS on the high word, then the low word is published; a reader that
 * sees the high word waits for the low word).
 */

/**
 * Hashes `a[0..n)` into `hash64.hi` / `hash64.lo` (never 0), under `seed` (hashes of different seeds
 * are independent). Two elements make the word of one round when every element fits in 16 bits (the
 * encodings' fields almost always do: half the rounds); otherwise each element is a word, under
 * other seeds.
 */
export function hash64(a: Int32Array, n: number, seed = 0): void {
  let h1 = ((0x9747b28c ^ n) + seed) | 0;
  let h2 = 0x2545f491 ^ Math.imul(n, 0x61c88647) ^ Math.imul(seed, 0x85ebca6b);
  let wide = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x = a[i]!,
      y = a[i + 1]!;
    wide |= (x + 0x8000) | (y + 0x8000); // bits above 15 set iff x or y is outside [−2^15, 2^15)
    const v = (x & 0xffff) | (y << 16);
    // lane1 and lane2 written out: calling them cost ~15% of the loop (micro-benchmark)
    let k = Math.imul(v, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(v ^ 0x7feb352d, 0x846ca68b);
    j ^= j >>> 16;
    h2 = (Math.imul(h2 ^ j, 0x01000193) + 0x3c6ef372) | 0;
    h2 = (h2 << 11) | (h2 >>> 21);
  }
  if (i < n) {
    wide |= a[i]! + 0x8000;
    h1 = lane1(h1, a[i]!);
    h2 = lane2(h2, a[i]!);
  }
  if (wide >>> 16 !== 0) {
    h1 = ((0x3c6ef372 ^ n) + seed) | 0;
    h2 = 0x7f4a7c15 ^ Math.imul(n, 0x85ebca6b) ^ Math.imul(seed, 0x61c88647);
    for (let k = 0; k < n; k++) {
      h1 = lane1(h1, a[k]!);
      h2 = lane2(h2, a[k]!);
    }
  }
  hash64.hi = fmix32(h1 ^ h2) || 1;
  hash64.lo = fmix32(h2 + Math.imul(h1, 0x27d4eb2f)) || 1;
}
hash64.hi = 0;
hash64.lo = 0;

/** One murmur3 round (the high lane of hash64; also used by the raw-state hash, rawHash.ts). */
export function lane1(h: number, v: number): number {
  let k = Math.imul(v, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A second, independent round (the low lane). */
export function lane2(h: number, v: number): number {
  let j = Math.imul(v ^ 0x7feb352d, 0x846ca68b);
  j ^= j >>> 16;
  h = (Math.imul(h ^ j, 0x01000193) + 0x3c6ef372) | 0;
  return (h << 11) | (h >>> 21);
}

/** MurmurHash3's 32-bit finaliser (also used by the raw-state hash, rawHash.ts). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The set of visited states a search inserts into, by 64-bit fingerprint: a state's handle (`insert`
 * returns it) names it in the search's levels and counterexamples. `FingerprintSet` (fixed size,
 * shareable between worker threads; the handle is the slot) or `GrowingFingerprintSet` (one thread;
 * the handle is the insertion index).
 */
export interface StateTable {
  readonly size: number;
  /** Slots of the table. */
  readonly capacity: number;
  readonly bytes: number;
  /** The new state's handle, or −1 − handle if the fingerprint was there. */
  insert(hi: number, lo: number, parent: number, depth: number): number;
  /** The handle of (hi, lo), or −1. */
  find(hi: number, lo: number): number;
  parent(handle: number): number;
  depth(handle: number): number;
  fingerprintAt(handle: number): [number, number];
  /** Publishes this thread's count (shared tables). */
  flush(): void;
}

const HEADER = 4; // [count, capacity bits, -, -]
const ENTRY = 4; // [hi, lo, parent slot, depth]

/** An insert-only set of 64-bit fingerprints with parent slot and depth per entry, of a fixed size. */
export class FingerprintSet implements StateTable {
  readonly words: Int32Array;
  private readonly mask: number;
  readonly capacity: number;
  private readonly limit: number;
  private readonly shared: boolean;

  /** A table of 2^bits entries; `shared` places it in a SharedArrayBuffer (or adopts `buffer`). */
  constructor(bits: number, shared = false, buffer?: ArrayBufferLike) {
    this.capacity = 2 ** bits;
    const bytes = (HEADER + ENTRY * this.capacity) * 4;
    this.words = new Int32Array(buffer ?? (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
    this.shared = shared;
    this.words[1] = bits;
    this.mask = this.capacity - 1;
    this.limit = Math.floor(this.capacity * 0.85);
  }

  /** The table of an existing buffer (in a worker). */
  static adopt(buffer: ArrayBufferLike): FingerprintSet {
    return new FingerprintSet(new Int32Array(buffer)[1]!, true, buffer);
  }

  /**
   * Inserts of this thread not yet added to the shared count (shared tables: one atomic add per
   * 256 inserts, not per insert, keeps the count's cache line from bouncing between threads).
   */
  private pending = 0;

  /** Number of fingerprints stored (with a shared table: as far as this thread knows; exact after every thread's `flush`). */
  get size(): number {
    return Atomics.load(this.words, 0) + this.pending;
  }

  /** Adds this thread's pending inserts to the shared count. */
  flush(): void {
    if (this.pending) {
      Atomics.add(this.words, 0, this.pending);
      this.pending = 0;
    }
  }

  /** Bytes of the table. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /**
   * Inserts (hi, lo) with its parent slot and depth. Returns the new entry's slot, or −1 − slot if
   * the fingerprint was already there. Throws when the table is full (rerun with more --table-bits).
   */
  insert(hi: number, lo: number, parent: number, depth: number): number {
    if (!this.shared) return this.insertLocal(hi, lo, parent, depth);
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = HEADER + i * ENTRY;
      let h = Atomics.load(w, at);
      if (h === 0) {
        h = Atomics.compareExchange(w, at, 0, hi);
        if (h === 0) {
          w[at + 2] = parent;
          w[at + 3] = depth;
          Atomics.store(w, at + 1, lo);
          if (++this.pending >= 256) this.flush();
          if (this.pending === 0 && Atomics.load(w, 0) >= this.limit)
            throw new Error(`fingerprint table full (${this.capacity} entries): use a larger --table-bits`);
          return i;
        }
      }
      if (h === hi) {
        let l = Atomics.load(w, at + 1);
        while (l === 0) l = Atomics.load(w, at + 1);
        if (l === lo) return -1 - i;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** `insert` for a table only this thread uses: plain loads and stores. */
  private insertLocal(hi: number, lo: number, parent: number, depth: number): number {
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = HEADER + i * ENTRY;
      const h = w[at]!;
      if (h === 0) {
        w[at] = hi;
        w[at + 1] = lo;
        w[at + 2] = parent;
        w[at + 3] = depth;
        if (w[0]!++ >= this.limit)
          throw new Error(`fingerprint table full (${this.capacity} entries): use a larger --table-bits`);
        return i;
      }
      if (h === hi && w[at + 1] === lo) return -1 - i;
      i = (i + 1) & this.mask;
    }
  }

  /** The slot of (hi, lo), or −1. */
  find(hi: number, lo: number): number {
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const at = HEADER + i * ENTRY;
      const h = w[at]!;
      if (h === 0) return -1;
      if (h === hi && w[at + 1] === lo) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Parent slot of the entry at `slot` (−1 for the initial state). */
  parent(slot: number): number {
    return this.words[HEADER + slot * ENTRY + 2]!;
  }
  /** Depth of the entry at `slot`. */
  depth(slot: number): number {
    return this.words[HEADER + slot * ENTRY + 3]!;
  }
  /** Fingerprint (hi, lo) of the entry at `slot`. */
  fingerprintAt(slot: number): [number, number] {
    const at = HEADER + slot * ENTRY;
    return [this.words[at]!, this.words[at + 1]!];
  }
}

/**
 * A thread-local map from 64-bit keys (never 0 in the high word) to int values ≥ 0, open
 * addressing, doubling when more than `maxLoad` full. The checker's cache of states already
 * fingerprinted (expander.ts) and the slots of a one-thread fingerprint set (growingSet.ts).
 */
export class HashMap64 {
  private words: Int32Array;
  private mask: number;
  /** Number of keys. */
  size = 0;

  constructor(
    bits = 16,
    private readonly maxLoad = 0.75,
  ) {
    this.words = new Int32Array(3 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** Slots of the table. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes of the table. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /** The slot holding (hi, lo), or the empty slot where it goes. */
  private slot(hi: number, lo: number): number {
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = w[3 * i]!;
      if (h === 0 || (h === hi && w[3 * i + 1] === lo)) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The value of (hi, lo), or −1 when absent. (Its own probe loop: the expander calls it for most successors.) */
  get(hi: number, lo: number): number {
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = w[3 * i]!;
      if (h === 0) return -1;
      if (h === hi && w[3 * i + 1] === lo) return w[3 * i + 2]!;
      i = (i + 1) & this.mask;
    }
  }

  /** Sets (hi, lo) → value. */
  set(hi: number, lo: number, value: number): void {
    const i = this.slot(hi, lo);
    if (this.words[3 * i] === 0) this.add(i, hi, lo, value);
    else this.words[3 * i + 2] = value;
  }

  /** The value of (hi, lo) if present; otherwise sets it to `value` and returns −1. */
  putIfAbsent(hi: number, lo: number, value: number): number {
    const i = this.slot(hi, lo);
    if (this.words[3 * i] !== 0) return this.words[3 * i + 2]!;
    this.add(i, hi, lo, value);
    return -1;
  }

  private add(i: number, hi: number, lo: number, value: number): void {
    const w = this.words;
    w[3 * i] = hi;
    w[3 * i + 1] = lo;
    w[3 * i + 2] = value;
    if (++this.size > this.maxLoad * (this.mask + 1)) this.grow();
  }

  private grow(): void {
    const old = this.words;
    const n = this.mask + 1;
    if (n >= 2 ** 27) throw new Error(`hash table full (${n} entries, the most one thread's table holds)`);
    this.words = new Int32Array(6 * n);
    this.mask = 2 * n - 1;
    for (let j = 0; j < n; j++) {
      if (old[3 * j] === 0) continue;
      const i = this.slot(old[3 * j]!, old[3 * j + 1]!);
      this.words[3 * i] = old[3 * j]!;
      this.words[3 * i + 1] = old[3 * j + 1]!;
      this.words[3 * i + 2] = old[3 * j + 2]!;
    }
  }
}
