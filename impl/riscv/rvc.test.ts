import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expandCompressed } from "./rvc.ts";
import * as C from "./asm/compressed.ts";
import * as E from "./asm/encode.ts";

// Cross-check the decoder's expansion against the independent encoder in asm/ (C extension,
// "RVC Instruction Set Listings"): every compressed form expands to its 32-bit equivalent.
const creg = fc.integer({ min: 8, max: 15 });
const nzreg = fc.integer({ min: 1, max: 31 });
const imm6nz = fc.integer({ min: -32, max: 31 }).filter((v) => v !== 0);

describe("RVC expansion", () => {
  it("expands arithmetic forms", () => {
    fc.assert(
      fc.property(nzreg, imm6nz, creg, creg, fc.integer({ min: 1, max: 63 }), (rd, imm, p, q, sh) => {
        expect(expandCompressed(C.cAddi(rd, imm))).toBe(E.addi(rd, rd, imm) >>> 0);
        expect(expandCompressed(C.cAddiw(rd, imm))).toBe(E.addiw(rd, rd, imm) >>> 0);
        expect(expandCompressed(C.cLi(rd, imm))).toBe(E.addi(rd, 0, imm) >>> 0);
        expect(expandCompressed(C.cSlli(rd, sh))).toBe(E.slli(rd, rd, sh) >>> 0);
        expect(expandCompressed(C.cSrli(p, sh))).toBe(E.srli(p, p, sh) >>> 0);
        expect(expandCompressed(C.cSrai(p, sh))).toBe(E.srai(p, p, sh) >>> 0);
        expect(expandCompressed(C.cAndi(p, imm))).toBe(E.andi(p, p, imm) >>> 0);
        expect(expandCompressed(C.cSub(p, q))).toBe(E.sub(p, p, q) >>> 0);
        expect(expandCompressed(C.cXor(p, q))).toBe(E.xor(p, p, q) >>> 0);
        expect(expandCompressed(C.cOr(p, q))).toBe(E.or(p, p, q) >>> 0);
        expect(expandCompressed(C.cAnd(p, q))).toBe(E.and(p, p, q) >>> 0);
        expect(expandCompressed(C.cSubw(p, q))).toBe(E.subw(p, p, q) >>> 0);
        expect(expandCompressed(C.cAddw(p, q))).toBe(E.addw(p, p, q) >>> 0);
        expect(expandCompressed(C.cMv(rd, q))).toBe(E.add(rd, 0, q) >>> 0);
        expect(expandCompressed(C.cAdd(rd, q))).toBe(E.add(rd, rd, q) >>> 0);
      }),
    );
  });

  it("expands jumps and branches", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1024, max: 1023 }), fc.integer({ min: -128, max: 127 }), creg, nzreg, (j, b, p, r) => {
        expect(expandCompressed(C.cJ(j * 2))).toBe(E.jal(0, j * 2) >>> 0);
        expect(expandCompressed(C.cBeqz(p, b * 2))).toBe(E.beq(p, 0, b * 2) >>> 0);
        expect(expandCompressed(C.cBnez(p, b * 2))).toBe(E.bne(p, 0, b * 2) >>> 0);
        expect(expandCompressed(C.cJr(r))).toBe(E.jalr(0, r, 0) >>> 0);
        expect(expandCompressed(C.cJalr(r))).toBe(E.jalr(1, r, 0) >>> 0);
      }),
    );
  });

  it("expands loads and stores", () => {
    fc.assert(
      fc.property(creg, creg, fc.integer({ min: 0, max: 31 }), (p, q, k) => {
        expect(expandCompressed(C.cLw(p, q, k * 4))).toBe(E.lw(p, q, k * 4) >>> 0);
        expect(expandCompressed(C.cSw(p, q, k * 4))).toBe(E.sw(p, q, k * 4) >>> 0);
        expect(expandCompressed(C.cLd(p, q, k * 8))).toBe(E.ld(p, q, k * 8) >>> 0);
      }),
    );
  });

  it("treats reserved and F/D encodings as illegal (0)", () => {
    expect(expandCompressed(0x0000)).toBe(0); // defined illegal
    expect(expandCompressed(0x2000)).toBe(0); // C.FLD
    expect(expandCompressed(0x4002)).toBe(0); // C.LWSP rd = 0
    expect(expandCompressed(0x8002)).toBe(0); // C.JR rs1 = 0
    expect(expandCompressed(0x6101 & ~0x107c)).toBe(0); // C.ADDI16SP imm = 0
    expect(expandCompressed(C.cEbreak())).toBe(E.ebreak() >>> 0);
    expect(expandCompressed(C.cNop())).toBe(E.addi(0, 0, 0) >>> 0);
  });
});
