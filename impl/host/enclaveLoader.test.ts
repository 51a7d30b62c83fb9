import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "./boot.ts";
import { loadEnclaveAt, regionPages } from "./enclaveLoader.ts";
import { parseElf } from "../riscv/elf.ts";
import { EnclaveVa, REGION_ROOT_PAGE } from "../abi/enclaveAbi.ts";

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

  it("maps every segment page and the stack, each to a page of the region holding its bytes", () => {
    const stack = 4n * PAGE;
    let size = PAGE;
    while (size < regionPages(AGENT, stack, 16n) * PAGE) size <<= 1n;
    const at = k.allocPages(size);
    k.writeBytes(at, new Uint8Array(Number(size)).fill(0xa5)); // what the host left there is wiped
    const loaded = loadEnclaveAt(k, AGENT, at, size, stack);
    const mem = P.machine.mem;
    /** The leaf entry of `va` under the region's root (0 when a level is missing). */
    const leaf = (va: bigint): bigint => {
      let table = at + REGION_ROOT_PAGE * PAGE;
      for (const shift of [30n, 21n, 12n]) {
        const e = mem.read64(table + ((va >> shift) & 511n) * 8n);
        if ((e & 1n) === 0n) return 0n;
        if (shift === 12n) return e;
        table = (e >> 10n) * PAGE;
      }
      return 0n;
    };
    const used = new Set<bigint>();
    const pageOf = (va: bigint, perm: bigint): bigint => {
      const e = leaf(va);
      expect(e & 0xffn, `va ${va.toString(16)}`).toBe(perm);
      const pa = (e >> 10n) * PAGE;
      expect(pa >= at + 3n * PAGE && pa < loaded.freeMem).toBe(true);
      used.add(pa);
      return pa;
    };
    for (const seg of parseElf(AGENT).segments) {
      const perm = seg.flags & 2 ? 0xdfn : 0xdbn; // V R (W) X U A D
      for (let o = 0; o < seg.memsz; o++) {
        const va = seg.vaddr + BigInt(o);
        const pa = pageOf(va - (va % PAGE), perm) + (va % PAGE);
        expect(mem.read(pa, 1)[0], `byte at va ${va.toString(16)}`).toBe(o < seg.data.length ? seg.data[o] : 0);
      }
    }
    for (let va = EnclaveVa.STACK_TOP - stack; va < EnclaveVa.STACK_TOP; va += PAGE) {
      const pa = pageOf(va, 0xd7n); // V R W U A D
      expect(mem.read(pa, 4096).every((b) => b === 0)).toBe(true);
    }
    expect(leaf(EnclaveVa.STACK_TOP)).toBe(0n);
    expect(used.size).toBeGreaterThan(4);
  });
});
