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

const PAGE = 4096;
const V = 1,
  R = 2,
  W = 4,
  X = 8,
  U = 16;
/** Sv39 VAs are sign-extended from bit 38 (the kbuffer lives at the top of the address space). */
const HIGH_HALF = 2 ** 38;
const SIGN_EXTENSION = ~((1n << 39n) - 1n) & ((1n << 64n) - 1n);
/** Bytes a leaf maps at each level (a table, not `2 ** …`: V8 runs a loop next to a variable power ~15× slower). */
const SPAN = [PAGE, 2 ** 21, 2 ** 30];

/**
 * Every 4 KiB user leaf reachable from `root` (superpages are listed page by page); `onTable` learns
 * the RAM page index of every table read. The walk reads
 * 32-bit halves of the entries (every Sv39 PA and VA fits a double exactly); BigInt only for the result.
 */
export function enclaveMappings(mem: PhysicalMemory, root: bigint, onTable?: (ramPage: number) => void): Mapping[] {
  const out: Mapping[] = [];
  const words = mem.words;
  const base = Number(mem.base);
  const end = base + mem.size;
  const walk = (table: number, level: number, vaBase: number): void => {
    if (table < base || table + PAGE > end) return;
    const w0 = (table - base) >>> 2;
    onTable?.(w0 >>> 10);
    const span = SPAN[level]!;
    for (let i = 0; i < 512; i++) {
      const low = words[w0 + 2 * i]!;
      if ((low & V) === 0) continue;
      const va = vaBase + i * span;
      const pa = ((words[w0 + 2 * i + 1]! & 0x3fffff) * 2 ** 22 + (low >>> 10)) * PAGE;
      if ((low & (R | X)) !== 0) {
        if ((low & U) === 0) continue;
        const writable = (low & W) !== 0;
        for (let j = 0; j < span; j += PAGE) {
          const v = BigInt(va + j);
          out.push({ va: va + j >= HIGH_HALF ? v | SIGN_EXTENSION : v, pa: BigInt(pa + j), writable });
        }
      } else if (level > 0) walk(pa, level - 1, va);
    }
  };
  walk(Number(root), 2, 0);
  return out;
}
