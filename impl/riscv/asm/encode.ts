/**
 * RV64IMAC + Zicsr + Zifencei + privileged instruction encoder (32-bit forms).
 *
 * Every function returns the 32-bit instruction word as an unsigned JS number. Immediates are
 * plain numbers (signed where the ISA sign-extends them); out-of-range immediates throw, so a
 * generator bug never silently produces a different instruction. Register operands are 0..31.
 * Used by the differential generator (riscv.md §2) and the CPU benchmark (riscv.md §0) so neither
 * needs the cross toolchain at run time.
 */

function reg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`bad register ${r}`);
  return r;
}

function simm(v: number, bits: number, what: string): number {
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}

function uimm(v: number, bits: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}

/** R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode. */
export function encR(op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number {
  return ((f7 << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | (reg(rd) << 7) | op) >>> 0;
}

/** I-type with a signed 12-bit immediate. */
export function encI(op: number, f3: number, rd: number, rs1: number, imm: number): number {
  simm(imm, 12, "I-immediate");
  return (((imm & 0xfff) << 20) | (reg(rs1) << 15) | (f3 << 12) | (reg(rd) << 7) | op) >>> 0;
}

/** S-type (stores) with a signed 12-bit offset. */
export function encS(op: number, f3: number, rs1: number, rs2: number, imm: number): number {
  simm(imm, 12, "S-immediate");
  const i = imm & 0xfff;
  return (((i >> 5) << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | ((i & 31) << 7) | op) >>> 0;
}

/** B-type (branches): signed 13-bit even offset. */
export function encB(op: number, f3: number, rs1: number, rs2: number, off: number): number {
  simm(off, 13, "branch offset");
  if (off & 1) throw new RangeError(`odd branch offset ${off}`);
  const i = off & 0x1fff;
  const hi = (((i >> 12) & 1) << 6) | ((i >> 5) & 0x3f);
  const lo = (((i >> 1) & 0xf) << 1) | ((i >> 11) & 1);
  return ((hi << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | (lo << 7) | op) >>> 0;
}

/** U-type: imm20 is the upper 20 bits (0..0xfffff). */
export function encU(op: number, rd: number, imm20: number): number {
  uimm(imm20, 20, "U-immediate");
  return ((imm20 << 12) | (reg(rd) << 7) | op) >>> 0;
}

/** J-type (jal): signed 21-bit even offset. */
export function encJ(op: number, rd: number, off: number): number {
  simm(off, 21, "jump offset");
  if (off & 1) throw new RangeError(`odd jump offset ${off}`);
  const i = off & 0x1fffff;
  const bits = (((i >> 20) & 1) << 19) | (((i >> 1) & 0x3ff) << 9) | (((i >> 11) & 1) << 8) | ((i >> 12) & 0xff);
  return ((bits << 12) | (reg(rd) << 7) | op) >>> 0;
}

// ---- RV64I ---------------------------------------------------------------------------------
export const lui = (rd: number, imm20: number) => encU(0x37, rd, imm20);
export const auipc = (rd: number, imm20: number) => encU(0x17, rd, imm20);
export const jal = (rd: number, off: number) => encJ(0x6f, rd, off);
export const jalr = (rd: number, rs1: number, imm: number) => encI(0x67, 0, rd, rs1, imm);

export const beq = (rs1: number, rs2: number, off: number) => encB(0x63, 0, rs1, rs2, off);
export const bne = (rs1: number, rs2: number, off: number) => encB(0x63, 1, rs1, rs2, off);
export const blt = (rs1: number, rs2: number, off: number) => encB(0x63, 4, rs1, rs2, off);
export const bge = (rs1: number, rs2: number, off: number) => encB(0x63, 5, rs1, rs2, off);
export const bltu = (rs1: number, rs2: number, off: number) => encB(0x63, 6, rs1, rs2, off);
export const bgeu = (rs1: number, rs2: number, off: number) => encB(0x63, 7, rs1, rs2, off);

export const lb = (rd: number, rs1: number, imm: number) => encI(0x03, 0, rd, rs1, imm);
export const lh = (rd: number, rs1: number, imm: number) => encI(0x03, 1, rd, rs1, imm);
export const lw = (rd: number, rs1: number, imm: number) => encI(0x03, 2, rd, rs1, imm);
export const ld = (rd: number, rs1: number, imm: number) => encI(0x03, 3, rd, rs1, imm);
export const lbu = (rd: number, rs1: number, imm: number) => encI(0x03, 4, rd, rs1, imm);
export const lhu = (rd: number, rs1: number, imm: number) => encI(0x03, 5, rd, rs1, imm);
export const lwu = (rd: number, rs1: number, imm: number) => encI(0x03, 6, rd, rs1, imm);
export const sb = (rs2: number, rs1: number, imm: number) => encS(0x23, 0, rs1, rs2, imm);
export const sh = (rs2: number, rs1: number, imm: number) => encS(0x23, 1, rs1, rs2, imm);
export const sw = (rs2: number, rs1: number, imm: number) => encS(0x23, 2, rs1, rs2, imm);
export const sd = (rs2: number, rs1: number, imm: number) => encS(0x23, 3, rs1, rs2, imm);

export const addi = (rd: number, rs1: number, imm: number) => encI(0x13, 0, rd, rs1, imm);
export const slti = (rd: number, rs1: number, imm: number) => encI(0x13, 2, rd, rs1, imm);
export const sltiu = (rd: number, rs1: number, imm: number) => encI(0x13, 3, rd, rs1, imm);
export const xori = (rd: number, rs1: number, imm: number) => encI(0x13, 4, rd, rs1, imm);
export const ori = (rd: number, rs1: number, imm: number) => encI(0x13, 6, rd, rs1, imm);
export const andi = (rd: number, rs1: number, imm: number) => encI(0x13, 7, rd, rs1, imm);
export const slli = (rd: number, rs1: number, sh: number) => encI(0x13, 1, rd, rs1, uimm(sh, 6, "shamt"));
export const srli = (rd: number, rs1: number, sh: number) => encI(0x13, 5, rd, rs1, uimm(sh, 6, "shamt"));
export const srai = (rd: number, rs1: number, sh: number) =>
  (encI(0x13, 5, rd, rs1, uimm(sh, 6, "shamt")) | (0x10 << 26)) >>> 0;
export const addiw = (rd: number, rs1: number, imm: number) => encI(0x1b, 0, rd, rs1, imm);
export const slliw = (rd: number, rs1: number, sh: number) => encI(0x1b, 1, rd, rs1, uimm(sh, 5, "shamt"));
export const srliw = (rd: number, rs1: number, sh: number) => encI(0x1b, 5, rd, rs1, uimm(sh, 5, "shamt"));
export const sraiw = (rd: number, rs1: number, sh: number) =>
  (encI(0x1b, 5, rd, rs1, uimm(sh, 5, "shamt")) | (0x20 << 25)) >>> 0;

export const add = (rd: number, a: number, b: number) => encR(0x33, 0, 0x00, rd, a, b);
export const sub = (rd: number, a: number, b: number) => encR(0x33, 0, 0x20, rd, a, b);
export const sll = (rd: number, a: number, b: number) => encR(0x33, 1, 0x00, rd, a, b);
export const slt = (rd: number, a: number, b: number) => encR(0x33, 2, 0x00, rd, a, b);
export const sltu = (rd: number, a: number, b: number) => encR(0x33, 3, 0x00, rd, a, b);
export const xor = (rd: number, a: number, b: number) => encR(0x33, 4, 0x00, rd, a, b);
export const srl = (rd: number, a: number, b: number) => encR(0x33, 5, 0x00, rd, a, b);
export const sra = (rd: number, a: number, b: number) => encR(0x33, 5, 0x20, rd, a, b);
export const or = (rd: number, a: number, b: number) => encR(0x33, 6, 0x00, rd, a, b);
export const and = (rd: number, a: number, b: number) => encR(0x33, 7, 0x00, rd, a, b);
export const addw = (rd: number, a: number, b: number) => encR(0x3b, 0, 0x00, rd, a, b);
export const subw = (rd: number, a: number, b: number) => encR(0x3b, 0, 0x20, rd, a, b);
export const sllw = (rd: number, a: number, b: number) => encR(0x3b, 1, 0x00, rd, a, b);
export const srlw = (rd: number, a: number, b: number) => encR(0x3b, 5, 0x00, rd, a, b);
export const sraw = (rd: number, a: number, b: number) => encR(0x3b, 5, 0x20, rd, a, b);

// ---- M --------------------------------------------------------------------------------------
export const mul = (rd: number, a: number, b: number) => encR(0x33, 0, 1, rd, a, b);
export const mulh = (rd: number, a: number, b: number) => encR(0x33, 1, 1, rd, a, b);
export const mulhsu = (rd: number, a: number, b: number) => encR(0x33, 2, 1, rd, a, b);
export const mulhu = (rd: number, a: number, b: number) => encR(0x33, 3, 1, rd, a, b);
export const div = (rd: number, a: number, b: number) => encR(0x33, 4, 1, rd, a, b);
export const divu = (rd: number, a: number, b: number) => encR(0x33, 5, 1, rd, a, b);
export const rem = (rd: number, a: number, b: number) => encR(0x33, 6, 1, rd, a, b);
export const remu = (rd: number, a: number, b: number) => encR(0x33, 7, 1, rd, a, b);
export const mulw = (rd: number, a: number, b: number) => encR(0x3b, 0, 1, rd, a, b);
export const divw = (rd: number, a: number, b: number) => encR(0x3b, 4, 1, rd, a, b);
export const divuw = (rd: number, a: number, b: number) => encR(0x3b, 5, 1, rd, a, b);
export const remw = (rd: number, a: number, b: number) => encR(0x3b, 6, 1, rd, a, b);
export const remuw = (rd: number, a: number, b: number) => encR(0x3b, 7, 1, rd, a, b);

// ---- A --------------------------------------------------------------------------------------
/** AMO funct5 values (A extension). */
export const AMO_OPS = {
  lr: 0x02, sc: 0x03, amoswap: 0x01, amoadd: 0x00, amoxor: 0x04, amoand: 0x0c, amoor: 0x08,
  amomin: 0x10, amomax: 0x14, amominu: 0x18, amomaxu: 0x1c,
} as const;
/** Name of an A-extension operation (without the .w/.d suffix). */
export type AmoOp = keyof typeof AMO_OPS;

/** Any A-extension instruction: `op.{w,d}[.aq][.rl] rd, rs2, (rs1)`; for `lr` rs2 must be 0. */
export function amo(op: AmoOp, width: "w" | "d", rd: number, rs1: number, rs2: number, aq = false, rl = false): number {
  const f7 = (AMO_OPS[op] << 2) | (aq ? 2 : 0) | (rl ? 1 : 0);
  return encR(0x2f, width === "w" ? 2 : 3, f7, rd, rs1, op === "lr" ? 0 : rs2);
}

// ---- Zicsr / system --------------------------------------------------------------------------
const csrNum = (c: number) => uimm(c, 12, "CSR number");
/** csrrw/csrrs/csrrc (f3 1..3) and the immediate forms (f3 5..7, `src` is the 5-bit uimm). */
export function csr(f3: 1 | 2 | 3 | 5 | 6 | 7, rd: number, csrAddr: number, src: number): number {
  return ((csrNum(csrAddr) << 20) | (uimm(src, 5, "csr source") << 15) | (f3 << 12) | (reg(rd) << 7) | 0x73) >>> 0;
}
export const csrrw = (rd: number, c: number, rs1: number) => csr(1, rd, c, rs1);
export const csrrs = (rd: number, c: number, rs1: number) => csr(2, rd, c, rs1);
export const csrrc = (rd: number, c: number, rs1: number) => csr(3, rd, c, rs1);
export const csrrwi = (rd: number, c: number, u: number) => csr(5, rd, c, u);
export const csrrsi = (rd: number, c: number, u: number) => csr(6, rd, c, u);
export const csrrci = (rd: number, c: number, u: number) => csr(7, rd, c, u);

export const ecall = () => 0x00000073;
export const ebreak = () => 0x00100073;
export const mret = () => 0x30200073;
export const sret = () => 0x10200073;
export const wfi = () => 0x10500073;
export const sfenceVma = (rs1: number, rs2: number) => encR(0x73, 0, 0x09, 0, rs1, rs2);
/** fence pred, succ (4-bit IORW sets each). */
export const fence = (pred = 0xf, succ = 0xf) =>
  ((uimm(pred, 4, "pred") << 24) | (uimm(succ, 4, "succ") << 20) | 0x0f) >>> 0;
export const fenceI = () => 0x0000100f;
/** cbo.zero (rs1) — Zicboz. */
export const cboZero = (rs1: number) => encI(0x0f, 2, 0, rs1, 4);
