/**
 * A growable list of states in transfer form: records [slot, length, encoding…] in one Int32Array
 * (what workers exchange at the end of a BFS level).
 */
export class RecordBuffer {
  data: Int32Array;
  length = 0;
  count = 0;
  constructor(initial = 1 << 16) {
    this.data = new Int32Array(initial);
  }
  push(slot: number, enc: Int32Array): void {
    const need = this.length + 2 + enc.length;
    if (need > this.data.length) {
      const grown = new Int32Array(Math.max(need, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data[this.length++] = slot;
    this.data[this.length++] = enc.length;
    this.data.set(enc, this.length);
    this.length += enc.length;
    this.count++;
  }
  /** Counts a state without keeping it (states at the depth bound are never expanded). */
  skip(): void {
    this.count++;
  }
  /** The used part (a copy that owns its buffer, for transfer). */
  take(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
