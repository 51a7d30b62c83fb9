import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { OPCODES, Op } from "./opcodes.ts";

describe("instruction table", () => {
  it("has no two rows that match the same word (like Spike's check-opcode-overlap)", () => {
    for (let i = 0; i < OPCODES.length; i++) {
      for (let j = i + 1; j < OPCODES.length; j++) {
        const a = OPCODES[i],
          b = OPCODES[j];
        const common = (a.mask & b.mask) >>> 0;
        // rows overlap iff their MATCH bits agree wherever both masks care
        const overlap = (a.match & common) >>> 0 === (b.match & common) >>> 0;
        expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
      }
    }
  });

  it("has MATCH bits only inside MASK", () => {
    for (const r of OPCODES) expect((r.match & ~r.mask) >>> 0, r.name).toBe(0);
  });

  it("numbers the literal case labels of the executor exactly as Op does", () => {
    // hart.ts switches on numeric literals (a jump table) annotated with the op name
    const src = readFileSync(new URL("./hart.ts", import.meta.url), "utf8");
    const uses = [...src.matchAll(/\b(\d+) \/\* ([A-Z_]+) \*\//g)];
    expect(uses.length).toBeGreaterThan(60);
    for (const [, n, name] of uses) expect(Op[name], name).toBe(Number(n));
  });

  it("handles every op in the executor or an out-of-line helper", () => {
    const src = ["./hart.ts", "./alu.ts", "./csrInstruction.ts", "./system.ts", "./atomics.ts"]
      .map((f) => readFileSync(new URL(f, import.meta.url), "utf8"))
      .join("\n");
    for (const r of OPCODES) {
      const named = new RegExp(`(Op\\.${r.name}\\b)|(/\\* ${r.name} \\*/)`).test(src);
      // atomics other than LR/SC are dispatched by range and per-op cases in Hart.atomic
      expect(named, r.name).toBe(true);
    }
  });
});
