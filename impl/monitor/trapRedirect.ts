/**
 * Hand a trap that M-mode took from S or U back to S-mode, as OpenSBI's sbi_trap_redirect does:
 * scause/sepc/stval written, SPP/SPIE/SIE stacked, pc ← stvec; the monitor then returns with
 * MRET to S. Used for host faults the monitor does not handle (e.g. a rejected satp write: PT-1).
 */
import type { Hart } from "../riscv/hart.ts";
import { CSR, MS_MPP, MS_MPP_SHIFT, MS_SIE, MS_SPIE, MS_SPP } from "../riscv/csrNumbers.ts";

export function redirectToS(hart: Hart, cause: bigint, tval: bigint): void {
  const mstatus = Number(hart.csrRead(CSR.mstatus) & 0xffffffffn);
  const from = (mstatus & MS_MPP) >>> MS_MPP_SHIFT; // privilege the trap came from (S or U)
  hart.csrWrite(CSR.sepc, hart.csrRead(CSR.mepc));
  hart.csrWrite(CSR.scause, cause);
  hart.csrWrite(CSR.stval, tval);
  let s = mstatus & ~(MS_SPP | MS_SPIE | MS_SIE | MS_MPP);
  if (mstatus & MS_SIE) s |= MS_SPIE;
  if (from === 1) s |= MS_SPP;
  s |= 1 << MS_MPP_SHIFT; // MRET lands in S
  hart.csrWrite(CSR.mstatus, BigInt(s));
  hart.csrWrite(CSR.mepc, hart.csrRead(CSR.stvec) & ~3n);
}
