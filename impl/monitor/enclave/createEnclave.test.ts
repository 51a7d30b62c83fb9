import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { loadEnclaveAt, regionPages } from "../../host/enclaveLoader.ts";
import { ReturnCode } from "../../../model/codes.ts";

const PAGE = 4096n;
const HELLO = new Uint8Array(readFileSync(new URL("../../eapp/bin/hello-world.elf", import.meta.url)));

describe("create: a failure after the monitor wrote into the region", () => {
  it("gives the region back exactly as the host laid it out (one free page for the kbuffer's two tables: NO_MEM)", () => {
    const p = bootPlatform({ harts: 1, ramSize: 16 << 20 });
    const d = new PenglaiDriver(p.kernel);
    // the image, its tables and the region's first pages fit 16 pages; the loader's slack is left out
    const size = 16n * PAGE;
    expect(regionPages(HELLO, 4n * PAGE, 0n)).toBeLessThan(16n);
    const paddr = p.kernel.allocPages(size);
    const loaded = loadEnclaveAt(p.kernel, HELLO, paddr, size, 4n * PAGE);
    // the host leaves one free page, with its own bytes in it: the kbuffer's first new table takes it
    // (zeroed, linked from the root), the second finds nothing
    const region = { ...loaded, freeMem: paddr + size - PAGE };
    p.kernel.write64(paddr + size - PAGE + 0x80n, 0x1234_5678n);
    const kbuffer = p.kernel.allocPages(PAGE);
    const before = p.machine.mem.read(paddr, Number(size));
    expect(d.create(HELLO, { placed: { region, kbuffer } })).toBe(ReturnCode.NO_MEM);
    expect(Buffer.compare(p.machine.mem.read(paddr, Number(size)), before)).toBe(0);
    expect(p.monitor.state.enclaves.every((e) => e === null)).toBe(true);
    expect(p.monitor.state.bitmap!.isPublicRange(paddr, size)).toBe(true);
  });
});
