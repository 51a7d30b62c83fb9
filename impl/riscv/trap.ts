/**
 * Trap entry, trap return and interrupt selection (riscv.md §6.2 "Traps, privilege stack,
 * delegation").
 */
import type { Hart } from "./hart.ts";
import {
  IRQ_PRIORITY,
  MS_MIE,
  MS_MPIE,
  MS_MPP,
  MS_MPP_SHIFT,
  MS_MPRV,
  MS_SIE,
  MS_SPIE,
  MS_SPP,
  PRIV_M,
  PRIV_S,
  PRIV_U,
} from "./csrNumbers.ts";

const INTERRUPT_BIT = 1n << 63n;

/**
 * Take a trap with `cause` (interrupt when `interrupt`), trap value `tval`, from the hart's current
 * privilege y, with xEPC = the hart's pc. Exceptions raised in S/U with medeleg[cause] go to S,
 * interrupts with mideleg[cause] likewise; nothing is ever taken into a less privileged mode.
 */
export function takeTrap(h: Hart, cause: number, tval: bigint, interrupt: boolean): void {
  const y = h.priv;
  const deleg = interrupt ? h.mideleg : h.medeleg;
  const epc = h.pcBig();
  const xcause = interrupt ? INTERRUPT_BIT | BigInt(cause) : BigInt(cause);
  let base: bigint;
  if (y <= PRIV_S && (deleg >>> cause) & 1) {
    h.sepc = epc;
    h.scause = xcause;
    h.stval = tval;
    let s = h.mstatus & ~(MS_SPIE | MS_SIE | MS_SPP);
    if (h.mstatus & MS_SIE) s |= MS_SPIE;
    if (y === PRIV_S) s |= MS_SPP;
    h.setMstatus(s);
    h.setPriv(PRIV_S);
    base = vector(h.stvec, cause, interrupt);
  } else {
    h.mepc = epc;
    h.mcause = xcause;
    h.mtval = tval;
    let s = h.mstatus & ~(MS_MPIE | MS_MIE | MS_MPP);
    if (h.mstatus & MS_MIE) s |= MS_MPIE;
    s |= y << MS_MPP_SHIFT;
    h.setMstatus(s);
    h.setPriv(PRIV_M);
    base = vector(h.mtvec, cause, interrupt);
  }
  h.setPc(base);
  if (h.priv === PRIV_M && h.firmware) {
    // TypeScript firmware owns M-mode: it sees the architectural trap state, then returns via MRET.
    h.firmware(h);
    mret(h);
  }
}

/** xtvec: BASE, plus 4×cause for interrupts when MODE = 1 (vectored). */
function vector(tvec: bigint, cause: number, interrupt: boolean): bigint {
  const base = tvec & ~3n;
  return interrupt && (tvec & 3n) === 1n ? base + BigInt(4 * cause) : base;
}

/** MRET: MIE ← MPIE, priv ← MPP, MPIE ← 1, MPP ← U, MPRV ← 0 if returning below M; pc ← mepc. */
export function mret(h: Hart): void {
  const s = h.mstatus;
  const y = (s & MS_MPP) >>> MS_MPP_SHIFT;
  let n = s & ~(MS_MIE | MS_MPP);
  if (s & MS_MPIE) n |= MS_MIE;
  n |= MS_MPIE;
  if (y !== PRIV_M) n &= ~MS_MPRV;
  h.setMstatus(n);
  h.setPriv(y);
  h.setPc(h.mepc);
}

/** SRET: SIE ← SPIE, priv ← SPP, SPIE ← 1, SPP ← U, MPRV ← 0; pc ← sepc. */
export function sret(h: Hart): void {
  const s = h.mstatus;
  const y = s & MS_SPP ? PRIV_S : PRIV_U;
  let n = s & ~(MS_SIE | MS_SPP | MS_MPRV);
  if (s & MS_SPIE) n |= MS_SIE;
  n |= MS_SPIE;
  h.setMstatus(n);
  h.setPriv(y);
  h.setPc(h.sepc);
}

/**
 * The interrupt to take now, or -1 (§6.2): M-level (not delegated) interrupts are enabled when
 * priv < M or MIE; S-level (delegated) when priv < S or (priv = S and SIE); M beats S; then the
 * fixed priority MEI > MSI > MTI > SEI > SSI > STI.
 */
export function pendingInterrupt(h: Hart): number {
  const pending = h.mipValue() & h.mie;
  if (pending === 0) return -1;
  const m = pending & ~h.mideleg;
  if (m !== 0 && (h.priv < PRIV_M || h.mstatus & MS_MIE)) return highest(m);
  const s = pending & h.mideleg;
  if (s !== 0 && (h.priv < PRIV_S || (h.priv === PRIV_S && h.mstatus & MS_SIE))) return highest(s);
  return -1;
}

function highest(bits: number): number {
  for (const i of IRQ_PRIORITY) if ((bits >>> i) & 1) return i;
  return -1;
}
