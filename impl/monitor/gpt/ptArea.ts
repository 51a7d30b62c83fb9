/**
 * The page-table area (PGL §4.2): one NAPOT block holding every host page-table page, split into
 * a PGD sub-area (root tables, 2^pgdOrder pages), a PMD sub-area (2^pmdOrder pages) and the rest
 * for PTE pages. The sub-area of a table page fixes its level, which is what lets the monitor
 * check next-level pointers (PT-3).
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import { PAGE } from "../platform.ts";

export type SubArea = "pgd" | "pmd" | "pte";

export class PtArea {
  readonly pmdBase: bigint;
  readonly pteBase: bigint;
  readonly end: bigint;
  /**
   * 1 for each page of the area that may hold a non-zero entry. SM_INIT puts the area behind a
   * read-only PMP entry, so after one scan of what the host built before ({@link noteContents}) only
   * the monitor's own writes ({@link noteWrite}) change it: unmap_mm_region's linear scan (PGL §4.5)
   * then skips pages that are all zero. (A private field: not part of the monitor's JSON state.)
   */
  readonly #used: Uint8Array;

  constructor(
    readonly base: bigint,
    readonly size: bigint,
    readonly pgdOrder: number,
    readonly pmdOrder: number,
  ) {
    this.pmdBase = base + (1n << BigInt(pgdOrder)) * PAGE;
    this.pteBase = this.pmdBase + (1n << BigInt(pmdOrder)) * PAGE;
    this.end = base + size;
    this.#used = new Uint8Array(Number(size / PAGE));
  }

  /** Mark every page of the area that holds a non-zero word now (the host's writes before SM_INIT). */
  noteContents(mem: PhysicalMemory): void {
    const w0 = Number(this.base - mem.base) >>> 2;
    const first = w0 >>> 10;
    for (let p = 0; p < this.#used.length; p++) {
      if (this.#used[p] || mem.pristine(first + p)) continue; // a page never written is all zero
      for (let i = w0 + p * 1024, end = i + 1024; i < end; i++)
        if (mem.words[i] !== 0) {
          this.#used[p] = 1;
          break;
        }
    }
  }

  /** The monitor wrote the entry at `pa` (inside the area). */
  noteWrite(pa: bigint): void {
    this.#used[Number((pa - this.base) / PAGE)] = 1;
  }

  /** PAs of the pages that may hold non-zero entries, in order. */
  *usedPages(): Generator<bigint> {
    for (let p = 0; p < this.#used.length; p++) if (this.#used[p]) yield this.base + BigInt(p) * PAGE;
  }

  /** Are the sub-area orders consistent with the area's size (something left for PTE pages)? */
  valid(): boolean {
    return this.pgdOrder >= 0 && this.pmdOrder >= 0 && this.pteBase < this.end;
  }

  contains(pa: bigint, len = 1n): boolean {
    return pa >= this.base && pa + len <= this.end;
  }

  /** Sub-area of a physical address inside the area. */
  subArea(pa: bigint): SubArea {
    return pa < this.pmdBase ? "pgd" : pa < this.pteBase ? "pmd" : "pte";
  }

  /** Is `pa` (a table's physical address) the root of a host page table (PGD sub-area)? (PT-1) */
  isRoot(pa: bigint): boolean {
    return pa % PAGE === 0n && pa >= this.base && pa < this.pmdBase;
  }
}
