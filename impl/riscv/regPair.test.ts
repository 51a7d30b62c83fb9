import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { highHalf, lowHalf, readPair, vaOf, writePair } from "./regPair.ts";

/** The definitions, in bigint arithmetic only. */
const refLow = (v: bigint) => Number(BigInt.asIntN(32, v));
const refHigh = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const refJoin = (lo: number, hi: number) => BigInt.asUintN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));

/** Values around the edges where the fast paths (|v| ≤ 2^53, hi < 2^21) hand over to bigint arithmetic. */
const edges = [
  0n,
  1n,
  -1n,
  2n ** 32n - 1n,
  2n ** 32n,
  -(2n ** 32n),
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  -(2n ** 53n),
  -(2n ** 53n) - 1n,
];
const values = fc.oneof(
  fc.constantFrom(...edges),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc.bigInt({ min: -(2n ** 33n), max: 2n ** 33n }),
);

describe("register pairs", () => {
  it("split any bigint into the halves of its residue mod 2^64", () => {
    fc.assert(
      fc.property(values, (v) => {
        expect(lowHalf(v)).toBe(refLow(v));
        expect(highHalf(v)).toBe(refHigh(v));
      }),
      { numRuns: 3000 },
    );
  });

  it("join any two halves into the unsigned value, and a pair round-trips mod 2^64", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        values,
        (lo, hi, v) => {
          expect(vaOf(lo, hi)).toBe(refJoin(lo, hi));
          const x = new Int32Array(4);
          writePair(x, 2, v);
          expect(readPair(x, 2)).toBe(BigInt.asUintN(64, v));
        },
      ),
      { numRuns: 3000 },
    );
    for (const hi of [0x1fffff, 0x200000, -1]) expect(vaOf(-1, hi)).toBe(refJoin(-1, hi));
  });
});
