/**
 * CSRRW/CSRRS/CSRRC and their immediate forms (Zicsr), with the access rules of riscv.md §6.1:
 * CSRRW[I] with rd = x0 does not read; CSRRS/C with rs1 = x0 and CSRRS/CI with uimm = 0 do not
 * write (so they are legal on read-only CSRs and have no write side effects).
 */
import type { Hart } from "./hart.ts";
import { Op } from "./opcodes.ts";
import { csrPermitted, csrRead, csrWrite } from "./csr.ts";
import { Cause, CSR } from "./csrNumbers.ts";
import { X0_SINK } from "./decode.ts";
import { readPair, writePair } from "./regPair.ts";

/** Execute the CSR instruction; false when it raised illegal-instruction. */
export function csrInstruction(h: Hart, op: number, d: number, a: number, raw: number, csr: number): boolean {
  const imm = op === Op.CSRRWI || op === Op.CSRRSI || op === Op.CSRRCI;
  const rs1Field = a >> 1; // register number, or uimm for the immediate forms
  const isWrite = op === Op.CSRRW || op === Op.CSRRWI;
  const writes = isWrite || rs1Field !== 0;
  const reads = !isWrite || d !== X0_SINK * 2;
  if (!csrPermitted(h, csr, writes)) {
    h.raise(Cause.illegal, BigInt(raw >>> 0));
    return false;
  }
  const src = imm ? BigInt(rs1Field) : readPair(h.regs, a);
  const old = reads ? (csrRead(h, csr) ?? 0n) : 0n;
  if (writes) {
    const v = isWrite ? src : op === Op.CSRRS || op === Op.CSRRSI ? old | src : old & ~src;
    if (csr === CSR.minstret || csr === CSR.instret) h.writeInstret(v, 1);
    else if (csr === CSR.mcycle || csr === CSR.cycle) h.writeCycle(v, 1);
    else csrWrite(h, csr, v);
  }
  writePair(h.regs, d, old);
  return true;
}
