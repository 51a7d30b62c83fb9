/**
 * check_enclave_layout with the intended rules of design.md (PGL §4.6; MI-1, PT-5): every
 * page-table page of the enclave lies inside its region and is never mapped as a leaf; every leaf
 * is a user 4 KiB page inside the region, not the monitor's bookkeeping page, W only with R; and
 * no physical page is mapped twice.
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import { PAGE } from "../platform.ts";
import { PTE_R, PTE_U, PTE_W, walkTable, type TableWalk } from "./enclavePageTable.ts";

export function checkLayout(
  mem: PhysicalMemory,
  root: bigint,
  base: bigint,
  size: bigint,
): { walk: TableWalk; error: string | null } {
  const inside = (pa: bigint): boolean => pa >= base && pa + PAGE <= base + size;
  const walk = walkTable(mem, root, Number(size / PAGE));
  if (walk.error) return { walk, error: walk.error };
  const tables = new Set(walk.tables);
  for (const t of walk.tables) if (!inside(t) || t === base) return { walk, error: "page-table page outside the region" };
  const seen = new Set<bigint>();
  for (const l of walk.leaves) {
    if (l.level !== 0) return { walk, error: "superpage leaf" };
    if (!inside(l.pa)) return { walk, error: `leaf ${l.va.toString(16)} maps outside the region` };
    if (l.pa === base) return { walk, error: "leaf maps the bookkeeping page" };
    if (tables.has(l.pa)) return { walk, error: "leaf maps a page-table page" };
    if ((l.pte & PTE_U) === 0n) return { walk, error: "leaf without U" };
    if ((l.pte & PTE_W) !== 0n && (l.pte & PTE_R) === 0n) return { walk, error: "W without R" };
    if (seen.has(l.pa)) return { walk, error: "physical page mapped twice" };
    seen.add(l.pa);
  }
  return { walk, error: null };
}
