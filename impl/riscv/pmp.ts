/**
 * Physical Memory Protection (riscv.md §6.4): 16 entries, OFF/TOR/NA4/NAPOT, grain 4 bytes (G=0).
 *
 * Registers (cfg bytes, pmpaddr) live here apart from the check; `check` is the matching logic:
 * the lowest-numbered entry that matches any byte decides, and must match all bytes.
 */
export const PMP_ENTRIES = 16;
export const PMP_R = 1;
export const PMP_W = 2;
export const PMP_X = 4;
const PMP_A_SHIFT = 3;
export const PMP_L = 0x80;
const A_OFF = 0;
const A_TOR = 1;
const A_NA4 = 2;
const A_NAPOT = 3;
/** pmpaddr holds PA[55:2]: 54 bits. */
const ADDR_MASK = (1n << 54n) - 1n;

/** Access kinds, as PMP permission bits. */
export type PmpAccess = typeof PMP_R | typeof PMP_W | typeof PMP_X;

export class Pmp {
  readonly cfg = new Uint8Array(PMP_ENTRIES);
  readonly addr: bigint[] = new Array<bigint>(PMP_ENTRIES).fill(0n);
  /** Decoded bounds in bytes [lo, hi) per entry (doubles; exact below 2^53). */
  private readonly lo = new Float64Array(PMP_ENTRIES);
  private readonly hi = new Float64Array(PMP_ENTRIES);

  /** pmpcfgN CSR value (N even: 0 or 2) */
  readCfg(csrIndex: number): bigint {
    let v = 0n;
    const first = csrIndex * 4; // pmpcfg0 → entries 0..7, pmpcfg2 → 8..15
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(first + i < PMP_ENTRIES ? this.cfg[first + i] : 0);
    return v;
  }

  /** Write pmpcfg CSR (index 0 or 2): locked entries ignore writes; R=0,W=1 is reserved (§6.1). */
  writeCfg(csrIndex: number, v: bigint): void {
    const first = csrIndex * 4;
    for (let i = 0; i < 8; i++) {
      const e = first + i;
      if (e >= PMP_ENTRIES || this.cfg[e] & PMP_L) continue;
      let b = Number((v >> BigInt(8 * i)) & 0xffn) & 0x9f; // bits 6:5 reserved, read 0
      if ((b & (PMP_R | PMP_W)) === PMP_W) b &= ~PMP_W; // WARL: R=0,W=1 not kept
      this.cfg[e] = b;
    }
    this.recompute();
  }

  readAddr(i: number): bigint {
    return this.addr[i];
  }

  /** Write pmpaddr i; ignored when entry i is locked, or entry i+1 is a locked TOR (§6.4). */
  writeAddr(i: number, v: bigint): void {
    if (this.cfg[i] & PMP_L) return;
    if (i + 1 < PMP_ENTRIES && this.cfg[i + 1] & PMP_L && this.mode(i + 1) === A_TOR) return;
    this.addr[i] = v & ADDR_MASK;
    this.recompute();
  }

  private mode(i: number): number {
    return (this.cfg[i] >> PMP_A_SHIFT) & 3;
  }

  private recompute(): void {
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const a = this.addr[i];
      switch (this.mode(i)) {
        case A_OFF:
          this.lo[i] = 0;
          this.hi[i] = 0;
          continue;
        case A_TOR:
          this.lo[i] = i === 0 ? 0 : Number(this.addr[i - 1]) * 4;
          this.hi[i] = Number(a) * 4;
          break;
        case A_NA4:
          this.lo[i] = Number(a) * 4;
          this.hi[i] = this.lo[i] + 4;
          break;
        case A_NAPOT: {
          // trailing ones t: size 2^(t+3) bytes
          let t = 0n;
          while (t < 54n && (a >> t) & 1n) t++;
          const size = 1n << (t + 3n);
          const base = (a << 2n) & ~(size - 1n) & ((1n << 56n) - 1n);
          this.lo[i] = Number(base);
          this.hi[i] = Number(base + size);
          break;
        }
      }
    }
  }

  /**
   * May an access of `size` bytes at `pa` with permission `perm` at effective privilege `priv`
   * (0 U, 1 S, 3 M) proceed? §6.4 "Priority and Matching Logic".
   */
  check(pa: number, size: number, perm: PmpAccess, priv: number): boolean {
    // no shortcut for M: a partial match fails even there, whatever L says (§6.4)
    const end = pa + size;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (lo >= hi) continue; // OFF or empty TOR
      if (end <= lo || pa >= hi) continue; // no byte matches
      if (pa < lo || end > hi) return false; // partial match fails, whatever L/R/W/X say
      const c = this.cfg[i];
      if (priv === 3 && !(c & PMP_L)) return true;
      return (c & perm) !== 0;
    }
    // No entry matches: M allowed; S/U denied, since entries are implemented (§6.4).
    return priv === 3;
  }

  /**
   * Decision for a whole 4 KiB page: 1 allowed for every byte, 0 denied for every byte, -1 mixed
   * (the TLB must not cache it and every access goes through `check`).
   */
  pageDecision(pageBase: number, perm: PmpAccess, priv: number): number {
    const end = pageBase + 4096;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (lo >= hi || end <= lo || pageBase >= hi) continue;
      if (pageBase < lo || end > hi) return -1;
      const c = this.cfg[i];
      if (priv === 3 && !(c & PMP_L)) return 1;
      return c & perm ? 1 : 0;
    }
    return priv === 3 ? 1 : 0;
  }
}
