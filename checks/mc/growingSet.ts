import { HashMap64, type StateTable } from "./fingerprint.ts";

/**
 * The fingerprint set of a search on one thread: fingerprint → state id in a hash map that doubles
 * when half full (as TLC's fingerprint set grows), so a small search keeps a small table and a large
 * one never runs out of a size chosen up front.
 *
 * States get ids in insertion order (0, 1, …), kept when the table grows: the search, its levels and
 * its counterexamples name states by id. Per id a dense record holds the parent id, the depth and the
 * fingerprint. `check` on the default configuration (23,378 states) keeps a table of 2^16 slots
 * (768 KB) where a fixed table of 2^22 entries took 64 MB. The workers of a parallel search share
 * a fixed-size table (`FingerprintSet`).
 */
export class GrowingFingerprintSet implements StateTable {
  private readonly ids: HashMap64;
  /** Records of 4 words per id: parent id, depth, hi, lo. */
  private records: Int32Array;
  private count = 0;

  /** A set of 2^bits slots to start with (it grows). */
  constructor(bits = 16) {
    if (!Number.isInteger(bits) || bits < 4 || bits > 26) throw new Error(`fingerprint table: bits must be in 4..26, got ${bits}`);
    this.ids = new HashMap64(bits, 0.5);
    this.records = new Int32Array(4 << (bits - 1));
  }

  /** Number of fingerprints stored. */
  get size(): number {
    return this.count;
  }

  /** Slots of the table. */
  get capacity(): number {
    return this.ids.capacity;
  }

  /** Bytes of the table and the records. */
  get bytes(): number {
    return this.ids.bytes + this.records.byteLength;
  }

  /** Nothing to publish (FingerprintSet's `flush` for a shared table). */
  flush(): void {}

  /** Inserts (hi, lo) with its parent id and depth. Returns the new state's id, or −1 − id if it was there. */
  insert(hi: number, lo: number, parent: number, depth: number): number {
    const id = this.count;
    if (id >= MAX_STATES) throw new Error(`fingerprint table full (${MAX_STATES} states, the most one thread's table holds)`);
    const known = this.ids.putIfAbsent(hi, lo, id);
    if (known >= 0) return -1 - known;
    this.count++;
    if (4 * id + 4 > this.records.length) {
      const r = new Int32Array(2 * this.records.length);
      r.set(this.records);
      this.records = r;
    }
    const r = this.records;
    r[4 * id] = parent;
    r[4 * id + 1] = depth;
    r[4 * id + 2] = hi;
    r[4 * id + 3] = lo;
    return id;
  }

  /** The id of (hi, lo), or −1. */
  find(hi: number, lo: number): number {
    return this.ids.get(hi, lo);
  }

  /** Parent id of state `id` (−1 for the initial state). */
  parent(id: number): number {
    return this.records[4 * id]!;
  }
  /** Depth of state `id`. */
  depth(id: number): number {
    return this.records[4 * id + 1]!;
  }
  /** Fingerprint (hi, lo) of state `id`. */
  fingerprintAt(id: number): [number, number] {
    return [this.records[4 * id + 2]!, this.records[4 * id + 3]!];
  }
}

/** Most states one thread's table holds (2^26 slots at load 1/2, with 512 MB of records). */
const MAX_STATES = 2 ** 25;
