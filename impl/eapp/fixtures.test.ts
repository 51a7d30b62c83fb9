import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { parseElf } from "../riscv/elf.ts";
import { VA } from "./testing/ecallRecorder.ts";

const dir = new URL("./", import.meta.url);
const demos = readdirSync(new URL("demos/", dir)).sort();
const fixtures = readdirSync(new URL("bin/", dir)).sort();

describe("committed enclave fixtures (bin/*.elf) have the layout the driver loads (PGL §4.6)", () => {
  it("every demo has its fixture and every fixture its demo", () => {
    expect(fixtures).toEqual(demos.map((d) => `${d}.elf`));
  });

  for (const f of fixtures) {
    it(`${f}: entry _start = 0x1000, an R+X text segment, an R+W data segment, no shared page, below the heap`, () => {
      const elf = parseElf(new Uint8Array(readFileSync(new URL(`bin/${f}`, dir))));
      expect(elf.entry).toBe(0x1000n);
      expect(elf.symbols.get("_start")).toBe(0x1000n);
      expect(elf.segments.map((s) => s.flags)).toEqual([5, 6]); // PF_R|PF_X, PF_R|PF_W
      const [text, data] = elf.segments;
      expect(text.vaddr).toBe(0x1000n);
      const textEnd = (text.vaddr + BigInt(text.memsz) + 0xfffn) & ~0xfffn;
      expect(data.vaddr % 4096n).toBe(0n);
      expect(data.vaddr).toBeGreaterThanOrEqual(textEnd);
      expect(data.vaddr + BigInt(data.memsz)).toBeLessThan(VA.HEAP_BASE);
    });
  }
});
