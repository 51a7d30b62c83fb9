/**
 * System instructions, CSR instructions and atomics: everything the hot loop sends out of line.
 * Privilege rules of riscv.md §6.2 (xRET), §6.5 (TVM/TW/TSR), §6.8 (SFENCE.VMA).
 */
import { cboZeroEnabled, cboZeroSlow } from "./zicboz.ts";
import type { Hart } from "./hart.ts";
import { Op, OP_ILLEGAL } from "./opcodes.ts";
import { csrInstruction } from "./csrInstruction.ts";
import { mret, sret } from "./trap.ts";
import { atomic } from "./atomics.ts";
import { vaOf } from "./regPair.ts";
import { Cause, MS_TSR, MS_TVM, MS_TW, PRIV_M, PRIV_S, PRIV_U } from "./csrNumbers.ts";

/** Advance the pc and go on. */
export const RARE_NEXT = 0;
/** Advance the pc and end the slice (interrupt or translation state may have changed). */
export const RARE_CHANGED = 1;
/** The pc was set (xRET); end the slice. */
export const RARE_JUMPED = 2;
/** A trap was taken. */
export const RARE_TRAPPED = 3;

/** Execute a system/CSR/atomic instruction at pc (lo, hi); returns one of the RARE_* codes. */
export function execRare(
  h: Hart,
  op: number,
  d: number,
  a: number,
  b: number,
  imm: number,
  raw: number,
  lo: number,
  hi: number,
): number {
  switch (op) {
    case Op.ECALL:
      h.raise(h.priv === PRIV_U ? Cause.ecallU : h.priv === PRIV_S ? Cause.ecallS : Cause.ecallM, 0n);
      return RARE_TRAPPED;
    case Op.EBREAK:
      h.raise(Cause.breakpoint, vaOf(lo, hi));
      return RARE_TRAPPED;
    case Op.MRET:
      if (h.priv !== PRIV_M) break;
      mret(h);
      return RARE_JUMPED;
    case Op.SRET:
      if (h.priv < PRIV_S || (h.priv === PRIV_S && h.mstatus & MS_TSR)) break;
      sret(h);
      return RARE_JUMPED;
    case Op.WFI:
      // U-mode WFI is illegal when S-mode exists; in S only with TW=0 (§6.5)
      if (h.priv === PRIV_U || (h.priv === PRIV_S && h.mstatus & MS_TW)) break;
      if ((h.mipValue() & h.mie) === 0) h.waiting = true;
      return RARE_CHANGED;
    case Op.SFENCE_VMA:
      if (h.priv === PRIV_U || (h.priv === PRIV_S && h.mstatus & MS_TVM)) break;
      h.flushTranslations(); // over-fencing is always legal (§6.8)
      return RARE_CHANGED;
    case Op.CSRRW:
    case Op.CSRRS:
    case Op.CSRRC:
    case Op.CSRRWI:
    case Op.CSRRSI:
    case Op.CSRRCI:
      return csrInstruction(h, op, d, a, raw, imm) ? RARE_CHANGED : RARE_TRAPPED;
    case Op.CBO_ZERO:
      if (!cboZeroEnabled(h)) break; // illegal below M unless menvcfg/senvcfg.CBZE
      // the slice ends after it: the block may hold a doorbell or the code being run
      return cboZeroSlow(h, h.regs[a]!, h.regs[a + 1]!) ? RARE_CHANGED : RARE_TRAPPED;
    case OP_ILLEGAL:
      break;
    default:
      return atomic(h, op, d, a, b) ? RARE_NEXT : RARE_TRAPPED;
  }
  h.raise(Cause.illegal, BigInt(raw >>> 0));
  return RARE_TRAPPED;
}
