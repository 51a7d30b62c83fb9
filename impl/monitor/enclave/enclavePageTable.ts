/**
 * The monitor's view of an enclave's Sv39 page table (kept in the enclave's private region): a
 * walk that lists every table page and leaf, and mapping/unmapping of 4 KiB pages. All reads are
 * bounds-checked so that a host-built table pointing anywhere cannot crash the monitor.
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import { PAGE } from "../platform.ts";

import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from "../../abi/sv39.ts";
export { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X };
/** Flags of every monitor-created mapping (PGL §4.6: D|A|R|W|U|V). */
export const MONITOR_MAP_FLAGS = PTE_D | PTE_A | PTE_R | PTE_W | PTE_U | PTE_V;

export interface Leaf {
  /** Canonical (sign-extended) virtual address. */
  va: bigint;
  /** Physical address of the PTE. */
  slot: bigint;
  pte: bigint;
  /** 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB. */
  level: number;
  pa: bigint;
}

export interface TableWalk {
  tables: bigint[];
  leaves: Leaf[];
  /** Set when an entry points outside RAM or the walk is malformed. */
  error: string | null;
}

export const ppnOf = (pte: bigint): bigint => (pte >> 10n) & ((1n << 44n) - 1n);
const canonical = (va: bigint): bigint => (va & (1n << 38n) ? va | ~((1n << 39n) - 1n) : va) & ((1n << 64n) - 1n);

function inRam(mem: PhysicalMemory, pa: bigint, len: bigint): boolean {
  return pa >= mem.base && pa + len <= mem.base + BigInt(mem.size);
}

/** Walk the table rooted at `root`; stops at `maxTables` tables (a cyclic or huge table is an error). */
export function walkTable(mem: PhysicalMemory, root: bigint, maxTables = 4096): TableWalk {
  const out: TableWalk = { tables: [], leaves: [], error: null };
  const visit = (table: bigint, level: number, vaBase: bigint): void => {
    if (out.error) return;
    if (!inRam(mem, table, PAGE) || table % PAGE !== 0n) {
      out.error = `table 0x${table.toString(16)} outside RAM`;
      return;
    }
    if (out.tables.length >= maxTables) {
      out.error = "too many page-table pages";
      return;
    }
    out.tables.push(table);
    const shift = 12n + 9n * BigInt(level);
    const w0 = Number(table - mem.base) >>> 2;
    for (let k = 0; k < 512; k++) {
      if ((mem.words[w0 + 2 * k]! & 1) === 0) continue; // V clear: skip without BigInt work (tables are sparse)
      const i = BigInt(k);
      const slot = table + 8n * i;
      const pte = mem.read64(slot);
      const va = vaBase + (i << shift);
      if ((pte & (PTE_R | PTE_W | PTE_X)) === 0n) {
        if (level === 0) {
          out.error = "pointer at the last level";
          return;
        }
        visit(ppnOf(pte) * PAGE, level - 1, va);
        if (out.error) return;
      } else out.leaves.push({ va: canonical(va), slot, pte, level, pa: ppnOf(pte) * PAGE });
    }
  };
  visit(root, 2, 0n);
  return out;
}

/**
 * Map the 4 KiB page `va` → `pa` with `flags`, creating missing tables with `allocTable` (which
 * returns a zeroed page-table page or null). Returns false if out of table pages or if `va` is
 * already mapped.
 */
export function mapPage(
  mem: PhysicalMemory,
  root: bigint,
  va: bigint,
  pa: bigint,
  flags: bigint,
  allocTable: () => bigint | null,
): boolean {
  let table = root;
  for (const shift of [30n, 21n]) {
    const slot = table + ((va >> shift) & 511n) * 8n;
    const e = mem.read64(slot);
    if (e & PTE_V) {
      if (e & (PTE_R | PTE_W | PTE_X)) return false; // a huge leaf is in the way
      table = ppnOf(e) * PAGE;
      continue;
    }
    const t = allocTable();
    if (t === null) return false;
    mem.write64(slot, ((t / PAGE) << 10n) | PTE_V);
    table = t;
  }
  const slot = table + ((va >> 12n) & 511n) * 8n;
  if (mem.read64(slot) & PTE_V) return false;
  mem.write64(slot, ((pa / PAGE) << 10n) | flags);
  return true;
}

/** Remove the 4 KiB mapping of `va`; returns the PA it mapped or null. */
/**
 * Page-table pages a mapping of [va, va+size) would allocate: the intermediate tables it lacks (one
 * per new 1 GiB and per new 2 MiB slot). A region mapped again where it was before needs none.
 */
export function tablesNeeded(mem: PhysicalMemory, root: bigint, va: bigint, size: bigint): number {
  const seen = new Set<bigint>();
  let n = 0;
  for (let v = va - (va % (2n << 20n)); v < va + size; v += 2n << 20n) {
    const e1 = mem.read64(root + ((v >> 30n) & 511n) * 8n);
    if (!(e1 & PTE_V)) {
      if (!seen.has(v >> 30n)) n++; // the 1 GiB slot's table
      seen.add(v >> 30n);
      n++; // and this 2 MiB slot's
      continue;
    }
    if (!(mem.read64(ppnOf(e1) * PAGE + ((v >> 21n) & 511n) * 8n) & PTE_V)) n++;
  }
  return n;
}

export function unmapPage(mem: PhysicalMemory, root: bigint, va: bigint): bigint | null {
  let table = root;
  for (const shift of [30n, 21n]) {
    const e = mem.read64(table + ((va >> shift) & 511n) * 8n);
    if ((e & PTE_V) === 0n || (e & (PTE_R | PTE_W | PTE_X)) !== 0n) return null;
    table = ppnOf(e) * PAGE;
  }
  const slot = table + ((va >> 12n) & 511n) * 8n;
  const e = mem.read64(slot);
  if ((e & PTE_V) === 0n) return null;
  mem.write64(slot, 0n);
  return ppnOf(e) * PAGE;
}

/** Translate `va` through the table (4 KiB leaves or superpages); null if unmapped or not user-accessible. */
export function translate(mem: PhysicalMemory, root: bigint, va: bigint): { pa: bigint; pte: bigint } | null {
  let table = root;
  for (let level = 2; level >= 0; level--) {
    const shift = 12n + 9n * BigInt(level);
    if (!inRam(mem, table, PAGE)) return null;
    const e = mem.read64(table + ((va >> shift) & 511n) * 8n);
    if ((e & PTE_V) === 0n) return null;
    if (e & (PTE_R | PTE_W | PTE_X)) {
      if ((e & PTE_U) === 0n) return null;
      const mask = (1n << shift) - 1n;
      return { pa: ((ppnOf(e) * PAGE) & ~mask) | (va & mask), pte: e };
    }
    table = ppnOf(e) * PAGE;
  }
  return null;
}
