import { describe, expect, it } from "vitest";
import { ACC_R, ACC_W, Tlb, TLB_SETS } from "./tlb.ts";

const valid = (t: Tlb): number => t.tag.reduce((n, x) => (Number.isNaN(x) ? n : n + 1), 0);

describe("the translation cache", () => {
  it("lists the entries it filled and a flush empties exactly the cache", () => {
    const t = new Tlb();
    t.fill(ACC_R, 1, 0x12345, 0x12345000, 0x3000);
    t.fill(ACC_W, 0, 0x7, 0x7000, 0x5000);
    expect(valid(t)).toBe(2);
    expect([...t.filled.subarray(0, t.filledCount)]).toEqual([Tlb.base(ACC_R, 1) + 0x45, Tlb.base(ACC_W, 0) + 7]);
    t.flush();
    expect([valid(t), t.filledCount]).toEqual([0, 0]);
  });

  it("loses count after more fills than the list holds, and then a flush clears everything", () => {
    const t = new Tlb();
    for (let k = 0; k < 3 * t.filled.length; k++) t.fill(ACC_R, k % 4, k, (k % TLB_SETS) << 12, 0);
    expect(t.filledCount).toBe(-1);
    expect(valid(t)).toBeGreaterThan(0);
    t.flush();
    expect([valid(t), t.filledCount]).toEqual([0, 0]);
  });
});
