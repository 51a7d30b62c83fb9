/**
 * The check of PT_AREA_SEPARATION (PGL §4.4 `check_pt_area_mapping`, extended to every level and to
 * leaves): every valid entry of every page of the area obeys the SET_PTE rules for its sub-area —
 * pointers go one sub-area down (PT-3) and leaves map only public DRAM (PT-4).
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import type { PageBitmap } from "../pageBitmap.ts";
import { DRAM_BASE } from "../platform.ts";
import type { PtArea } from "./ptArea.ts";
import { checkEntry, type SetPteError } from "./setPte.ts";

/** The first rule broken by an entry of the area, or null (pages the area has noted as all zero are skipped). */
export function checkAreaMapping(mem: PhysicalMemory, area: PtArea, bitmap: PageBitmap): SetPteError | null {
  const words = mem.words;
  const dramPage = Number(DRAM_BASE) / 4096;
  for (const page of area.usedPages()) {
    const w0 = Number(page - mem.base) >>> 2;
    const leafLevel = page >= area.pteBase;
    for (let i = 0; i < 512; i++) {
      const low = words[w0 + 2 * i]!;
      if ((low & 1) === 0) continue; // invalid: nothing to check (most of the area is empty)
      // the common case without BigInt: a 4 KiB leaf, no reserved bit, to a public DRAM page (checkEntry's answer: null)
      const high = words[w0 + 2 * i + 1]!;
      if (leafLevel && (low & 0xe) !== 0 && high >>> 22 === 0) {
        const index = (high & 0x3fffff) * 2 ** 22 + (low >>> 10) - dramPage;
        if (index >= 0 && index < bitmap.pages && !bitmap.isPrivate(index)) continue;
      }
      const slot = page + BigInt(8 * i);
      const e = checkEntry(area, bitmap, slot, mem.read64(slot));
      if (e !== null) return e;
    }
  }
  return null;
}
