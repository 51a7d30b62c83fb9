/**
 * Moving physical memory between the host and the secure world (PGL §4.5): securing a range marks
 * it private in the bitmap and removes every host leaf that maps it — at any level, huge leaves
 * included — then shoots down the TLBs of every hart (MI-4, MI-6, PT-4). Releasing zeroes the range
 * first (CS-1), marks it public and re-validates exactly the leaves its securing removed (PT-6; the
 * original re-validated every entry in range, PROT_NONE ones too).
 */
import type { Machine } from "../../riscv/machine.ts";
import type { PageBitmap } from "../pageBitmap.ts";
import type { PtArea } from "../gpt/ptArea.ts";
import { overlaps, PAGE } from "../platform.ts";
import { mutant } from "../../mutants.ts";

/** A host leaf removed by securing: its slot and the value it held. */
export interface RemovedLeaf {
  slot: bigint;
  value: bigint;
  /** Bytes the leaf mapped (4 KiB, 2 MiB or 1 GiB). */
  span: bigint;
}

/** A secured range and what securing it took from the host. */
export interface SecuredRange {
  pa: bigint;
  size: bigint;
  removed: RemovedLeaf[];
}

const SPAN = { pgd: 1n << 30n, pmd: 1n << 21n, pte: PAGE } as const;

/** Host leaves that map any byte of [pa, pa+size): their slots, values, and whether each lies wholly inside. */
function leavesMapping(machine: Machine, area: PtArea, pa: bigint, size: bigint): (RemovedLeaf & { inside: boolean })[] {
  const found: (RemovedLeaf & { inside: boolean })[] = [];
  const mem = machine.mem;
  // the page-table area is scanned on every securing (its all-zero pages skipped): 32-bit halves, BigInt only for hits
  const words = mem.words;
  const lo = Number(pa);
  const hi = Number(pa + size);
  for (const page of area.usedPages()) {
    const spanBig = SPAN[area.subArea(page)];
    const span = Number(spanBig);
    const w0 = Number(page - mem.base) >>> 2;
    for (let i = 0; i < 512; i++) {
      const low = words[w0 + 2 * i]!;
      // M15 (the original remap_mm_region, PGL §4.5): PROT_NONE entries (V clear, PFN kept) taken as removed leaves
      if ((low & 0xe) === 0 || ((low & 1) === 0 && !mutant("M15"))) continue; // pointer, or invalid
      const high = words[w0 + 2 * i + 1]! >>> 0;
      const target = ((high & 0x3fffff) * 2 ** 22 + (low >>> 10)) * 4096; // PPN (44 bits) · 4 KiB, exact in a double
      if (target < hi && lo < target + span) {
        const slot = page + BigInt(8 * i);
        const value = mem.read64(slot) | (mutant("M15") ? 1n : 0n); // M15: restored as valid on release
        found.push({ slot, value, span: spanBig, inside: target >= lo && target + span <= hi });
      }
    }
  }
  return found;
}

/**
 * Secure [pa, pa+size): page-aligned, all public DRAM outside the page-table area, and no host huge
 * leaf straddling its edges (it could not be removed without unmapping host memory outside the
 * range). Returns the record needed to release it, or null (and nothing changed) if refused.
 */
export function secureRange(machine: Machine, bitmap: PageBitmap, area: PtArea, pa: bigint, size: bigint): SecuredRange | null {
  if (size <= 0n || pa % PAGE !== 0n || size % PAGE !== 0n) return null;
  if (!bitmap.isPublicRange(pa, size) && !mutant("M09")) return null; // M09: no overlap test against enclaves and monitor
  // the host's page tables are never an enclave's, a relay's or the pool's pages: they would be
  // written outside SET_PTE (PT-2) while the host's MMU still walks them (spec: pta ASSIGN → PAGES_NOT_AVAILABLE)
  if (overlaps(pa, size, area.base, area.end - area.base)) return null;
  const leaves = leavesMapping(machine, area, pa, size);
  if (leaves.some((l) => !l.inside)) return null;
  bitmap.setRange(pa, size, true);
  const last = leaves[leaves.length - 1];
  for (const l of leaves) if (!(mutant("M14") && l === last)) machine.mem.write64(l.slot, l.value & ~1n);
  if (!mutant("M13")) shootDown(machine);
  return { pa, size, removed: leaves.map(({ slot, value, span }) => ({ slot, value, span })) };
}

/** Zero, make public, and restore the host leaves securing removed (if the host did not reuse the slot). */
export function releaseRange(machine: Machine, bitmap: PageBitmap, r: SecuredRange, zero = true): void {
  if (zero) machine.mem.fill(r.pa, Number(r.size)); // CS-1
  bitmap.setRange(r.pa, r.size, false);
  for (const l of r.removed) if (machine.mem.read64(l.slot) === (l.value & ~1n)) machine.mem.write64(l.slot, l.value);
  shootDown(machine);
}

/**
 * Remote TLB shootdown: every hart drops its cached translations (what an IPI-driven sfence.vma
 * on each hart achieves; MI-6). The firmware acts on the harts' TLBs directly.
 */
export function shootDown(machine: Machine): void {
  for (const h of machine.harts) h.flushTranslations();
}
