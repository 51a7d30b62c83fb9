/**
 * RV64C: expand a 16-bit compressed instruction into the equivalent 32-bit encoding, so compressed
 * and full instructions share one decoder and one set of semantics (C extension, "RVC Instruction
 * Set Listings"). Returns 0 for illegal/reserved encodings (and for 0x0000, defined illegal).
 * Encodings of the F/D extensions (C.FLD, C.FSD, C.FLDSP, C.FSDSP) are illegal on this RV64IMAC hart.
 */
const bits = (x: number, hi: number, lo: number): number => (x >>> lo) & ((1 << (hi - lo + 1)) - 1);
const sext = (v: number, width: number): number => (v << (32 - width)) >> (32 - width);

// 32-bit encoders (only what expansion needs)
const encI = (op: number, f3: number, rd: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encR = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encS = (op: number, f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
const encB = (f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 12) & 1) << 31) |
    (((imm >> 5) & 0x3f) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) |
    (((imm >> 11) & 1) << 7) |
    0x63) >>>
  0;
const encJ = (rd: number, imm: number): number =>
  ((((imm >> 20) & 1) << 31) |
    (((imm >> 1) & 0x3ff) << 21) |
    (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) |
    (rd << 7) |
    0x6f) >>>
  0;
const encU = (op: number, rd: number, imm20: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;

const OP_IMM = 0x13,
  OP_IMM32 = 0x1b,
  OP = 0x33,
  OP32 = 0x3b,
  LOAD = 0x03,
  STORE = 0x23,
  JALR = 0x67,
  LUI = 0x37;

/** Expand compressed instruction `h` (low 2 bits ≠ 3). */
export function expandCompressed(h: number): number {
  const q = h & 3;
  const f3 = bits(h, 15, 13);
  const rdp = bits(h, 4, 2) + 8; // rd' / rs2'
  const rs1p = bits(h, 9, 7) + 8; // rs1' / rd'
  const rd = bits(h, 11, 7);
  const rs2 = bits(h, 6, 2);
  if (q === 0) {
    switch (f3) {
      case 0: {
        // C.ADDI4SPN: nzuimm[5:4|9:6|2|3]
        const imm = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 3);
        return imm === 0 ? 0 : encI(OP_IMM, 0, rdp, 2, imm);
      }
      case 2: // C.LW uimm[5:3|2|6]
        return encI(LOAD, 2, rdp, rs1p, (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6));
      case 3: // C.LD uimm[5:3|7:6]
        return encI(LOAD, 3, rdp, rs1p, (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6));
      case 6: // C.SW
        return encS(STORE, 2, rs1p, rdp, (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6));
      case 7: // C.SD
        return encS(STORE, 3, rs1p, rdp, (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6));
      default: // C.FLD, reserved, C.FSD
        return 0;
    }
  }
  if (q === 1) {
    const imm6 = sext((bits(h, 12, 12) << 5) | bits(h, 6, 2), 6);
    switch (f3) {
      case 0: // C.ADDI (C.NOP when rd=0; hints when imm=0)
        return encI(OP_IMM, 0, rd, rd, imm6);
      case 1: // C.ADDIW (rd=0 reserved)
        return rd === 0 ? 0 : encI(OP_IMM32, 0, rd, rd, imm6);
      case 2: // C.LI
        return encI(OP_IMM, 0, rd, 0, imm6);
      case 3: {
        if (rd === 2) {
          // C.ADDI16SP nzimm[9|4|6|8:7|5]
          const imm = sext(
            (bits(h, 12, 12) << 9) | (bits(h, 6, 6) << 4) | (bits(h, 5, 5) << 6) | (bits(h, 4, 3) << 7) | (bits(h, 2, 2) << 5),
            10,
          );
          return imm === 0 ? 0 : encI(OP_IMM, 0, 2, 2, imm);
        }
        // C.LUI nzimm[17|16:12] (nzimm=0 reserved)
        return imm6 === 0 ? 0 : encU(LUI, rd, imm6 & 0xfffff);
      }
      case 4: {
        const f2 = bits(h, 11, 10);
        const shamt = (bits(h, 12, 12) << 5) | bits(h, 6, 2);
        if (f2 === 0) return encI(OP_IMM, 5, rs1p, rs1p, shamt); // C.SRLI
        if (f2 === 1) return encI(OP_IMM, 5, rs1p, rs1p, shamt | 0x400); // C.SRAI
        if (f2 === 2) return encI(OP_IMM, 7, rs1p, rs1p, imm6); // C.ANDI
        const f = (bits(h, 12, 12) << 2) | bits(h, 6, 5);
        switch (f) {
          case 0:
            return encR(OP, 0, 0x20, rs1p, rs1p, rdp); // C.SUB
          case 1:
            return encR(OP, 4, 0, rs1p, rs1p, rdp); // C.XOR
          case 2:
            return encR(OP, 6, 0, rs1p, rs1p, rdp); // C.OR
          case 3:
            return encR(OP, 7, 0, rs1p, rs1p, rdp); // C.AND
          case 4:
            return encR(OP32, 0, 0x20, rs1p, rs1p, rdp); // C.SUBW
          case 5:
            return encR(OP32, 0, 0, rs1p, rs1p, rdp); // C.ADDW
          default:
            return 0; // reserved
        }
      }
      case 5: {
        // C.J offset[11|4|9:8|10|6|7|3:1|5]
        const imm = sext(
          (bits(h, 12, 12) << 11) |
            (bits(h, 11, 11) << 4) |
            (bits(h, 10, 9) << 8) |
            (bits(h, 8, 8) << 10) |
            (bits(h, 7, 7) << 6) |
            (bits(h, 6, 6) << 7) |
            (bits(h, 5, 3) << 1) |
            (bits(h, 2, 2) << 5),
          12,
        );
        return encJ(0, imm);
      }
      default: {
        // C.BEQZ / C.BNEZ offset[8|4:3|7:6|2:1|5]
        const imm = sext(
          (bits(h, 12, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (bits(h, 2, 2) << 5),
          9,
        );
        return encB(f3 === 6 ? 0 : 1, rs1p, 0, imm);
      }
    }
  }
  // q === 2
  switch (f3) {
    case 0: // C.SLLI
      return encI(OP_IMM, 1, rd, rd, (bits(h, 12, 12) << 5) | rs2);
    case 2: // C.LWSP uimm[5|4:2|7:6] (rd=0 reserved)
      return rd === 0 ? 0 : encI(LOAD, 2, rd, 2, (bits(h, 12, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6));
    case 3: // C.LDSP uimm[5|4:3|8:6] (rd=0 reserved)
      return rd === 0 ? 0 : encI(LOAD, 3, rd, 2, (bits(h, 12, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6));
    case 4:
      if (bits(h, 12, 12) === 0) {
        if (rs2 === 0) return rd === 0 ? 0 : encI(JALR, 0, 0, rd, 0); // C.JR (rs1=0 reserved)
        return encR(OP, 0, 0, rd, 0, rs2); // C.MV
      }
      if (rs2 === 0) return rd === 0 ? 0x00100073 : encI(JALR, 0, 1, rd, 0); // C.EBREAK / C.JALR
      return encR(OP, 0, 0, rd, rd, rs2); // C.ADD
    case 6: // C.SWSP uimm[5:2|7:6]
      return encS(STORE, 2, 2, rs2, (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6));
    case 7: // C.SDSP uimm[5:3|8:6]
      return encS(STORE, 3, 2, rs2, (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6));
    default: // C.FLDSP, C.FSDSP
      return 0;
  }
}
