/**
 * CLINT (SiFive-compatible, as QEMU's and Spike's `spike` machine; riscv.md §2, §6.7):
 * msip[h] at +0x0 + 4h, mtimecmp[h] at +0x4000 + 8h, mtime at +0xBFF8.
 *
 * Time is deterministic: mtime advances with the machine's tick counter (instructions executed,
 * see Machine), divided by `instructionsPerTick`, so any run replays exactly.
 */
export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0xc000;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const U64 = (1n << 64n) - 1n;

export class Clint {
  readonly msip: Uint8Array;
  /** Exact mtimecmp values, and the same as doubles for fast comparison. */
  readonly mtimecmp: bigint[];
  readonly mtimecmpNum: Float64Array;
  /** mtime = offset + floor(ticks / instructionsPerTick) (mod 2^64); `offsetNum` is the same as a double. */
  private offset = 0n;
  private offsetNum = 0;
  ticks = 0;
  /** Called when msip or mtimecmp of a hart changes, so the hart re-evaluates its interrupts. */
  changed: (hart: number) => void = () => {};

  constructor(
    readonly harts: number,
    readonly instructionsPerTick: number,
  ) {
    this.msip = new Uint8Array(harts);
    // Reset value of mtimecmp is unspecified; all-ones means "no timer armed".
    this.mtimecmp = new Array<bigint>(harts).fill(U64);
    this.mtimecmpNum = new Float64Array(harts).fill(Number(U64));
  }

  mtime(): bigint {
    return (this.offset + BigInt(Math.floor(this.ticks / this.instructionsPerTick))) & U64;
  }

  /** mtime as a double (exact below 2^53), for comparisons on the hot path. */
  mtimeNum(): number {
    return this.offsetNum + Math.floor(this.ticks / this.instructionsPerTick);
  }

  /** MTIP of hart h: mtime ≥ mtimecmp[h], unsigned (§6.7); doubles when both are exact, else BigInt. */
  mtip(h: number): boolean {
    const now = this.mtimeNum();
    const cmp = this.mtimecmpNum[h];
    // an exact mtime is below any mtimecmp ≥ 2^53 (a disarmed timer is 2^64 − 1): no BigInt on the hot path
    if (now >= 0 && now < 2 ** 53) return cmp < 2 ** 53 && now >= cmp;
    return this.mtime() >= this.mtimecmp[h];
  }

  /** Ticks until MTIP of hart h becomes set (0 if already set, Infinity if never). */
  ticksUntilTimer(h: number): number {
    const now = this.mtimeNum();
    const cmp = this.mtimecmpNum[h];
    if (now >= cmp) return 0;
    if (cmp >= 2 ** 53) return Infinity;
    const ipt = this.instructionsPerTick;
    const target = (cmp - this.offsetNum) * ipt;
    return Math.max(1, target - this.ticks);
  }

  /** Load `size` bytes at CLINT offset `off`; undefined if no register is there (access fault). */
  load(off: number, size: number): bigint | undefined {
    const reg = this.register(off, size);
    if (reg === undefined) return undefined;
    const [value, shift] = reg;
    const mask = (1n << BigInt(size * 8)) - 1n;
    return (value >> BigInt(shift * 8)) & mask;
  }

  /** Store `size` bytes of `v` at CLINT offset `off`; false if no register is there. */
  store(off: number, size: number, v: bigint): boolean {
    if (off < this.harts * 4) {
      if (size !== 4 || off % 4 !== 0) return false;
      const h = off >> 2;
      this.msip[h] = Number(v & 1n);
      this.changed(h);
      return true;
    }
    const merge = (old: bigint, base: number): bigint => {
      const shift = BigInt((off - base) * 8);
      const mask = ((1n << BigInt(size * 8)) - 1n) << shift;
      return (old & ~mask) | ((v << shift) & mask);
    };
    if (off >= MTIMECMP && off + size <= MTIMECMP + this.harts * 8 && this.aligned(off, size)) {
      const h = (off - MTIMECMP) >> 3;
      const nv = merge(this.mtimecmp[h], MTIMECMP + h * 8) & U64;
      this.mtimecmp[h] = nv;
      this.mtimecmpNum[h] = Number(nv);
      this.changed(h);
      return true;
    }
    if (off >= MTIME && off + size <= MTIME + 8 && this.aligned(off, size)) {
      this.setMtime(merge(this.mtime(), MTIME));
      return true;
    }
    return false;
  }

  /** Set mtime (M-mode store, or firmware). */
  setMtime(v: bigint): void {
    // Kept signed (not wrapped) so mtimeNum() stays exact for realistic values.
    this.offset = (v & U64) - BigInt(Math.floor(this.ticks / this.instructionsPerTick));
    this.offsetNum = Number(this.offset);
    for (let h = 0; h < this.harts; h++) this.changed(h);
  }

  private aligned(off: number, size: number): boolean {
    return (size === 4 || size === 8) && off % size === 0;
  }

  private register(off: number, size: number): [bigint, number] | undefined {
    if (off < this.harts * 4) {
      return size === 4 && off % 4 === 0 ? [BigInt(this.msip[off >> 2]), 0] : undefined;
    }
    if (!this.aligned(off, size)) return undefined;
    if (off >= MTIMECMP && off + size <= MTIMECMP + this.harts * 8) {
      const h = (off - MTIMECMP) >> 3;
      return [this.mtimecmp[h], off - (MTIMECMP + h * 8)];
    }
    if (off >= MTIME && off + size <= MTIME + 8) return [this.mtime(), off - MTIME];
    return undefined;
  }
}
