import { describe, expect, it } from "vitest";
import { PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from "../../impl/abi/sv39.ts";
import { PhysicalMemory } from "../../impl/riscv/memory.ts";
import { enclaveMappings } from "./enclaveMappings.ts";

const PAGE = 4096n;
const pte = (pa: bigint, flags: bigint): bigint => ((pa / PAGE) << 10n) | flags;

describe("enclaveMappings", () => {
  const mem = new PhysicalMemory(8 << 20);
  const at = (page: number): bigint => mem.base + BigInt(page) * PAGE;
  const [root, mid, leafTable, highMid, highLeaves] = [1, 2, 3, 4, 5].map(at) as [bigint, bigint, bigint, bigint, bigint];
  const put = (table: bigint, i: number, value: bigint): void => mem.write64(table + BigInt(8 * i), value);
  // VA 0x1000 → page 10 (RW user), VA 0x2000 → page 11 (R user), VA 0x3000 → page 12 (supervisor only)
  put(root, 0, pte(mid, PTE_V));
  put(mid, 0, pte(leafTable, PTE_V));
  put(leafTable, 1, pte(at(10), PTE_V | PTE_R | PTE_W | PTE_U));
  put(leafTable, 2, pte(at(11), PTE_V | PTE_R | PTE_U | PTE_X));
  put(leafTable, 3, pte(at(12), PTE_V | PTE_R | PTE_W));
  put(leafTable, 4, pte(at(13), PTE_R | PTE_W | PTE_U)); // not valid
  // a user megapage at VA 0x20_0000 → page 512
  put(mid, 1, pte(at(512), PTE_V | PTE_R | PTE_U));
  // a pointer to a table outside RAM is not followed
  put(mid, 2, pte(0x1000n, PTE_V));
  // the top of the address space: VA 0xffff_ffff_ffff_f000 → page 20
  put(root, 511, pte(highMid, PTE_V));
  put(highMid, 511, pte(highLeaves, PTE_V));
  put(highLeaves, 511, pte(at(20), PTE_V | PTE_R | PTE_W | PTE_U));

  const maps = enclaveMappings(mem, root);

  it("lists 4 KiB user leaves with their writability and skips invalid and supervisor leaves", () => {
    expect(maps.find((m) => m.va === 0x1000n)).toEqual({ va: 0x1000n, pa: at(10), writable: true });
    expect(maps.find((m) => m.va === 0x2000n)).toEqual({ va: 0x2000n, pa: at(11), writable: false });
    expect(maps.some((m) => m.va === 0x3000n || m.va === 0x4000n)).toBe(false);
  });

  it("lists a megapage page by page", () => {
    const mega = maps.filter((m) => m.va >= 0x20_0000n && m.va < 0x40_0000n);
    expect(mega).toHaveLength(512);
    expect(mega.every((m) => m.pa - at(512) === m.va - 0x20_0000n && !m.writable)).toBe(true);
  });

  it("sign-extends VAs of the upper half", () => {
    expect(maps.find((m) => m.pa === at(20))?.va).toBe(0xffff_ffff_ffff_f000n);
    expect(maps).toHaveLength(2 + 512 + 1);
  });
});
