/**
 * The user mappings of an enclave, read from its Sv39 page table in physical memory (the checker's
 * view, not the enclave's): which physical page each user VA page maps, and whether it is writable.
 */
import { PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from "../../impl/abi/sv39.ts";
import type { PhysicalMemory } from "../../impl/riscv/memory.ts";

export interface Mapping {
  va: bigint;
  pa: bigint;
  writable: boolean;
}

const PAGE = 4096n;
const PPN = (1n << 44n) - 1n;

/** Every 4 KiB user leaf reachable from `root` (superpages are listed page by page). */
export function enclaveMappings(mem: PhysicalMemory, root: bigint): Mapping[] {
  const out: Mapping[] = [];
  const inRam = (pa: bigint): boolean => pa >= mem.base && pa + PAGE <= mem.base + BigInt(mem.size);
  const walk = (table: bigint, level: number, vaBase: bigint): void => {
    if (!inRam(table)) return;
    for (let i = 0n; i < 512n; i++) {
      const pte = mem.read64(table + i * 8n);
      if (!(pte & PTE_V)) continue;
      const va = vaBase | (i << BigInt(12 + 9 * level));
      const pa = ((pte >> 10n) & PPN) * PAGE;
      if (pte & (PTE_R | PTE_X)) {
        if (!(pte & PTE_U)) continue;
        const pages = 1n << BigInt(9 * level);
        for (let j = 0n; j < pages; j++) out.push({ va: va + j * PAGE, pa: pa + j * PAGE, writable: (pte & PTE_W) !== 0n });
      } else if (level > 0) walk(pa, level - 1, va);
    }
  };
  walk(root, 2, 0n);
  // Sv39 VAs are sign-extended from bit 38 (the kbuffer lives at the top of the address space)
  for (const m of out) if (m.va & (1n << 38n)) m.va |= ~((1n << 39n) - 1n) & ((1n << 64n) - 1n);
  return out;
}
