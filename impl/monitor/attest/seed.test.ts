import { describe, expect, it } from "vitest";
import { deriveFromSeed, seedBytes } from "./seed.ts";

describe("run seeds (design.md, AT-5)", () => {
  it("encodes each kind of seed with its own tag, integers as u64 LE", () => {
    expect([...seedBytes(Uint8Array.of(9))]).toEqual([1, 9]);
    expect([...seedBytes("a")]).toEqual([2, 0x61]);
    expect([...seedBytes(258)]).toEqual([3, 2, 1, 0, 0, 0, 0, 0, 0]);
    expect(seedBytes(258)).toEqual(seedBytes(258n));
  });

  it("rejects empty, negative, fractional and over-wide seeds", () => {
    for (const s of [new Uint8Array(0), "", -1, 1.5, -1n, 1n << 64n, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => seedBytes(s)).toThrow(RangeError);
    }
  });

  it("derives independent secrets per label and per seed, stable for one seed", () => {
    const a = deriveFromSeed("s", "label-a", 32);
    expect(deriveFromSeed("s", "label-a", 32)).toEqual(a);
    expect(deriveFromSeed("s", "label-b", 32)).not.toEqual(a);
    expect(deriveFromSeed("t", "label-a", 32)).not.toEqual(a);
    expect(deriveFromSeed(Uint8Array.of(0x73), "label-a", 32)).not.toEqual(a); // bytes "s" ≠ string "s"
  });
});
