import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "./host/boot.ts";
import { PenglaiDriver } from "./host/penglaiDriver.ts";
import { abstractState } from "./abstraction.ts";
import { HOST } from "../model/state.ts";

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`./eapp/bin/${name}.elf`, import.meta.url)));

describe("abstraction function α (impl → model System)", () => {
  it("maps the booted platform: monitor pages first, then the page-table area, the rest host", () => {
    const p = bootPlatform({ harts: 2, ramSize: 16 << 20 });
    const s = abstractState(p);
    expect(s.config.pages).toBe(4096);
    expect(s.harts).toEqual([HOST, HOST]);
    expect(s.pages.slice(0, 512).every((x) => x.owner === "monitor" && x.secure)).toBe(true);
    expect(s.pages.slice(512, 1024).every((x) => x.owner === "pta" && !x.secure)).toBe(true);
    expect(s.pages.filter((x) => x.owner === "host").every((x) => !x.secure)).toBe(true); // OW-1
    expect(s.enclaves.every((e) => e.state === "free")).toBe(true);
  });

  it("follows an enclave through create, ocall and exit with the monitor's eid and page numbers", () => {
    const p = bootPlatform({ harts: 1, ramSize: 16 << 20 });
    const d = new PenglaiDriver(p.kernel);
    const eid = d.create(elf("hello-world"));
    const region = d.enclaves.get(eid)!.region;
    const first = Number((region.paddr - 0x8000_0000n) / 4096n);
    let s = abstractState(p);
    expect(s.enclaves[eid]).toMatchObject({ kind: "normal", state: "fresh", creator: 0 });
    expect(s.enclaves[eid].measurement).toMatch(/^[0-9a-f]{64}$/);
    for (let i = first; i < first + Number(region.size / 4096n); i++)
      expect(s.pages[i]).toMatchObject({ owner: "enclave", id: eid, secure: true });
    d.run(eid);
    s = abstractState(p);
    expect(s.enclaves[eid].state).toBe("free");
    for (let i = first; i < first + Number(region.size / 4096n); i++)
      expect(s.pages[i]).toMatchObject({ owner: "host", secure: false, zeroed: true }); // CS-1
  });
});
