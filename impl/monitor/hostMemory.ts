/**
 * The monitor's access to host memory (PGL §4.8, `copy_from_host`/`copy_to_host`) with the intended
 * rule of design.md: EVERY page of [pa, pa+len) must be public DRAM (overflow-safe, length bounded),
 * not just the first one (SP-2, SP-4).
 */
import type { MonitorState } from "./monitor.ts";
import { overlaps, PAGE } from "./platform.ts";

/** Longest host buffer the monitor reads or writes in one call. */
export const MAX_HOST_COPY = 1n << 20n;

function publicSpan(st: MonitorState, pa: bigint, len: bigint): boolean {
  if (st.bitmap === null || len <= 0n || len > MAX_HOST_COPY || pa < 0n) return false;
  const first = pa - (pa % PAGE);
  const last = pa + len - 1n;
  return st.bitmap.isPublicRange(first, last - (last % PAGE) + PAGE - first);
}

/**
 * May the monitor write [pa, pa+len) for the host? Public, and not in the page-table area: that is
 * public but read-only to S-mode and changes only through SET_PTE/MAP_PTE (PT-2) — a report, an eid
 * or a mailbox word written there, or a kbuffer or shm window the enclave writes, would be a host
 * page-table write the guarded page table never checked.
 */
function writableSpan(st: MonitorState, pa: bigint, len: bigint): boolean {
  const pt = st.ptArea;
  return publicSpan(st, pa, len) && (pt === null || !overlaps(pa, len, pt.base, pt.size)); // PT-2
}

/** Read `len` bytes of public host memory at `pa`, or null. */
export function readHost(st: MonitorState, pa: bigint, len: number): Uint8Array | null {
  return publicSpan(st, pa, BigInt(len)) ? st.machine.mem.read(pa, len) : null;
}

/** Read a u64 of public host memory (8-aligned), or null. */
export function readHost64(st: MonitorState, pa: bigint): bigint | null {
  return pa % 8n === 0n && publicSpan(st, pa, 8n) ? st.machine.mem.read64(pa) : null;
}

/** Write bytes into public host memory; false (nothing written) if any page is not public. */
export function writeHost(st: MonitorState, pa: bigint, bytes: Uint8Array): boolean {
  if (!writableSpan(st, pa, BigInt(bytes.length))) return false;
  st.machine.mem.write(pa, bytes);
  return true;
}

/** Is [pa, pa+len) writable public host memory (outside the page-table area)? (checked before a multi-part write, LC-6) */
export function isPublicHost(st: MonitorState, pa: bigint, len: bigint): boolean {
  return writableSpan(st, pa, len);
}

/** Write a u64 into public host memory (8-aligned). */
export function writeHost64(st: MonitorState, pa: bigint, v: bigint): boolean {
  if (pa % 8n !== 0n || !writableSpan(st, pa, 8n)) return false;
  st.machine.mem.write64(pa, v);
  return true;
}
