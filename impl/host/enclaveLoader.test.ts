import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "./boot.ts";
import { loadEnclaveAt, regionPages } from "./enclaveLoader.ts";

const AGENT = new Uint8Array(readFileSync(new URL("../eapp/bin/agent.elf", import.meta.url)));
const PAGE = 4096n;

describe("the enclave loader", () => {
  const P = bootPlatform({ ramSize: 16 << 20 });
  const k = P.kernel;

  it("lays the image out with S-mode stores and reports the ELF's entry", () => {
    const pages = regionPages(AGENT, 4n * PAGE, 16n);
    let size = PAGE;
    while (size < pages * PAGE) size <<= 1n;
    const at = k.allocPages(size);
    const first = loadEnclaveAt(k, AGENT, at, size, 4n * PAGE);
    const view = new DataView(AGENT.buffer, AGENT.byteOffset);
    expect(first.entry).toBe(view.getBigUint64(24, true));
    // the same array with other bytes is parsed again, not taken from the last load
    const moved = AGENT.slice();
    new DataView(moved.buffer).setBigUint64(24, first.entry + 4n, true);
    expect(loadEnclaveAt(k, moved, at, size, 4n * PAGE).entry).toBe(first.entry + 4n);
    const copy = AGENT.slice();
    expect(loadEnclaveAt(k, copy, at, size, 4n * PAGE).entry).toBe(first.entry);
    new DataView(copy.buffer).setBigUint64(24, first.entry + 8n, true); // mutated in place after a load
    expect(loadEnclaveAt(k, copy, at, size, 4n * PAGE).entry).toBe(first.entry + 8n);
  });
});
