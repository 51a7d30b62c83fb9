import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashMap64 } from "./fingerprint.ts";
import { GrowingFingerprintSet } from "./growingSet.ts";

/** Random distinct nonzero 64-bit keys as [hi, lo] (hi never 0, as fingerprints). */
const keys = (n: number) =>
  fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), {
    minLength: n,
    maxLength: n,
    selector: ([hi, lo]) => `${hi}:${lo}`,
  });

describe("growing fingerprint set", () => {
  it("gives ids in insertion order that survive its growth, with parent, depth and fingerprint", () => {
    fc.assert(
      fc.property(keys(300), (ks) => {
        const t = new GrowingFingerprintSet(4); // 16 slots: grows five times
        ks.forEach(([hi, lo], i) => expect(t.insert(hi, lo, i - 1, i % 7)).toBe(i));
        expect(t.size).toBe(ks.length);
        expect(t.capacity).toBeGreaterThanOrEqual(2 * ks.length);
        ks.forEach(([hi, lo], i) => {
          expect(t.insert(hi, lo, 99, 99)).toBe(-1 - i); // already there: its id, nothing changed
          expect(t.find(hi, lo)).toBe(i);
          expect(t.parent(i)).toBe(i - 1);
          expect(t.depth(i)).toBe(i % 7);
          expect(t.fingerprintAt(i)).toEqual([hi, lo]);
        });
        expect(t.size).toBe(ks.length);
      }),
      { numRuns: 30 },
    );
  });

  it("finds nothing it was not given", () => {
    const t = new GrowingFingerprintSet(4);
    t.insert(1, 2, -1, 0);
    expect(t.find(1, 3)).toBe(-1);
    expect(t.find(2, 2)).toBe(-1);
  });

  it("refuses an initial size out of range", () => {
    expect(() => new GrowingFingerprintSet(3)).toThrow(/bits/);
    expect(() => new GrowingFingerprintSet(27)).toThrow(/bits/);
  });
});

describe("HashMap64", () => {
  it("agrees with a Map through its growth (get, set, putIfAbsent)", () => {
    fc.assert(
      fc.property(keys(200), fc.array(fc.nat(199), { maxLength: 100 }), (ks, updates) => {
        const m = new HashMap64(4, 0.5);
        const ref = new Map<string, number>();
        ks.forEach(([hi, lo], i) => {
          expect(m.putIfAbsent(hi, lo, i)).toBe(-1);
          ref.set(`${hi}:${lo}`, i);
        });
        for (const u of updates) {
          const [hi, lo] = ks[u]!;
          expect(m.putIfAbsent(hi, lo, 1000 + u)).toBe(ref.get(`${hi}:${lo}`));
          m.set(hi, lo, 2000 + u);
          ref.set(`${hi}:${lo}`, 2000 + u);
        }
        for (const [hi, lo] of ks) expect(m.get(hi, lo)).toBe(ref.get(`${hi}:${lo}`));
        expect(m.size).toBe(ks.length);
        expect(m.capacity).toBeGreaterThanOrEqual(2 * ks.length);
        expect(m.get(0x7fffffff, 12345) === -1 || ref.has(`${0x7fffffff}:12345`)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
