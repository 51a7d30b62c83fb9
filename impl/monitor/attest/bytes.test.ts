import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigintToBytes, bytesToBigint, concatBytes, equalBytes, fromHex, toHex, u64le } from "./bytes.ts";

describe("byte helpers", () => {
  it("u64le is little-endian and wraps negatives to 64 bits", () => {
    expect([...u64le(0x0102030405060708n)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect([...u64le(-1n)]).toEqual(new Array(8).fill(255));
  });

  it("property: hex and big-endian integer round trips", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
        expect(bigintToBytes(bytesToBigint(b), b.length)).toEqual(b);
        expect(equalBytes(concatBytes(b, b).subarray(b.length), b)).toBe(true);
      }),
    );
  });

  it("rejects malformed hex and integers that do not fit", () => {
    expect(() => fromHex("abc")).toThrow(RangeError);
    expect(() => fromHex("zz")).toThrow(RangeError);
    expect(() => bigintToBytes(256n, 1)).toThrow(RangeError);
    expect(() => bigintToBytes(-1n, 8)).toThrow(RangeError);
    expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});
