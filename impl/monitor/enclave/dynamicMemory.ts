/**
 * Enclave memory that grows at run time (PGL §2.3 OCALL_MMAP/UNMAP/SBRK, §4.6) with the intended
 * rules of design.md: the host only donates physical blocks; the monitor checks they are public,
 * secures them and zeroes every page before the enclave sees it (CS-2); VAs stay in their areas —
 * the heap grows up from HEAP_BASE, mmap regions down from MMAP_TOP — and never overlap.
 * Pages the heap or an mmap region gives back go to the host at once, scrubbed (PGL §2.3: the host
 * frees them), and the enclave leaves for the host with the ocall, as the spec's enclave.unmap/sbrk.
 */
import { EnclaveVa } from "../../abi/enclaveAbi.ts";
import { mutant } from "../../mutants.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE } from "../platform.ts";
import { secureRange } from "../memory/secureMemory.ts";
import { mapPage, MONITOR_MAP_FLAGS, translate, unmapPage } from "./enclavePageTable.ts";
import { inLiveWindow, type EnclaveRecord } from "./enclaveRecord.ts";

/** Largest single sbrk/mmap request (bounded, SP-2). */
export const MAX_DYNAMIC = 64n << 20n;

/** Per-enclave dynamic memory state. */
export interface DynamicMemory {
  heapTop: bigint;
  /** Private, zeroed, unmapped pages ready for the heap. */
  spare: bigint[];
  /** mmap regions: VA → pages; `relay` marks the relay region at MM_ARG_BASE (PGL §4.7). */
  mmaps: { va: bigint; pages: bigint[]; relay?: boolean }[];
  /** Lowest VA used by mmap regions (heap must stay below). */
  mmapFloor: bigint;
}

export function newDynamicMemory(): DynamicMemory {
  return { heapTop: EnclaveVa.HEAP_BASE, spare: [], mmaps: [], mmapFloor: EnclaveVa.MMAP_TOP };
}

/** Pages the enclave needs from the host to grow by `bytes` (0 if its spare pages suffice). */
export function pagesWanted(e: EnclaveRecord, bytes: bigint): bigint {
  const need = bytes / PAGE - BigInt(e.dyn.spare.length);
  return need > 0n ? need : 0n;
}

/** The host's block [pa, pa+size) could be taken for a request of `minPages`: aligned, bounded, public (no change). */
export function donationFits(st: MonitorState, pa: bigint, size: bigint, minPages: bigint): boolean {
  return donationShaped(pa, size, minPages) && st.bitmap!.isPublicRange(pa, size);
}

/** The block's shape: aligned, at least `minPages`, bounded (SP-2). Whether it is public, securing it says. */
function donationShaped(pa: bigint, size: bigint, minPages: bigint): boolean {
  return size >= minPages * PAGE && size <= MAX_DYNAMIC * 2n && pa % PAGE === 0n && size % PAGE === 0n;
}

/**
 * Take a donated block [pa, pa+size) from the host: public, aligned, at least `minPages`; it is
 * secured, zeroed and its pages join the spare pool. False (nothing changed) if it is unusable.
 */
export function acceptDonation(st: MonitorState, e: EnclaveRecord, pa: bigint, size: bigint, minPages: bigint): boolean {
  if (!donationShaped(pa, size, minPages)) return false;
  if (inLiveWindow(st.enclaves, pa, size)) return false; // some enclave's kbuffer or shm: never securable meanwhile
  // M16: a block that cannot be secured (some enclave's already) taken as if it had been: one page, two owners
  const range = secureRange(st.machine, st.bitmap!, st.ptArea!, pa, size) ?? (mutant("M16") ? { pa, size, removed: [] } : null);
  if (range === null) return false;
  if (!mutant("M29")) st.machine.mem.fill(pa, Number(size)); // CS-2: the enclave never sees host-chosen content
  st.ledger.add(range, e.eid);
  for (let p = pa + size - PAGE; p >= pa; p -= PAGE) e.dyn.spare.push(p);
  return true;
}

/** Page-table pages for new mappings come from the region's free pages, then from spare pages. */
function tableAllocator(st: MonitorState, e: EnclaveRecord): () => bigint | null {
  return () => {
    const t = e.freePages.pop() ?? e.dyn.spare.pop();
    if (t === undefined) return null;
    st.machine.mem.fill(t, 4096);
    return t;
  };
}

/** sbrk(+bytes) from the spare pool (the caller made sure it is large enough); returns the new top. */
export function growHeap(st: MonitorState, e: EnclaveRecord, bytes: bigint): bigint | null {
  const top = e.dyn.heapTop;
  if (top + bytes > e.dyn.mmapFloor) return null;
  const alloc = tableAllocator(st, e);
  for (let va = top; va < top + bytes; va += PAGE) {
    const pa = e.dyn.spare.pop();
    if (pa === undefined || !mapPage(st.machine.mem, e.root, va, pa, MONITOR_MAP_FLAGS, alloc)) return null;
  }
  e.dyn.heapTop = top + bytes;
  return e.dyn.heapTop;
}

/**
 * sbrk(−bytes): the pages above the new top leave the enclave for the host — unmapped, zeroed, public
 * again, host leaves restored, TLBs shot down (PGL §2.3 OCALL_SBRK: the freed chain goes to the host;
 * CS-1, PT-6, MI-6). Returns the new top, or null (nothing changed) if the heap holds fewer pages.
 */
export function shrinkHeap(st: MonitorState, e: EnclaveRecord, bytes: bigint): bigint | null {
  const top = e.dyn.heapTop;
  if (top - bytes < EnclaveVa.HEAP_BASE) return null;
  for (let va = top - bytes; va < top; va += PAGE) if (translate(st.machine.mem, e.root, va) === null) return null; // LC-6
  const pages: bigint[] = [];
  for (let va = top - bytes; va < top; va += PAGE) pages.push(unmapPage(st.machine.mem, e.root, va)!);
  e.dyn.heapTop = top - bytes;
  st.ledger.release(pages);
  return e.dyn.heapTop;
}

/**
 * mmap of `bytes` from the spare pool at `va` (0 = just below the lowest region). Returns the VA or
 * null if the range is not free inside the mmap area.
 */
export function mapRegion(st: MonitorState, e: EnclaveRecord, va: bigint, bytes: bigint): bigint | null {
  const at = va === 0n ? e.dyn.mmapFloor - bytes : va;
  if (at % PAGE !== 0n || at < e.dyn.heapTop || at + bytes > EnclaveVa.MMAP_TOP) return null;
  if (e.dyn.mmaps.some((m) => at < m.va + BigInt(m.pages.length) * PAGE && m.va < at + bytes)) return null;
  const alloc = tableAllocator(st, e);
  const pages: bigint[] = [];
  for (let v = at; v < at + bytes; v += PAGE) {
    const pa = e.dyn.spare.pop();
    if (pa === undefined || !mapPage(st.machine.mem, e.root, v, pa, MONITOR_MAP_FLAGS, alloc)) return null;
    pages.push(pa);
  }
  e.dyn.mmaps.push({ va: at, pages });
  if (at < e.dyn.mmapFloor) e.dyn.mmapFloor = at;
  return at;
}

/** Lowest VA of the enclave's mmap regions (the relay region at MM_ARG_BASE does not count). */
export function mmapFloorOf(e: EnclaveRecord): bigint {
  return e.dyn.mmaps.reduce<bigint>((lo, r) => (!r.relay && r.va < lo ? r.va : lo), EnclaveVa.MMAP_TOP);
}

/**
 * munmap of a whole region: its pages leave the enclave for the host — unmapped, zeroed, public again
 * (PGL §2.3 OCALL_UNMAP: scrub and free, the host frees the block; CS-1, PT-6, MI-6). Returns the
 * region's first PA, or null (nothing changed) if no region of the enclave is exactly [va, va + bytes).
 */
export function unmapRegion(st: MonitorState, e: EnclaveRecord, va: bigint, bytes: bigint): bigint | null {
  const i = e.dyn.mmaps.findIndex((m) => m.va === va && BigInt(m.pages.length) * PAGE === bytes && !m.relay);
  if (i < 0) return null;
  const m = e.dyn.mmaps[i]!;
  for (let k = 0; k < m.pages.length; k++) unmapPage(st.machine.mem, e.root, va + BigInt(k) * PAGE);
  e.dyn.mmaps.splice(i, 1);
  e.dyn.mmapFloor = mmapFloorOf(e);
  st.ledger.release(m.pages);
  return m.pages[0]!;
}
