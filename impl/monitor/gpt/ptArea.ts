/**
 * The page-table area (PGL §4.2): one NAPOT block holding every host page-table page, split into
 * a PGD sub-area (root tables, 2^pgdOrder pages), a PMD sub-area (2^pmdOrder pages) and the rest
 * for PTE pages. The sub-area of a table page fixes its level, which is what lets the monitor
 * check next-level pointers (PT-3).
 */
import { PAGE } from "../platform.ts";

export type SubArea = "pgd" | "pmd" | "pte";

export class PtArea {
  readonly pmdBase: bigint;
  readonly pteBase: bigint;
  readonly end: bigint;

  constructor(
    readonly base: bigint,
    readonly size: bigint,
    readonly pgdOrder: number,
    readonly pmdOrder: number,
  ) {
    this.pmdBase = base + (1n << BigInt(pgdOrder)) * PAGE;
    this.pteBase = this.pmdBase + (1n << BigInt(pmdOrder)) * PAGE;
    this.end = base + size;
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
