/**
 * Loads and stores that miss the TLB fast path: page-crossing misaligned accesses (split, both
 * pages resolved before any byte is written), CLINT MMIO, and every access whose translation or
 * PMP check faults (riscv.md §6.3, §6.4). Misaligned accesses succeed (issue 3: they are emulated).
 */
import type { Hart } from "./hart.ts";
import { ACC_R, ACC_W } from "./tlb.ts";
import { dataAccess, MMIO, TRAPPED } from "./mmu.ts";
import { CLINT_BASE } from "./clint.ts";
import { Cause } from "./csrNumbers.ts";
import { PMP_R, PMP_W, type PmpAccess } from "./pmp.ts";
import { RAM_BASE } from "./memory.ts";
import { readPair, vaOf, writePair } from "./regPair.ts";

/** RAM offsets of the `size` bytes at VA (vl, vh), or [MMIO, pa], or null after a trap. */
function resolve(h: Hart, vl: number, vh: number, size: number, acc: typeof ACC_R | typeof ACC_W, amo: boolean): number[] | null {
  const first = Math.min(size, 4096 - (vl & 0xfff));
  const o1 = dataAccess(h, vl, vh, first, acc, amo);
  if (o1 === TRAPPED) return null;
  if (first === size) return o1 === MMIO ? [MMIO, h.mmioPa] : [o1];
  const nl = (vl + first) | 0;
  const nh = nl >>> 0 < vl >>> 0 ? (vh + 1) | 0 : vh;
  const o2 = dataAccess(h, nl, nh, size - first, acc, amo);
  if (o2 === TRAPPED) return null;
  if (o1 === MMIO || o2 === MMIO) {
    h.raise(acc === ACC_R ? Cause.loadAccess : Cause.storeAccess, vaOf(vl, vh));
    return null;
  }
  // PMP judges the access as a whole: where the halves are physically contiguous, a PMP entry
  // that matches only part of it fails it (riscv.md §6.4), as QEMU does
  const perm: PmpAccess = acc === ACC_R ? PMP_R : PMP_W;
  if (o2 === o1 + first && !h.pmp.check(o1 + RAM_BASE, size, perm, h.dataPriv)) {
    h.raise(acc === ACC_R ? Cause.loadAccess : Cause.storeAccess, vaOf(vl, vh));
    return null;
  }
  const parts: number[] = [];
  for (let k = 0; k < first; k++) parts.push(o1 + k);
  for (let k = 0; k < size - first; k++) parts.push(o2 + k);
  return parts;
}

/** Read `size` bytes (little-endian) at VA as an unsigned bigint, or null after a trap. */
export function readBytes(h: Hart, vl: number, vh: number, size: number, amo = false): bigint | null {
  const r = resolve(h, vl, vh, size, amo ? ACC_W : ACC_R, amo);
  if (r === null) return null;
  if (r[0] === MMIO) {
    const v = h.clint.load(r[1] - CLINT_BASE, size);
    if (v === undefined) {
      h.raise(amo ? Cause.storeAccess : Cause.loadAccess, vaOf(vl, vh));
      return null;
    }
    return v;
  }
  const bytes = h.mem.bytes;
  let v = 0n;
  for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[r.length === 1 ? r[0] + k : r[k]]);
  return v;
}

/** Write `size` bytes of v at VA; false after a trap. A CLINT store ends the hart's slice. */
export function writeBytes(h: Hart, vl: number, vh: number, size: number, v: bigint, amo = false): boolean {
  const r = resolve(h, vl, vh, size, ACC_W, amo);
  if (r === null) return false;
  if (r[0] === MMIO) {
    if (h.clint.store(r[1] - CLINT_BASE, size, v)) {
      h.yieldSlice(); // msip/mtimecmp changed: interrupts are re-evaluated before the next instruction
      return true;
    }
    h.raise(Cause.storeAccess, vaOf(vl, vh));
    return false;
  }
  const bytes = h.mem.bytes;
  for (let k = 0; k < size; k++) {
    const o = r.length === 1 ? r[0] + k : r[k];
    bytes[o] = Number((v >> BigInt(8 * k)) & 0xffn);
    if (h.mem.pageFlags[o >>> 12] !== 0) h.mem.storeSideEffects(o, 1, h.id);
  }
  return true;
}

/** A load of `size` bytes (`signed`: sign-extend) into register slot d; false after a trap. */
export function loadSlow(h: Hart, size: number, signed: boolean, vl: number, vh: number, d: number): boolean {
  const v = readBytes(h, vl, vh, size);
  if (v === null) return false;
  writePair(h.regs, d, signed ? BigInt.asIntN(size * 8, v) : v);
  return true;
}

/** A store of the low `size` bytes of register slot b; false after a trap. */
export function storeSlow(h: Hart, size: number, vl: number, vh: number, b: number): boolean {
  return writeBytes(h, vl, vh, size, readPair(h.regs, b) & ((1n << BigInt(size * 8)) - 1n));
}
