import { describe, expect, it } from "vitest";
import { FingerprintSet, hash64 } from "./fingerprint.ts";

describe("fingerprint set", () => {
  for (const shared of [false, true]) {
    it(`inserts once, finds, keeps parent and depth (${shared ? "shared" : "local"})`, () => {
      const t = new FingerprintSet(10, shared);
      const a = t.insert(5, 7, -1, 0);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(t.insert(5, 7, 3, 9)).toBe(-1 - a);
      const b = t.insert(5, 8, a, 1);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(t.find(5, 8)).toBe(b);
      expect(t.find(6, 8)).toBe(-1);
      expect(t.parent(b)).toBe(a);
      expect(t.depth(b)).toBe(1);
      expect(t.fingerprintAt(b)).toEqual([5, 8]);
      expect(t.size).toBe(2);
    });
  }

  it("reports a full table", () => {
    const t = new FingerprintSet(4);
    expect(() => { for (let i = 1; i < 20; i++) t.insert(i, i, -1, 0); }).toThrow(/table full/);
  });

  it("hash64 separates arrays that differ in one element or in length", () => {
    const seen = new Set<string>();
    const a = new Int32Array(40);
    for (let i = 0; i < 40; i++)
      for (const v of [1, -1, 2, 1_000_000]) {
        a.fill(0);
        a[i] = v;
        hash64(a, a.length);
        seen.add(`${hash64.hi}:${hash64.lo}`);
      }
    for (let n = 0; n < 40; n++) {
      a.fill(0);
      hash64(a, n);
      seen.add(`${hash64.hi}:${hash64.lo}`);
    }
    expect(seen.size).toBe(40 * 4 + 40);
  });
});
