/**
 * Entering and leaving an enclave on a hart (PGL §3.1 "Context switch"): the host's registers and
 * trap configuration are saved in the enclave record; the enclave runs in U-mode on its own page
 * table with medeleg = mideleg = 0, so every ecall, fault and interrupt comes to the monitor, and
 * only the M timer and M software interrupts enabled (PGL §2.1, §6.1). Leaving restores the host
 * exactly and hands it the result with the host return convention (PGL §1.1).
 */
import type { Hart } from "../../riscv/hart.ts";
import { mutant } from "../../mutants.ts";
import { CSR, MIP_MSIP, MIP_MTIP, MIP_STIP } from "../../riscv/csrNumbers.ts";
import { setHostResult } from "../sbiResult.ts";
import { PAGE } from "../platform.ts";
import type { EnclaveRecord, SavedRegs } from "./enclaveRecord.ts";

const SATP_SV39 = 8n << 60n;
const MPP_SHIFT = 11n;

function saveRegs(hart: Hart, pc: bigint): SavedRegs {
  const x: bigint[] = [0n];
  for (let i = 1; i < 32; i++) x.push(hart.x(i));
  return { x, pc };
}

function loadRegs(hart: Hart, r: SavedRegs): void {
  for (let i = 1; i < 32; i++) hart.setX(i, r.x[i]);
  hart.csrWrite(CSR.mepc, r.pc);
}

function setMpp(hart: Hart, priv: bigint): void {
  const s = hart.csrRead(CSR.mstatus) & ~(3n << MPP_SHIFT);
  hart.csrWrite(CSR.mstatus, s | (priv << MPP_SHIFT));
}

/**
 * Switch `hart` from the host (whose ecall is being handled: mepc already past it) into `e`.
 * `regs` gives the enclave's registers (a fresh start) or null to resume its saved context.
 */
export function enterEnclave(hart: Hart, e: EnclaveRecord, fresh: SavedRegs | null): void {
  e.host = {
    ...saveRegs(hart, hart.csrRead(CSR.mepc)),
    satp: hart.csrRead(CSR.satp),
    medeleg: hart.csrRead(CSR.medeleg),
    mideleg: hart.csrRead(CSR.mideleg),
    mie: hart.csrRead(CSR.mie),
  };
  const hostSp = hart.x(2);
  loadRegs(hart, fresh ?? e.ctx!);
  if (mutant("M30") && !fresh) hart.setX(2, hostSp); // M30: sp left as the host had it on a resume
  e.ctx = null;
  hart.csrWrite(CSR.satp, SATP_SV39 | (e.root / PAGE)); // flushes the hart's TLB
  hart.csrWrite(CSR.medeleg, 0n);
  hart.csrWrite(CSR.mideleg, 0n);
  hart.csrWrite(CSR.mie, BigInt(MIP_MTIP | MIP_MSIP));
  setMpp(hart, 0n);
  e.hart = hart.id;
  e.state = "running";
}

/**
 * Switch `hart` from enclave `e` back to its host with result `r`. `save` keeps the enclave's
 * registers (with pc = `resumePc`) for a later resume; otherwise they are dropped (exit/destroy).
 */
export function leaveEnclave(hart: Hart, e: EnclaveRecord, r: bigint, save: { resumePc: bigint } | null): void {
  e.ctx = save ? saveRegs(hart, save.resumePc) : null;
  const host = e.host!;
  loadRegs(hart, host);
  hart.csrWrite(CSR.satp, host.satp);
  hart.csrWrite(CSR.medeleg, host.medeleg);
  hart.csrWrite(CSR.mideleg, host.mideleg);
  hart.csrWrite(CSR.mie, host.mie);
  setMpp(hart, 1n);
  setHostResult(hart, r);
  e.host = null;
  e.hart = -1;
}

/** After a timer preemption the host must see its own timer interrupt (PGL §6.1, as OpenSBI). */
export function forwardTimerToHost(hart: Hart): void {
  hart.csrWrite(CSR.mie, hart.csrRead(CSR.mie) & ~BigInt(MIP_MTIP));
  hart.csrWrite(CSR.mip, hart.csrRead(CSR.mip) | BigInt(MIP_STIP));
}
