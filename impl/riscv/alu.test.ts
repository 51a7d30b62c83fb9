import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mul64, mulDiv } from "./alu.ts";
import { Op } from "./opcodes.ts";

const set = (x: Int32Array, r: number, v: bigint) => {
  const u = BigInt.asUintN(64, v);
  x[r] = Number(u & 0xffffffffn) | 0;
  x[r + 1] = Number(u >> 32n) | 0;
};
const get = (x: Int32Array, r: number) => BigInt.asUintN(64, (BigInt(x[r + 1]) << 32n) | BigInt(x[r] >>> 0));

describe("M extension on Int32 halves", () => {
  it("MUL without BigInt equals the 64-bit product mod 2^64", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (a, b) => {
        const x = new Int32Array(8);
        set(x, 2, a);
        set(x, 4, b);
        mul64(x, 6, 2, 4);
        expect(get(x, 6)).toBe(BigInt.asUintN(64, a * b));
        mul64(x, 2, 2, 4); // rd = rs1
        expect(get(x, 2)).toBe(BigInt.asUintN(64, a * b));
      }),
      { numRuns: 2000 },
    );
  });

  it("division by zero and overflow follow the spec table", () => {
    const x = new Int32Array(8);
    set(x, 2, -(1n << 63n));
    set(x, 4, -1n);
    mulDiv(Op.DIV, x, 6, 2, 4);
    expect(get(x, 6)).toBe(1n << 63n);
    mulDiv(Op.REM, x, 6, 2, 4);
    expect(get(x, 6)).toBe(0n);
    set(x, 4, 0n);
    mulDiv(Op.DIVU, x, 6, 2, 4);
    expect(get(x, 6)).toBe((1n << 64n) - 1n);
    mulDiv(Op.REMU, x, 6, 2, 4);
    expect(get(x, 6)).toBe(1n << 63n);
  });
});
