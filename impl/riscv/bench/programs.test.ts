import { describe, expect, it } from "vitest";
import { runBareMetal } from "../baremetal.ts";
import { benchProgram, expectedResult, INSNS_PER_ITER, type BenchMode, type Loop } from "./programs.ts";

describe("CPU benchmark programs", () => {
  it("P1's reference result is the sum 0..n-1", () => {
    expect(expectedResult("p1", 1000n)).toBe(499500n);
  });
  for (const loop of ["p1", "p2"] as Loop[]) {
    for (const mode of ["m", "u-sv39"] as BenchMode[]) {
      it(`${loop} ${mode}: the program computes the reference result and passes`, () => {
        const n = 5000;
        const p = benchProgram(loop, mode, BigInt(n));
        const r = runBareMetal(p.elf, { maxInstructions: 1_000_000 });
        expect(r.status).toBe("pass");
        // the loop dominates: n iterations of the body, plus a small set-up and exit path
        expect(r.instructions).toBeGreaterThanOrEqual(n * INSNS_PER_ITER[loop]);
        expect(r.instructions).toBeLessThan(n * INSNS_PER_ITER[loop] + 100);
      });
    }
  }
  it("a wrong reference value makes the program fail (the check is real)", () => {
    const p = benchProgram("p2", "u-sv39", 100n, expectedResult("p2", 100n) + 1n);
    const r = runBareMetal(p.elf, { maxInstructions: 100_000 });
    expect(r.status).toBe("fail");
    expect(r.exitCode).toBe(1);
  });
});
