import { describe, expect, it } from "vitest";
import { Machine } from "../../riscv/machine.ts";
import { PageBitmap } from "../pageBitmap.ts";
import { PtArea } from "../gpt/ptArea.ts";
import { applyWrites } from "../gpt/setPte.ts";
import { releaseRange, secureRange } from "./secureMemory.ts";

const PAGE = 4096n;
const leaf = (pa: bigint): bigint => ((pa / PAGE) << 10n) | 0xcfn; // V R W X A D

describe("secureRange over the page-table area", () => {
  const setup = () => {
    const machine = new Machine({ harts: 1, ramSize: 8 << 20 });
    const mem = machine.mem;
    const bitmap = new PageBitmap(mem, mem.base + 64n * PAGE, mem.size);
    bitmap.init();
    const base = mem.base + (2n << 20n);
    const target = mem.base + (4n << 20n);
    return { machine, mem, bitmap, base, target };
  };

  it("finds host leaves the host wrote before the area was taken, and those SET_PTE wrote later", () => {
    const { machine, mem, bitmap, base, target } = setup();
    mem.write64(base + 5n * PAGE + 8n, leaf(target)); // the host's table, before SM_INIT
    const area = new PtArea(base, 2n << 20n, 0, 0);
    area.noteContents(mem);
    applyWrites(mem, area, [{ pa: base + 300n * PAGE + 16n, value: leaf(target + PAGE) }]); // a page no entry was in
    expect([...area.usedPages()]).toEqual([base + 5n * PAGE, base + 300n * PAGE]);
    const r = secureRange(machine, bitmap, area, target, 2n * PAGE);
    expect(r?.removed.map((l) => l.slot)).toEqual([base + 5n * PAGE + 8n, base + 300n * PAGE + 16n]);
    expect(mem.read64(base + 5n * PAGE + 8n) & 1n).toBe(0n);
    expect(mem.read64(base + 300n * PAGE + 16n) & 1n).toBe(0n);
    releaseRange(machine, bitmap, r!);
    expect(mem.read64(base + 300n * PAGE + 16n)).toBe(leaf(target + PAGE));
  });

  it("skips all-zero pages but nothing else", () => {
    const { mem, base } = setup();
    mem.write64(base + 511n * PAGE + 4088n, 1n); // the last word of the area
    const area = new PtArea(base, 2n << 20n, 0, 0);
    area.noteContents(mem);
    expect([...area.usedPages()]).toEqual([base + 511n * PAGE]);
  });
});
