import { describe, expect, it } from "vitest";
import { hkdfSync } from "node:crypto";
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

  it("a remembered secret is the caller's own copy, equal to HKDF computed afresh, per length too", () => {
    const first = deriveFromSeed(7, "label-c", 32);
    first.fill(0); // scribbling on one copy changes nothing remembered
    const again = deriveFromSeed(7, "label-c", 32);
    expect(again).toEqual(new Uint8Array(hkdfSync("sha256", seedBytes(7), new Uint8Array(0), "label-c", 32)));
    expect(deriveFromSeed(7, "label-c", 16)).toEqual(again.subarray(0, 16)); // HKDF's output is a prefix stream
    expect(deriveFromSeed(7n, "label-c", 32)).toEqual(again); // the same seed bytes, however written
    expect(deriveFromSeed("7", "label-c", 32)).not.toEqual(again);
  });
});
