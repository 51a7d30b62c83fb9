/**
 * With mstatus.TVM set, every S-mode access to satp and every S-mode SFENCE.VMA traps to M as an
 * illegal instruction (riscv.md §6.5); the monitor emulates them (PGL §4.4) with the intended rule
 * of design.md: a satp write is accepted only for Sv39 with the FULL root PPN inside the PGD
 * sub-area (PT-1); a rejected write changes nothing and S-mode receives the illegal-instruction trap.
 */
import type { Hart } from "../../riscv/hart.ts";
import type { PtArea } from "./ptArea.ts";

const CSR_SATP = 0x180;
const SYSTEM = 0x73;
const SYSTEM_MASK = 0x7f;
const SFENCE_MASK = 0xfe007fff;
const SFENCE_MATCH = 0x12000073;

/** Outcome: handled (the instruction completed), or must be redirected to S as illegal. */
export type Emulation = "done" | "illegal";

/** Is this (trapped) instruction an S-mode satp access or SFENCE.VMA we emulate? */
export function isTvmTrap(insn: number): boolean {
  if ((insn & SYSTEM_MASK) !== SYSTEM) return false;
  if ((insn & SFENCE_MASK) >>> 0 === SFENCE_MATCH) return true;
  const funct3 = (insn >>> 12) & 7;
  return funct3 !== 0 && funct3 !== 4 && insn >>> 20 === CSR_SATP;
}

/** Emulate the satp access / sfence `insn` for `hart` (its mepc points at the instruction). */
export function emulateTvm(hart: Hart, insn: number, area: PtArea | null): Emulation {
  if ((insn & SFENCE_MASK) >>> 0 === SFENCE_MATCH) {
    hart.flushTranslations(); // over-fencing is legal (riscv.md §6.8)
    return "done";
  }
  const funct3 = (insn >>> 12) & 7;
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const imm = funct3 >= 5;
  const src = imm ? BigInt(rs1) : hart.x(rs1);
  const old = hart.csrRead(CSR_SATP);
  const op = funct3 & 3; // 1 RW, 2 RS, 3 RC
  const writes = op === 1 || rs1 !== 0;
  if (writes) {
    const v = op === 1 ? src : op === 2 ? old | src : old & ~src;
    if (!acceptableSatp(v, area)) return "illegal";
    hart.csrWrite(CSR_SATP, v);
  }
  hart.setX(rd, old);
  return "done";
}

/** PT-1: Sv39, and the root table (full 44-bit PPN) is a page of the PGD sub-area. */
export function acceptableSatp(v: bigint, area: PtArea | null): boolean {
  if (area === null) return false;
  if (v >> 60n !== 8n) return false;
  return area.isRoot((v & ((1n << 44n) - 1n)) << 12n);
}
