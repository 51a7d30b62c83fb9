/**
 * The hart's translation cache (not architectural; riscv.md §6.3, §6.8): direct-mapped, 256 sets
 * per (access kind, effective privilege). An entry maps a virtual page key to the RAM offset of the
 * physical page and exists only if the whole page is permitted for that access: translation
 * succeeded with A (and D for stores) already set, and PMP allows every byte of the page.
 * Flushed on SFENCE.VMA, satp writes, PMP writes and SUM/MXR changes.
 */
export const ACC_R = 0;
export const ACC_W = 1;
export const ACC_X = 2;
export type Access = typeof ACC_R | typeof ACC_W | typeof ACC_X;

export const TLB_SETS = 256;

export class Tlb {
  /** Page key (hi·2^20 + lo>>>12 of the VA) per entry; NaN = empty. */
  readonly tag = new Float64Array(3 * 4 * TLB_SETS).fill(NaN);
  /** RAM byte offset of the physical page per entry. */
  readonly off = new Int32Array(3 * 4 * TLB_SETS);
  /**
   * Indexes of the entries filled since the last flush (`filledCount` of them, repeats possible), or
   * `filledCount` −1 once more were filled than the list holds: a flush then clears only these, and a
   * checker looks only at these.
   */
  readonly filled = new Int32Array(1024);
  filledCount = 0;

  /** Base index of the sets for (access, privilege). */
  static base(acc: Access, priv: number): number {
    return (acc * 4 + priv) * TLB_SETS;
  }

  flush(): void {
    if (this.filledCount < 0) this.tag.fill(NaN);
    else for (let j = 0; j < this.filledCount; j++) this.tag[this.filled[j]!] = NaN;
    this.filledCount = 0;
  }

  fill(acc: Access, priv: number, key: number, lo: number, ramPageOffset: number): void {
    const i = Tlb.base(acc, priv) + ((lo >>> 12) & (TLB_SETS - 1));
    this.tag[i] = key;
    this.off[i] = ramPageOffset;
    const n = this.filledCount;
    if (n >= 0) {
      if (n < this.filled.length) this.filled[(this.filledCount = n + 1) - 1] = i;
      else this.filledCount = -1;
    }
  }
}
