/**
 * SBI_SM_MAP_PTE (PGL §1.3, §4.2): split the 2 MiB leaf at `pmdPa` into 512 4 KiB leaves written
 * into the page-table page `ptePage`, then point the PMD entry at it. The original did this with
 * no validation at all (PGL §4.3 (e)); here every write passes the SET_PTE rules first and nothing
 * is written unless all do (LC-6, PT-3).
 */
import type { PhysicalMemory } from "../../riscv/memory.ts";
import { ReturnCode } from "../../../model/codes.ts";
import type { PageBitmap } from "../pageBitmap.ts";
import { PAGE } from "../platform.ts";
import type { PtArea } from "./ptArea.ts";
import { applyWrites, checkEntry } from "./setPte.ts";

export function mapPte(mem: PhysicalMemory, area: PtArea, bitmap: PageBitmap, pmdPa: bigint, ptePage: bigint): number {
  if (pmdPa % 8n !== 0n || !area.contains(pmdPa, 8n) || area.subArea(pmdPa) !== "pmd") return ReturnCode.PTE_DEST_NOT_PTA;
  if (ptePage % PAGE !== 0n || !area.contains(ptePage, PAGE) || area.subArea(ptePage) !== "pte")
    return ReturnCode.PTE_DEST_NOT_PTA;
  const leaf = mem.read64(pmdPa);
  if ((leaf & 1n) === 0n || (leaf & 0xen) === 0n) return ReturnCode.INVALID_ARGUMENT; // not a valid 2 MiB leaf
  const flags = leaf & 0x3ffn;
  const ppn = (leaf >> 10n) & ((1n << 44n) - 1n);
  const writes: { pa: bigint; value: bigint }[] = [];
  for (let i = 0n; i < 512n; i++) {
    const value = ((ppn + i) << 10n) | flags;
    const dest = ptePage + 8n * i;
    const e = checkEntry(area, bitmap, dest, value);
    if (e !== null) return e === "targetPrivate" ? ReturnCode.PTE_TARGET_PRIVATE : ReturnCode.INVALID_ARGUMENT;
    writes.push({ pa: dest, value });
  }
  const pointer = ((ptePage / PAGE) << 10n) | 1n;
  if (checkEntry(area, bitmap, pmdPa, pointer) !== null) return ReturnCode.INVALID_ARGUMENT;
  writes.push({ pa: pmdPa, value: pointer });
  applyWrites(mem, area, writes);
  return ReturnCode.SUCCESS;
}
