/**
 * Zicboz: cbo.zero zeroes the naturally aligned cache block holding x[rs1] as a store of the whole
 * block would — translated with write permission (store/AMO page fault), checked by PMP (store access
 * fault), A/D updated — with stval the block's address (as QEMU's helper_cbo_zero). The block is
 * 64 bytes (QEMU's default `cboz_blocksize`; Linux reads it from `riscv,cboz-block-size`). Below M,
 * menvcfg.CBZE enables it for S and U, and senvcfg.CBZE for U; otherwise it is an illegal instruction.
 * The hart's executor has the TLB fast path; this is everything else.
 */
import type { Hart } from "./hart.ts";
import { ACC_W } from "./tlb.ts";
import { dataAccess, MMIO, TRAPPED } from "./mmu.ts";
import { Cause, PRIV_M, PRIV_U } from "./csrNumbers.ts";
import { vaOf } from "./regPair.ts";

/** Bytes a cbo.zero clears. */
export const CBOZ_BLOCK = 64;
/** The CBZE bit of menvcfg and senvcfg. */
export const ENVCFG_CBZE = 1n << 7n;

/** May the hart execute cbo.zero at its current privilege? */
export function cboZeroEnabled(h: Hart): boolean {
  if (h.priv === PRIV_M) return true;
  if ((h.menvcfg & ENVCFG_CBZE) === 0n) return false;
  return h.priv !== PRIV_U || (h.senvcfg & ENVCFG_CBZE) !== 0n;
}

/**
 * cbo.zero at VA (vl, vh) without the TLB: the block's RAM is zeroed, or the hart took the trap
 * (false). The caller has checked {@link cboZeroEnabled}.
 */
export function cboZeroSlow(h: Hart, vl: number, vh: number): boolean {
  const bl = vl & -CBOZ_BLOCK;
  const o = dataAccess(h, bl, vh, CBOZ_BLOCK, ACC_W);
  if (o === TRAPPED) return false;
  if (o === MMIO) {
    h.raise(Cause.storeAccess, vaOf(bl, vh)); // the CLINT takes no block writes
    return false;
  }
  zeroBlock(h, o);
  return true;
}

/** Zero the block at RAM offset `o` (block-aligned) with the side effects of a store. */
export function zeroBlock(h: Hart, o: number): void {
  const w = h.mem.words;
  for (let i = o >>> 2, end = i + CBOZ_BLOCK / 4; i < end; i++) w[i] = 0; // (fill() costs more for 16 words)
  if (h.mem.pageFlags[o >>> 12] !== 0) h.mem.storeSideEffects(o, CBOZ_BLOCK, h.id);
}
