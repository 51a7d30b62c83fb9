import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Csprng, MAX_FILL } from "./random.ts";

describe("Csprng (PGL §5.5 replaced, M37)", () => {
  it("replays from its seed and differs across seeds and streams", () => {
    const a = new Csprng("run-7").fill(64);
    expect(new Csprng("run-7").fill(64)).toEqual(a);
    expect(new Csprng("run-8").fill(64)).not.toEqual(a);
    expect(new Csprng(7n).fill(64)).not.toEqual(new Csprng(8n).fill(64));
    expect(new Csprng("run-7", "other").fill(64)).not.toEqual(a);
  });

  it("property: the stream does not depend on how it is cut into fill calls", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { maxLength: 10 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (cuts, seed) => {
        const g = new Csprng(seed);
        const parts = cuts.map((n) => g.fill(n));
        const total = cuts.reduce((s, n) => s + n, 0);
        expect(g.position).toBe(total);
        expect(Buffer.concat(parts)).toEqual(Buffer.from(new Csprng(seed).fill(total)));
      }),
    );
  });

  it("does not repeat itself and is not all zero", () => {
    const g = new Csprng("run-7");
    const x = g.fill(4096);
    const y = g.fill(4096);
    expect(x).not.toEqual(y);
    expect(x.some((v) => v !== 0)).toBe(true);
    const counts = new Array<number>(256).fill(0);
    for (const v of x) counts[v]++;
    expect(Math.max(...counts)).toBeLessThan(64); // 4096 bytes: about 16 per value
  });

  it("property: a generator built at a position continues the stream from there; clones agree", () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(100), (pos, n) => {
        const g = new Csprng("run-7");
        g.fill(pos);
        const resumed = new Csprng("run-7", "getrandom", pos);
        expect(resumed.position).toBe(pos);
        const c = g.clone();
        const next = g.fill(n);
        expect(resumed.fill(n)).toEqual(next);
        expect(c.fill(n)).toEqual(next);
      }),
      { numRuns: 50 },
    );
  });

  it("a far position (1000 blocks: the counter carries across IV bytes) equals the sequential stream", () => {
    const seq = new Csprng("run-7");
    seq.fill(16 * 1000 + 5);
    expect(new Csprng("run-7", "getrandom", 16 * 1000 + 5).fill(40)).toEqual(seq.fill(40));
    expect(() => new Csprng("run-7", "getrandom", -1)).toThrow(RangeError);
  });

  it("rejects sizes outside [0, MAX_FILL]", () => {
    const g = new Csprng("run-7");
    expect(g.fill(0).length).toBe(0);
    for (const n of [-1, 1.5, MAX_FILL + 1, Number.NaN]) expect(() => g.fill(n)).toThrow(RangeError);
    expect(g.position).toBe(0);
  });
});
