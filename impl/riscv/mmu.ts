/**
 * Address translation and physical checks on the slow path (riscv.md §6.3 Sv39, §6.4 PMP,
 * §6.6 MPRV/SUM/MXR). The fast path is the TLB lookup inlined in the executor; everything that
 * misses it comes here. Faults are raised on the hart and reported as a negative result.
 */
import type { Hart } from "./hart.ts";
import { ACC_R, ACC_W, ACC_X, type Access } from "./tlb.ts";
import { PMP_R, PMP_W, PMP_X, type PmpAccess } from "./pmp.ts";
import { CLINT_BASE, CLINT_SIZE } from "./clint.ts";
import { RAM_BASE } from "./memory.ts";
import { Cause, MS_MXR, MS_SUM, PRIV_M, PRIV_S, PRIV_U } from "./csrNumbers.ts";
import { vaOf } from "./regPair.ts";

const PTE_V = 1,
  PTE_R = 2,
  PTE_W = 4,
  PTE_X = 8,
  PTE_U = 16,
  PTE_A = 64,
  PTE_D = 128;

/** Result: the access was trapped (the hart already took the fault). */
export const TRAPPED = -1;
/** Result of `dataAccess`: the address is the CLINT; `hart.mmioPa` holds it. */
export const MMIO = -2;

const PAGE_FAULT = [Cause.loadPage, Cause.storePage, Cause.fetchPage];
const ACCESS_FAULT = [Cause.loadAccess, Cause.storeAccess, Cause.fetchAccess];
const PMP_PERM: PmpAccess[] = [PMP_R, PMP_W, PMP_X];

/**
 * Translate VA (lo, hi) for `acc` at effective privilege `priv`. Returns the physical address (a
 * double, exact below 2^53; larger addresses are never RAM or MMIO) or TRAPPED.
 */
export function translate(h: Hart, lo: number, hi: number, acc: Access, priv: number): number {
  if (priv === PRIV_M || h.satpMode === 0) {
    // Bare: PA = VA. Upper bits set ⇒ beyond the physical address space ⇒ access fault later.
    return (hi >>> 0) * 4294967296 + (lo >>> 0);
  }
  // Sv39: VA[63:39] must equal VA[38], else a page fault (§6.3)
  const top = hi >> 6;
  if (top !== 0 && top !== -1) return pageFault(h, lo, hi, acc);
  const vpn = [(lo >>> 12) & 0x1ff, (lo >>> 21) & 0x1ff, ((hi & 0x7f) << 2) | (lo >>> 30)];
  const view = h.mem.view;
  let a = h.satpPpn * 4096; // Step 1 of VATP
  let level = 2;
  let pteLo = 0,
    pteHi = 0,
    pteOff = 0;
  for (;;) {
    // Step 2: pte = mem[a + vpn[i]·8], checked as an S-mode read (PMP applies to the walk, §6.4)
    const pteAddr = a + vpn[level] * 8;
    pteOff = h.mem.offsetOf(pteAddr, 8);
    if (pteOff < 0 || !h.pmp.check(pteAddr, 8, PMP_R, PRIV_S)) return accessFault(h, lo, hi, acc);
    pteLo = view.getInt32(pteOff, true);
    pteHi = view.getInt32(pteOff + 4, true);
    // Step 3: invalid, reserved W-without-R, or reserved bits 63:54 set ⇒ page fault
    if (!(pteLo & PTE_V) || (!(pteLo & PTE_R) && pteLo & PTE_W) || pteHi >>> 22 !== 0) return pageFault(h, lo, hi, acc);
    // Step 4: R or X set ⇒ leaf; otherwise descend. A pointer with D, A or U set (reserved for
    // non-leaf PTEs) faults, as QEMU does — riscv.md §6.3 leaves them to software to clear.
    if (pteLo & (PTE_R | PTE_X)) break;
    if (pteLo & (PTE_A | PTE_D | PTE_U)) return pageFault(h, lo, hi, acc);
    if (level === 0) return pageFault(h, lo, hi, acc);
    level--;
    a = ppnOf(pteLo, pteHi) * 4096;
  }
  // Step 5: permissions
  if (!permitted(h, pteLo, acc, priv)) return pageFault(h, lo, hi, acc);
  const ppn = ppnOf(pteLo, pteHi);
  // Step 6: misaligned superpage
  const lowMask = level === 2 ? 0x3ffff : level === 1 ? 0x1ff : 0;
  if (ppn % (lowMask + 1) !== 0) return pageFault(h, lo, hi, acc);
  // Step 7: A/D, updated by hardware (Svadu-style); the PTE store must pass PMP
  const needD = acc === ACC_W;
  if (!(pteLo & PTE_A) || (needD && !(pteLo & PTE_D))) {
    const pteAddr = pteOff + RAM_BASE;
    if (!h.pmp.check(pteAddr, 8, PMP_W, PRIV_S)) return accessFault(h, lo, hi, acc);
    pteLo |= PTE_A | (needD ? PTE_D : 0);
    view.setInt32(pteOff, pteLo, true);
    h.mem.storeSideEffects(pteOff, 8, h.id);
  }
  // A store to a page whose D bit was already set may be cached for stores; a load/fetch entry never
  // implies anything about D, so caching is per access kind.
  // Step 8: superpage ⇒ low VPN bits pass through
  const pageVpnLow = level === 2 ? (vpn[1] << 9) | vpn[0] : level === 1 ? vpn[0] : 0;
  return (ppn + pageVpnLow) * 4096 + (lo & 0xfff);
}

function ppnOf(pteLo: number, pteHi: number): number {
  return (pteHi & 0x3fffff) * 4194304 + (pteLo >>> 10);
}

function permitted(h: Hart, pte: number, acc: Access, priv: number): boolean {
  if (pte & PTE_U) {
    if (priv === PRIV_S) {
      // S may never execute U pages; data needs SUM (§6.3)
      if (acc === ACC_X || !(h.mstatus & MS_SUM)) return false;
    }
  } else if (priv === PRIV_U) return false;
  if (acc === ACC_X) return (pte & PTE_X) !== 0;
  if (acc === ACC_R) return (pte & PTE_R) !== 0 || ((h.mstatus & MS_MXR) !== 0 && (pte & PTE_X) !== 0);
  return (pte & PTE_W) !== 0;
}

function pageFault(h: Hart, lo: number, hi: number, acc: Access): number {
  h.raise(PAGE_FAULT[acc], vaOf(lo, hi));
  return TRAPPED;
}

function accessFault(h: Hart, lo: number, hi: number, acc: Access): number {
  h.raise(ACCESS_FAULT[acc], vaOf(lo, hi));
  return TRAPPED;
}

/**
 * Resolve a data access of `size` bytes within one page: RAM offset (≥ 0), MMIO (CLINT; the PA
 * is left in `hart.mmioPa`) or TRAPPED. Fills the TLB when the whole page is cacheable.
 * AMOs pass ACC_W and need R as well as W from PMP (a failure is a store/AMO access fault).
 */
export function dataAccess(h: Hart, lo: number, hi: number, size: number, acc: Access, amo = false): number {
  const priv = h.dataPriv;
  const pa = translate(h, lo, hi, acc, priv);
  if (pa < 0) return TRAPPED;
  return physical(h, pa, lo, hi, size, acc, priv, amo);
}

function physical(h: Hart, pa: number, lo: number, hi: number, size: number, acc: Access, priv: number, amo: boolean): number {
  const perm = PMP_PERM[acc];
  if (!h.pmp.check(pa, size, perm, priv) || (amo && !h.pmp.check(pa, size, PMP_R, priv))) {
    return accessFault(h, lo, hi, acc);
  }
  const off = h.mem.offsetOf(pa, size);
  if (off >= 0) {
    // the TLB keeps the page only if PMP allows every byte of it (a page-granular decision)
    const page = pa - (pa % 4096);
    if (h.pmp.pageDecision(page, perm, priv) === 1) h.tlb.fill(acc, priv, hi * 1048576 + (lo >>> 12), lo, page - RAM_BASE);
    return off;
  }
  if (acc !== ACC_X && pa >= CLINT_BASE && pa + size <= CLINT_BASE + CLINT_SIZE) {
    h.mmioPa = pa;
    return MMIO;
  }
  return accessFault(h, lo, hi, acc);
}

/**
 * Resolve an instruction fetch of the halfword at pc = (lo, hi): RAM offset or TRAPPED.
 * Fills the fetch TLB when cacheable.
 */
export function fetchAccess(h: Hart, lo: number, hi: number): number {
  const pa = translate(h, lo, hi, ACC_X, h.priv);
  if (pa < 0) return TRAPPED;
  return physical(h, pa, lo, hi, 2, ACC_X, h.priv, false);
}
