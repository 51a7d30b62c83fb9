/**
 * RV64C encoder: every function returns a 16-bit instruction halfword (unsigned number).
 * Operand constraints of the C extension (x8..x15 for the 3-bit register fields, non-zero
 * immediates, scaled offsets) are checked and violations throw, so a generator can never emit a
 * reserved or differently-decoded encoding by accident.
 */

function creg(r: number): number {
  if (!Number.isInteger(r) || r < 8 || r > 15) throw new RangeError(`compressed register must be x8..x15: ${r}`);
  return r - 8;
}
function reg(r: number, nonZero = false): number {
  if (!Number.isInteger(r) || r < 0 || r > 31 || (nonZero && r === 0)) throw new RangeError(`bad register ${r}`);
  return r;
}
function range(v: number, lo: number, hi: number, mult: number, what: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi || v % mult !== 0) throw new RangeError(`${what} out of range: ${v}`);
  return v;
}
const bit = (v: number, i: number) => (v >> i) & 1;

/** CI format helper: funct3 | imm[5] | rd | imm[4:0] | op. */
function ci(op: number, f3: number, rd: number, imm6: number): number {
  return ((f3 << 13) | (bit(imm6, 5) << 12) | (rd << 7) | ((imm6 & 31) << 2) | op) & 0xffff;
}

export const cNop = () => 0x0001;
export const cEbreak = () => 0x9002;

/** c.addi rd, nzimm (−32..31, ≠0). */
export const cAddi = (rd: number, imm: number) => ci(1, 0, reg(rd, true), range(imm, -32, 31, 1, "c.addi imm") & 63);
/** c.addiw rd, imm (RV64; rd ≠ 0). */
export const cAddiw = (rd: number, imm: number) => ci(1, 1, reg(rd, true), range(imm, -32, 31, 1, "c.addiw imm") & 63);
/** c.li rd, imm. */
export const cLi = (rd: number, imm: number) => ci(1, 2, reg(rd, true), range(imm, -32, 31, 1, "c.li imm") & 63);
/** c.lui rd, nzimm20 where nzimm20 is the 6-bit signed upper value (−32..31, ≠0), rd ∉ {0,2}. */
export function cLui(rd: number, imm6: number): number {
  if (rd === 2) throw new RangeError("c.lui rd=x2 is c.addi16sp");
  if (imm6 === 0) throw new RangeError("c.lui imm must be non-zero");
  return ci(1, 3, reg(rd, true), range(imm6, -32, 31, 1, "c.lui imm") & 63);
}
/** c.addi16sp sp, nzimm (multiple of 16, −512..496, ≠0). */
export function cAddi16sp(imm: number): number {
  range(imm, -512, 496, 16, "c.addi16sp imm");
  if (imm === 0) throw new RangeError("c.addi16sp imm must be non-zero");
  const i = imm & 0x3ff;
  const lo = (bit(i, 4) << 4) | (bit(i, 6) << 3) | (bit(i, 8) << 2) | (bit(i, 7) << 1) | bit(i, 5);
  return ((3 << 13) | (bit(i, 9) << 12) | (2 << 7) | (lo << 2) | 1) & 0xffff;
}
/** c.addi4spn rd', sp, nzuimm (multiple of 4, 4..1020). */
export function cAddi4spn(rd: number, imm: number): number {
  range(imm, 4, 1020, 4, "c.addi4spn imm");
  const f = (((imm >> 4) & 3) << 6) | (((imm >> 6) & 15) << 2) | (bit(imm, 2) << 1) | bit(imm, 3);
  return ((f << 5) | (creg(rd) << 2)) & 0xffff;
}
/** c.slli rd, shamt (1..63). */
export const cSlli = (rd: number, sh: number) => ci(2, 0, reg(rd, true), range(sh, 1, 63, 1, "c.slli shamt"));

function cbAlu(f2: number, rd: number, imm6: number): number {
  return ((4 << 13) | (bit(imm6, 5) << 12) | (f2 << 10) | (creg(rd) << 7) | ((imm6 & 31) << 2) | 1) & 0xffff;
}
export const cSrli = (rd: number, sh: number) => cbAlu(0, rd, range(sh, 1, 63, 1, "c.srli shamt"));
export const cSrai = (rd: number, sh: number) => cbAlu(1, rd, range(sh, 1, 63, 1, "c.srai shamt"));
export const cAndi = (rd: number, imm: number) => cbAlu(2, rd, range(imm, -32, 31, 1, "c.andi imm") & 63);

function ca(f6: number, f2: number, rd: number, rs2: number): number {
  return ((f6 << 10) | (creg(rd) << 7) | (f2 << 5) | (creg(rs2) << 2) | 1) & 0xffff;
}
export const cSub = (rd: number, rs2: number) => ca(0x23, 0, rd, rs2);
export const cXor = (rd: number, rs2: number) => ca(0x23, 1, rd, rs2);
export const cOr = (rd: number, rs2: number) => ca(0x23, 2, rd, rs2);
export const cAnd = (rd: number, rs2: number) => ca(0x23, 3, rd, rs2);
export const cSubw = (rd: number, rs2: number) => ca(0x27, 0, rd, rs2);
export const cAddw = (rd: number, rs2: number) => ca(0x27, 1, rd, rs2);

/** c.mv rd, rs2 (both ≠ 0). */
export const cMv = (rd: number, rs2: number) => ((8 << 12) | (reg(rd, true) << 7) | (reg(rs2, true) << 2) | 2) & 0xffff;
/** c.add rd, rs2 (both ≠ 0). */
export const cAdd = (rd: number, rs2: number) => ((9 << 12) | (reg(rd, true) << 7) | (reg(rs2, true) << 2) | 2) & 0xffff;
/** c.jr rs1 (≠ 0). */
export const cJr = (rs1: number) => ((8 << 12) | (reg(rs1, true) << 7) | 2) & 0xffff;
/** c.jalr rs1 (≠ 0). */
export const cJalr = (rs1: number) => ((9 << 12) | (reg(rs1, true) << 7) | 2) & 0xffff;

/** c.j offset (signed 12-bit, even). */
export function cJ(off: number): number {
  range(off, -2048, 2046, 2, "c.j offset");
  const o = off & 0xfff;
  const f = (bit(o, 11) << 10) | (bit(o, 4) << 9) | (((o >> 8) & 3) << 7) | (bit(o, 10) << 6) |
    (bit(o, 6) << 5) | (bit(o, 7) << 4) | (((o >> 1) & 7) << 1) | bit(o, 5);
  return ((5 << 13) | (f << 2) | 1) & 0xffff;
}
function cb(f3: number, rs1: number, off: number): number {
  range(off, -256, 254, 2, "c.b offset");
  const o = off & 0x1ff;
  const hi = (bit(o, 8) << 2) | ((o >> 3) & 3);
  const lo = (((o >> 6) & 3) << 3) | (((o >> 1) & 3) << 1) | bit(o, 5);
  return ((f3 << 13) | (hi << 10) | (creg(rs1) << 7) | (lo << 2) | 1) & 0xffff;
}
export const cBeqz = (rs1: number, off: number) => cb(6, rs1, off);
export const cBnez = (rs1: number, off: number) => cb(7, rs1, off);

/** c.lw rd', off(rs1') — off multiple of 4, 0..124. */
export function cLw(rd: number, rs1: number, off: number): number {
  range(off, 0, 124, 4, "c.lw offset");
  return ((2 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (bit(off, 2) << 6) | (bit(off, 6) << 5) | (creg(rd) << 2)) & 0xffff;
}
/** c.ld rd', off(rs1') — off multiple of 8, 0..248. */
export function cLd(rd: number, rs1: number, off: number): number {
  range(off, 0, 248, 8, "c.ld offset");
  return ((3 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (((off >> 6) & 3) << 5) | (creg(rd) << 2)) & 0xffff;
}
/** c.sw rs2', off(rs1'). */
export function cSw(rs2: number, rs1: number, off: number): number {
  range(off, 0, 124, 4, "c.sw offset");
  return ((6 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (bit(off, 2) << 6) | (bit(off, 6) << 5) | (creg(rs2) << 2)) & 0xffff;
}
/** c.sd rs2', off(rs1'). */
export function cSd(rs2: number, rs1: number, off: number): number {
  range(off, 0, 248, 8, "c.sd offset");
  return ((7 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (((off >> 6) & 3) << 5) | (creg(rs2) << 2)) & 0xffff;
}
/** c.lwsp rd, off(sp) — off multiple of 4, 0..252, rd ≠ 0. */
export function cLwsp(rd: number, off: number): number {
  range(off, 0, 252, 4, "c.lwsp offset");
  return ((2 << 13) | (bit(off, 5) << 12) | (reg(rd, true) << 7) | (((off >> 2) & 7) << 4) | (((off >> 6) & 3) << 2) | 2) & 0xffff;
}
/** c.ldsp rd, off(sp) — off multiple of 8, 0..504, rd ≠ 0. */
export function cLdsp(rd: number, off: number): number {
  range(off, 0, 504, 8, "c.ldsp offset");
  return ((3 << 13) | (bit(off, 5) << 12) | (reg(rd, true) << 7) | (((off >> 3) & 3) << 5) | (((off >> 6) & 7) << 2) | 2) & 0xffff;
}
/** c.swsp rs2, off(sp) — off multiple of 4, 0..252. */
export function cSwsp(rs2: number, off: number): number {
  range(off, 0, 252, 4, "c.swsp offset");
  return ((6 << 13) | (((off >> 2) & 15) << 9) | (((off >> 6) & 3) << 7) | (reg(rs2) << 2) | 2) & 0xffff;
}
/** c.sdsp rs2, off(sp) — off multiple of 8, 0..504. */
export function cSdsp(rs2: number, off: number): number {
  range(off, 0, 504, 8, "c.sdsp offset");
  return ((7 << 13) | (((off >> 3) & 7) << 10) | (((off >> 6) & 7) << 7) | (reg(rs2) << 2) | 2) & 0xffff;
}
