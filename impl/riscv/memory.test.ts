import { describe, expect, it } from "vitest";
import { Machine } from "./machine.ts";
import { PhysicalMemory } from "./memory.ts";
import * as E from "./asm/encode.ts";

const RAM = 0x8000_0000n;
const SIZE = 1 << 20;
const code = (ws: number[]): Uint8Array => {
  const b = new Uint8Array(ws.length * 4);
  const v = new DataView(b.buffer);
  ws.forEach((w, i) => v.setUint32(4 * i, w >>> 0, true));
  return b;
};

describe("pristine pages", () => {
  it("a page is pristine (known zero) until a write touches it, and again after a whole-page zero fill", () => {
    const m = new Machine({ harts: 1, ramSize: SIZE });
    expect(m.mem.pristine(0)).toBe(true);
    // page 0: code; it stores x5 at RAM + 0x3008 and RAM + 0x4ff8, then spins
    m.mem.write(
      RAM,
      code([
        E.lui(6, 3),
        E.addi(5, 0, 7),
        E.add(6, 6, 10),
        E.sd(5, 6, 8),
        E.lui(7, 5),
        E.add(7, 7, 10),
        E.sd(5, 7, -8),
        E.jal(0, 0),
      ]),
    );
    m.mem.write64(RAM + 0x8000n, 1n);
    m.mem.fill(RAM + 0x9000n, 2 * 4096, 0xab);
    m.mem.fill(RAM + 0xb000n, 4096, 0x11);
    m.mem.fill(RAM + 0xb000n, 4096); // zero-filled again: known zero
    m.reset(RAM);
    m.harts[0]!.setX(10, RAM);
    m.run(100);
    const touched = [0, 3, 4, 8, 9, 10];
    for (let p = 0; p < 16; p++) expect(m.mem.pristine(p), `page ${p}`).toBe(!touched.includes(p));
    expect([m.mem.read64(RAM + 0x3008n), m.mem.read64(RAM + 0x4ff8n)]).toEqual([7n, 7n]);
  });

  it("a disposed memory's buffer comes back all zero and pristine", () => {
    const a = new PhysicalMemory(SIZE);
    a.write64(RAM + 0x5000n, -1n);
    a.fill(RAM + 0x10000n, 3 * 4096, 0xab);
    a.dispose();
    const b = new PhysicalMemory(SIZE);
    expect(b.bytes.every((x) => x === 0)).toBe(true);
    expect(Array.from({ length: SIZE / 4096 }, (_, p) => b.pristine(p)).every(Boolean)).toBe(true);
  });

  it("counts writes to tracked pages, overall and per page, and no others", () => {
    const m = new PhysicalMemory(SIZE);
    m.track(5);
    m.track(7);
    m.write64(RAM + 0x6000n, 1n); // untracked
    expect([m.trackedWrites, m.pageWrites[5], m.pageWrites[7]]).toEqual([0, 0, 0]);
    m.write64(RAM + 0x5ff8n, 1n);
    m.fill(RAM + 0x5000n, 3 * 4096); // pages 5, 6, 7: one write, two tracked pages
    expect([m.trackedWrites, m.pageWrites[5], m.pageWrites[6], m.pageWrites[7]]).toEqual([2, 2, 0, 1]);
    m.storeSideEffects(0x7000, 8, 0); // a guest store (the hart calls this for pages with flags)
    expect([m.trackedWrites, m.pageWrites[7]]).toEqual([3, 2]);
    m.dispose();
  });

  it("refuses firmware accesses outside RAM, however far, and takes every one inside", () => {
    const m = new PhysicalMemory(SIZE);
    const end = RAM + BigInt(SIZE);
    for (const [pa, len] of [
      [RAM - 8n, 8],
      [end - 4n, 8],
      [end, 1],
      [(1n << 64n) - 1n, 1],
      [(1n << 53n) + RAM, 8],
      [-1n, 1],
    ] as const)
      expect(() => m.read(pa, len), `0x${pa.toString(16)}+${len}`).toThrow(RangeError);
    m.write64(end - 8n, 0x0102n);
    expect([m.read64(end - 8n), m.read(RAM, 8).length, m.read(end, 0).length]).toEqual([0x0102n, 8, 0]);
    m.dispose();
  });
});
