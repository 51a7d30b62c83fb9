/**
 * Instruction tables: each mnemonic with its encoder and its operand syntax, so the assembler
 * ({@link ./asm.ts}) can both encode and print a GNU-as-compatible listing line (the listing is what a
 * differential mismatch report shows, and what the cross-check test feeds back to `as`).
 */
import * as E from "./encode.ts";
import * as C from "./compressed.ts";

/** Operand syntax of a 32-bit instruction. */
export type Fmt32 =
  | "R" // rd, rs1, rs2
  | "I" // rd, rs1, imm
  | "SH" // rd, rs1, shamt
  | "L" // rd, imm(rs1)
  | "S" // rs2, imm(rs1)   (args: rs2, rs1, imm)
  | "B" // rs1, rs2, .+off
  | "U" // rd, imm20
  | "J" // rd, .+off
  | "CSR" // rd, csr, rs1
  | "CSRI" // rd, csr, uimm
  | "SFENCE" // rs1, rs2
  | "NONE";

/** One row of the 32-bit table. */
export interface Insn32 { enc: (...a: number[]) => number; fmt: Fmt32 }

const r = (enc: (a: number, b: number, c: number) => number): Insn32 => ({ enc: enc as Insn32["enc"], fmt: "R" });

/** All 32-bit mnemonics the assembler knows (A-extension ops are in {@link Asm.amo}). */
export const I32 = {
  lui: { enc: E.lui, fmt: "U" }, auipc: { enc: E.auipc, fmt: "U" }, jal: { enc: E.jal, fmt: "J" },
  jalr: { enc: E.jalr, fmt: "L" },
  beq: { enc: E.beq, fmt: "B" }, bne: { enc: E.bne, fmt: "B" }, blt: { enc: E.blt, fmt: "B" },
  bge: { enc: E.bge, fmt: "B" }, bltu: { enc: E.bltu, fmt: "B" }, bgeu: { enc: E.bgeu, fmt: "B" },
  lb: { enc: E.lb, fmt: "L" }, lh: { enc: E.lh, fmt: "L" }, lw: { enc: E.lw, fmt: "L" }, ld: { enc: E.ld, fmt: "L" },
  lbu: { enc: E.lbu, fmt: "L" }, lhu: { enc: E.lhu, fmt: "L" }, lwu: { enc: E.lwu, fmt: "L" },
  sb: { enc: E.sb, fmt: "S" }, sh: { enc: E.sh, fmt: "S" }, sw: { enc: E.sw, fmt: "S" }, sd: { enc: E.sd, fmt: "S" },
  addi: { enc: E.addi, fmt: "I" }, slti: { enc: E.slti, fmt: "I" }, sltiu: { enc: E.sltiu, fmt: "I" },
  xori: { enc: E.xori, fmt: "I" }, ori: { enc: E.ori, fmt: "I" }, andi: { enc: E.andi, fmt: "I" },
  slli: { enc: E.slli, fmt: "SH" }, srli: { enc: E.srli, fmt: "SH" }, srai: { enc: E.srai, fmt: "SH" },
  addiw: { enc: E.addiw, fmt: "I" }, slliw: { enc: E.slliw, fmt: "SH" }, srliw: { enc: E.srliw, fmt: "SH" },
  sraiw: { enc: E.sraiw, fmt: "SH" },
  add: r(E.add), sub: r(E.sub), sll: r(E.sll), slt: r(E.slt), sltu: r(E.sltu), xor: r(E.xor), srl: r(E.srl),
  sra: r(E.sra), or: r(E.or), and: r(E.and), addw: r(E.addw), subw: r(E.subw), sllw: r(E.sllw),
  srlw: r(E.srlw), sraw: r(E.sraw),
  mul: r(E.mul), mulh: r(E.mulh), mulhsu: r(E.mulhsu), mulhu: r(E.mulhu), div: r(E.div), divu: r(E.divu),
  rem: r(E.rem), remu: r(E.remu), mulw: r(E.mulw), divw: r(E.divw), divuw: r(E.divuw), remw: r(E.remw),
  remuw: r(E.remuw),
  csrrw: { enc: E.csrrw, fmt: "CSR" }, csrrs: { enc: E.csrrs, fmt: "CSR" }, csrrc: { enc: E.csrrc, fmt: "CSR" },
  csrrwi: { enc: E.csrrwi, fmt: "CSRI" }, csrrsi: { enc: E.csrrsi, fmt: "CSRI" }, csrrci: { enc: E.csrrci, fmt: "CSRI" },
  ecall: { enc: E.ecall, fmt: "NONE" }, ebreak: { enc: E.ebreak, fmt: "NONE" }, mret: { enc: E.mret, fmt: "NONE" },
  sret: { enc: E.sret, fmt: "NONE" }, wfi: { enc: E.wfi, fmt: "NONE" },
  "sfence.vma": { enc: E.sfenceVma, fmt: "SFENCE" }, "fence.i": { enc: E.fenceI, fmt: "NONE" },
} satisfies Record<string, Insn32>;
/** A 32-bit mnemonic. */
export type Name32 = keyof typeof I32;

/** Operand syntax of a compressed instruction. */
export type FmtC =
  | "RI" // rd, imm
  | "RU" // rd, imm20 (c.lui prints the 20-bit value)
  | "RR" // rd, rs2
  | "R" // rs1
  | "SPI" // sp, imm (c.addi16sp)
  | "RSPI" // rd, sp, imm (c.addi4spn)
  | "LS" // rd, off(rs1)
  | "LSP" // rd, off(sp)
  | "BZ" // rs1, .+off
  | "J" // .+off
  | "NONE";

/** One row of the compressed table. */
export interface InsnC { enc: (...a: number[]) => number; fmt: FmtC }

/** All compressed mnemonics the assembler knows. */
export const IC = {
  "c.nop": { enc: C.cNop, fmt: "NONE" }, "c.ebreak": { enc: C.cEbreak, fmt: "NONE" },
  "c.addi": { enc: C.cAddi, fmt: "RI" }, "c.addiw": { enc: C.cAddiw, fmt: "RI" }, "c.li": { enc: C.cLi, fmt: "RI" },
  "c.lui": { enc: C.cLui, fmt: "RU" }, "c.addi16sp": { enc: C.cAddi16sp, fmt: "SPI" },
  "c.addi4spn": { enc: C.cAddi4spn, fmt: "RSPI" }, "c.slli": { enc: C.cSlli, fmt: "RI" },
  "c.srli": { enc: C.cSrli, fmt: "RI" }, "c.srai": { enc: C.cSrai, fmt: "RI" }, "c.andi": { enc: C.cAndi, fmt: "RI" },
  "c.sub": { enc: C.cSub, fmt: "RR" }, "c.xor": { enc: C.cXor, fmt: "RR" }, "c.or": { enc: C.cOr, fmt: "RR" },
  "c.and": { enc: C.cAnd, fmt: "RR" }, "c.subw": { enc: C.cSubw, fmt: "RR" }, "c.addw": { enc: C.cAddw, fmt: "RR" },
  "c.mv": { enc: C.cMv, fmt: "RR" }, "c.add": { enc: C.cAdd, fmt: "RR" },
  "c.jr": { enc: C.cJr, fmt: "R" }, "c.jalr": { enc: C.cJalr, fmt: "R" },
  "c.j": { enc: C.cJ, fmt: "J" }, "c.beqz": { enc: C.cBeqz, fmt: "BZ" }, "c.bnez": { enc: C.cBnez, fmt: "BZ" },
  "c.lw": { enc: C.cLw, fmt: "LS" }, "c.ld": { enc: C.cLd, fmt: "LS" }, "c.sw": { enc: C.cSw, fmt: "LS" },
  "c.sd": { enc: C.cSd, fmt: "LS" },
  "c.lwsp": { enc: C.cLwsp, fmt: "LSP" }, "c.ldsp": { enc: C.cLdsp, fmt: "LSP" },
  "c.swsp": { enc: C.cSwsp, fmt: "LSP" }, "c.sdsp": { enc: C.cSdsp, fmt: "LSP" },
} satisfies Record<string, InsnC>;
/** A compressed mnemonic. */
export type NameC = keyof typeof IC;

const x = (n: number) => `x${n}`;
const rel = (off: number) => (off >= 0 ? `.+${off}` : `.-${-off}`);
const hex = (n: number) => `0x${n.toString(16)}`;

/** GNU-as syntax for a 32-bit instruction with the given operands. */
export function text32(name: Name32, a: readonly number[]): string {
  switch ((I32[name] as Insn32).fmt) {
    case "R": return `${name} ${x(a[0])}, ${x(a[1])}, ${x(a[2])}`;
    case "I": case "SH": return `${name} ${x(a[0])}, ${x(a[1])}, ${a[2]}`;
    case "L": return `${name} ${x(a[0])}, ${a[2]}(${x(a[1])})`;
    case "S": return `${name} ${x(a[0])}, ${a[2]}(${x(a[1])})`;
    case "B": return `${name} ${x(a[0])}, ${x(a[1])}, ${rel(a[2])}`;
    case "U": return `${name} ${x(a[0])}, ${hex(a[1])}`;
    case "J": return `${name} ${x(a[0])}, ${rel(a[1])}`;
    case "CSR": return `${name} ${x(a[0])}, ${hex(a[1])}, ${x(a[2])}`;
    case "CSRI": return `${name} ${x(a[0])}, ${hex(a[1])}, ${a[2]}`;
    case "SFENCE": return `${name} ${x(a[0])}, ${x(a[1])}`;
    case "NONE": return name;
  }
}

/** GNU-as syntax for a compressed instruction with the given operands. */
export function textC(name: NameC, a: readonly number[]): string {
  switch ((IC[name] as InsnC).fmt) {
    case "RI": return `${name} ${x(a[0])}, ${a[1]}`;
    case "RU": return `${name} ${x(a[0])}, ${hex(a[1] & 0xfffff)}`;
    case "RR": return `${name} ${x(a[0])}, ${x(a[1])}`;
    case "R": return `${name} ${x(a[0])}`;
    case "SPI": return `${name} sp, ${a[0]}`;
    case "RSPI": return `${name} ${x(a[0])}, sp, ${a[1]}`;
    case "LS": return `${name} ${x(a[0])}, ${a[2]}(${x(a[1])})`;
    case "LSP": return `${name} ${x(a[0])}, ${a[1]}(sp)`;
    case "BZ": return `${name} ${x(a[0])}, ${rel(a[1])}`;
    case "J": return `${name} ${rel(a[0])}`;
    case "NONE": return name;
  }
}

/** GNU-as syntax for an A-extension instruction (see {@link E.amo}). */
export function textAmo(op: E.AmoOp, w: "w" | "d", rd: number, rs1: number, rs2: number, aq: boolean, rl: boolean): string {
  const suf = `${aq ? ".aq" : ""}${rl ? ".rl" : ""}`.replace(".aq.rl", ".aqrl");
  return op === "lr"
    ? `lr.${w}${suf} ${x(rd)}, (${x(rs1)})`
    : `${op}.${w}${suf} ${x(rd)}, ${x(rs2)}, (${x(rs1)})`;
}
