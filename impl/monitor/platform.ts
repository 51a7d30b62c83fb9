/**
 * The physical layout the monitor protects (PGL §4.1): the SM region at the bottom of DRAM, the
 * page-table area and the page-metadata bitmap the host registers with SM_INIT, and the PMP
 * entries that enforce them. Penglai numbers: SM region = 2 MiB at DRAM_BASE (PMP 0, no access),
 * pt_area (PMP 1, read-only for S/U), mbitmap (PMP 2, no access), all memory (PMP 7, RWX).
 */
export const DRAM_BASE = 0x8000_0000n;
export const SM_BASE = DRAM_BASE;
export const SM_SIZE = 0x20_0000n;
export const PAGE = 4096n;

/** PMP entry numbers (PGL §4.1). */
export const PMP_SM = 0;
export const PMP_PT_AREA = 1;
export const PMP_BITMAP = 2;
export const PMP_ALL = 7;

/** A naturally aligned power-of-two region, as a NAPOT PMP entry can express it. */
export interface NapotRegion {
  base: bigint;
  size: bigint;
}

/** Is `size` a power of two ≥ 4 KiB and `base` aligned to it? */
export function isNapot(r: NapotRegion): boolean {
  return r.size >= PAGE && (r.size & (r.size - 1n)) === 0n && r.base % r.size === 0n;
}

/** Do [a, a+as) and [b, b+bs) overlap? */
export function overlaps(a: bigint, as: bigint, b: bigint, bs: bigint): boolean {
  return a < b + bs && b < a + as;
}

/** pmpaddr value of a NAPOT region (PA[55:2] with trailing ones encoding the size). */
export function napotAddr(r: NapotRegion): bigint {
  return (r.base >> 2n) | ((r.size >> 3n) - 1n);
}
