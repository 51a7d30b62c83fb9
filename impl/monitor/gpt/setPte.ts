/**
 * SBI_SET_PTE (PGL §4.3) with the intended rule of design.md: every write is validated first and
 * nothing is written if any check fails (LC-6); the destination must lie inside the page-table area
 * (PT-3); a next-level pointer must point into the next sub-area (PGD → PMD → PTE); a leaf may map
 * only public DRAM pages (PT-3, MI-4). There is no bit-63 bypass, and invalid (V=0) entries are the
 * only values that skip the target checks.
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import type { PageBitmap } from "../pageBitmap.ts";
import { PAGE } from "../platform.ts";
import type { PtArea } from "./ptArea.ts";

export const SetPteFlag = { ONE: 1, MEMSET: 2, MEMCPY: 3, BATCH_ZERO: 4, BATCH_SET: 5 } as const;

/** Most records a batch may carry (Linux CONFIG_PT_AREA_BATCH: 512). */
export const MAX_BATCH = 512;

const PTE_V = 1n;
const PTE_RWX = 0xen;
const PPN_MASK = (1n << 44n) - 1n;

/** Why a SET_PTE was refused (each maps to one return code). */
export type SetPteError = "destNotPta" | "targetPrivate" | "badPointer" | "invalidArgument";

/** One validated 64-bit store into the page-table area. */
interface PteWrite {
  pa: bigint;
  value: bigint;
}

/** Check one entry value for destination `dest` (PGL §4.3 location and public rules). */
export function checkEntry(area: PtArea, bitmap: PageBitmap, dest: bigint, value: bigint): SetPteError | null {
  if (dest % 8n !== 0n || !area.contains(dest, 8n)) return "destNotPta";
  if ((value & PTE_V) === 0n) return null; // invalid entries map nothing
  if (value >> 54n !== 0n) return "invalidArgument"; // reserved bits 63:54 (no bypass)
  const target = ((value >> 10n) & PPN_MASK) * PAGE;
  const level = area.subArea(dest);
  if ((value & PTE_RWX) === 0n) {
    // pointer: PGD → PMD sub-area, PMD → PTE sub-area; a PTE-level pointer is meaningless
    if (level === "pgd") return target >= area.pmdBase && target < area.pteBase ? null : "badPointer";
    if (level === "pmd") return target >= area.pteBase && target < area.end ? null : "badPointer";
    return "badPointer";
  }
  // leaf: 1 GiB at PGD level, 2 MiB at PMD level, 4 KiB at PTE level — all of it public DRAM
  const span = level === "pgd" ? 1n << 30n : level === "pmd" ? 1n << 21n : PAGE;
  if (target % span !== 0n) return "invalidArgument"; // a misaligned superpage would fault anyway
  return bitmap.isPublicRange(target, span) ? null : "targetPrivate";
}

/**
 * Validate a SET_PTE call and return the writes it would perform, or the reason it is refused.
 * `flag`, `ptePa`, `src`, `size` are the raw a0..a3 of the call.
 */
export function planSetPte(
  mem: PhysicalMemory,
  area: PtArea,
  bitmap: PageBitmap,
  flag: bigint,
  ptePa: bigint,
  src: bigint,
  size: bigint,
): PteWrite[] | SetPteError {
  const writes: PteWrite[] = [];
  const add = (dest: bigint, value: bigint): SetPteError | null => {
    const e = checkEntry(area, bitmap, dest, value);
    if (e === null) writes.push({ pa: dest, value });
    return e;
  };
  switch (flag) {
    case BigInt(SetPteFlag.ONE): {
      const e = add(ptePa, src);
      return e ?? writes;
    }
    case BigInt(SetPteFlag.MEMSET): {
      // src is the fill value; only zero is meaningful for page tables
      if (src !== 0n || size % 8n !== 0n || size <= 0n || size > area.size) return "invalidArgument";
      if (!area.contains(ptePa, size) || ptePa % 8n !== 0n) return "destNotPta";
      for (let o = 0n; o < size; o += 8n) writes.push({ pa: ptePa + o, value: 0n });
      return writes;
    }
    case BigInt(SetPteFlag.MEMCPY): {
      // copy entries from another page-table page (pgd_alloc copies the kernel half)
      if (size % 8n !== 0n || size <= 0n || size > PAGE) return "invalidArgument";
      if (!area.contains(src, size) || src % 8n !== 0n) return "destNotPta";
      for (let o = 0n; o < size; o += 8n) {
        const e = add(ptePa + o, mem.read64(src + o));
        if (e !== null) return e;
      }
      return writes;
    }
    case BigInt(SetPteFlag.BATCH_ZERO):
    case BigInt(SetPteFlag.BATCH_SET): {
      // src = PA of `size` records {ptep, value} (16 bytes each) in public host memory
      if (size <= 0n || size > BigInt(MAX_BATCH)) return "invalidArgument";
      if (src % 8n !== 0n || !bitmap.isPublicRange(src - (src % PAGE), roundUp((src % PAGE) + size * 16n)))
        return "invalidArgument";
      for (let i = 0n; i < size; i++) {
        const dest = mem.read64(src + 16n * i);
        const value = flag === BigInt(SetPteFlag.BATCH_ZERO) ? 0n : mem.read64(src + 16n * i + 8n);
        const e = add(dest, value);
        if (e !== null) return e;
      }
      return writes;
    }
    default:
      return "invalidArgument";
  }
}

function roundUp(n: bigint): bigint {
  return ((n + PAGE - 1n) / PAGE) * PAGE;
}

/** Perform validated writes (all inside `area`). */
export function applyWrites(mem: PhysicalMemory, area: PtArea, writes: PteWrite[]): void {
  for (const w of writes) {
    mem.write64(w.pa, w.value);
    area.noteWrite(w.pa);
  }
}
