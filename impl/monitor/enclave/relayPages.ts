/**
 * Schrödinger / relay pages (PGL §4.7): a host region handed to an enclave at run is secured —
 * private, every host mapping removed — and mapped at MM_ARG_BASE; when the enclave returns it
 * (OCALL_RETURN_RELAY_PAGE) or ends, it goes back public with its content (the output) and the
 * host's leaves restored. At any instant it is mapped in exactly one domain (OW-6). It travels
 * between enclaves as a region of the server call (`req_vaddr == MM_ARG_BASE`).
 */
import { ReturnCode } from "../../../model/codes.ts";
import { EnclaveVa } from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE } from "../platform.ts";
import { secureRange } from "../memory/secureMemory.ts";
import { mapPage, MONITOR_MAP_FLAGS, tablesNeeded, unmapPage } from "./enclavePageTable.ts";
import type { EnclaveRecord } from "./enclaveRecord.ts";

/** Largest relay region (Penglai's driver pool is 16 MiB). */
export const MAX_RELAY = 16n << 20n;

/** The relay region mapped in `e`, if any. */
export function relayOf(e: EnclaveRecord): { index: number; pages: bigint[] } | null {
  const index = e.dyn.mmaps.findIndex((m) => m.relay === true);
  return index < 0 ? null : { index, pages: e.dyn.mmaps[index].pages };
}

/** Secure the host's [pa, pa+size) for `e` and map it at MM_ARG_BASE; a code (nothing changed on failure). */
export function attachRelay(st: MonitorState, e: EnclaveRecord, pa: bigint, size: bigint): number {
  if (size <= 0n || size > MAX_RELAY || pa % PAGE !== 0n || size % PAGE !== 0n) return ReturnCode.INVALID_ARGUMENT;
  if (relayOf(e) !== null) return ReturnCode.RELAY_UNAVAILABLE;
  // page-table pages: exactly those the mapping lacks (a region mapped there before needs none — the
  // flat "3 + size/2 MiB" refused a re-run once the enclave had spent its free pages elsewhere)
  if (e.freePages.length + e.dyn.spare.length < tablesNeeded(st.machine.mem, e.root, EnclaveVa.MM_ARG_BASE, size))
    return ReturnCode.NO_MEM;
  const range = secureRange(st.machine, st.bitmap!, st.ptArea!, pa, size);
  // not the host's to hand over now (an enclave holds it, it waits for a name, or it is not public):
  // the spec's RUN / RERUN "relay is ready" refusal
  if (range === null) return ReturnCode.RELAY_UNAVAILABLE;
  st.ledger.add(range, e.eid, true);
  const alloc = (): bigint | null => {
    const t = e.freePages.pop() ?? e.dyn.spare.pop();
    if (t !== undefined) st.machine.mem.fill(t, 4096);
    return t ?? null;
  };
  const pages: bigint[] = [];
  for (let o = 0n; o < size; o += PAGE) {
    mapPage(st.machine.mem, e.root, EnclaveVa.MM_ARG_BASE + o, pa + o, MONITOR_MAP_FLAGS, alloc);
    pages.push(pa + o);
  }
  e.dyn.mmaps.push({ va: EnclaveVa.MM_ARG_BASE, pages, relay: true });
  return ReturnCode.SUCCESS;
}

/**
 * Unmap every relay region of `e` (the pieces it split included) and give them back to the host with
 * their content (PGL §2.3 ocall 7: "make all relay regions public"; only the first one went back, so a
 * split-off piece stayed private and mapped). The first region's first page and size, or null.
 */
export function detachRelays(st: MonitorState, e: EnclaveRecord): { pa: bigint; size: bigint } | null {
  const held = e.dyn.mmaps.filter((m) => m.relay === true);
  if (held.length === 0) return null;
  for (const m of held) for (let k = 0; k < m.pages.length; k++) unmapPage(st.machine.mem, e.root, m.va + BigInt(k) * PAGE);
  e.dyn.mmaps = e.dyn.mmaps.filter((m) => m.relay !== true);
  st.ledger.release(held.flatMap((m) => m.pages)); // public again, content kept, host leaves restored, TLBs shot down
  return { pa: held[0].pages[0], size: BigInt(held[0].pages.length) * PAGE };
}

/** True iff the relay entry `m` is the request region a caller lent `e` for its current call (not `e`'s to pass on). */
function lent(e: EnclaveRecord, m: { pages: bigint[] }): boolean {
  return e.call?.req?.pages[0] === m.pages[0];
}

/** Relay regions pending for a named enclave (asyn_enclave_call), held by {@link PENDING_HOLDER}. */
export const PENDING_HOLDER = -3;

/** Most relay entries one enclave holds (PGL §4.7: RELAY_PAGE_NUM = 10). */
export const MAX_RELAY_ENTRIES = 10;

/** split_mem_region (fid 92): split the relay entry [addr, addr+size) of `e` at `at`. */
export function splitRelay(e: EnclaveRecord, addr: bigint, size: bigint, at: bigint): number {
  const i = e.dyn.mmaps.findIndex((m) => m.relay === true && m.va === addr && BigInt(m.pages.length) * PAGE === size);
  if (i < 0 || lent(e, e.dyn.mmaps[i])) return ReturnCode.NOT_OWNER; // OW-6: only a region it holds, whole
  if (at % PAGE !== 0n || at <= addr || at >= addr + size) return ReturnCode.INVALID_ARGUMENT;
  if (e.dyn.mmaps.filter((m) => m.relay).length >= MAX_RELAY_ENTRIES) return ReturnCode.NO_FREE_ID;
  const m = e.dyn.mmaps[i];
  const k = Number((at - addr) / PAGE);
  e.dyn.mmaps.splice(
    i,
    1,
    { va: addr, pages: m.pages.slice(0, k), relay: true },
    { va: at, pages: m.pages.slice(k), relay: true },
  );
  return ReturnCode.SUCCESS;
}

/**
 * asyn_enclave_call (fid 93): the relay entry [va, va+size) of `e` is unmapped from it and tagged
 * with `name`; an enclave of that name takes it when it starts (PGL §4.7). The caller must hold it
 * (the original did not check and scanned 5 of 10 slots).
 */
export function handRelayTo(st: MonitorState, e: EnclaveRecord, name: string, va: bigint, size: bigint): number {
  const i = e.dyn.mmaps.findIndex((m) => m.relay === true && m.va === va && BigInt(m.pages.length) * PAGE === size);
  if (i < 0 || lent(e, e.dyn.mmaps[i])) return ReturnCode.NOT_OWNER; // a lent region goes back to its caller (OW-6)
  const m = e.dyn.mmaps[i];
  for (let k = 0; k < m.pages.length; k++) unmapPage(st.machine.mem, e.root, va + BigInt(k) * PAGE);
  e.dyn.mmaps.splice(i, 1);
  st.ledger.transfer(m.pages, PENDING_HOLDER);
  st.pendingRelays.push({ name, pages: m.pages });
  for (const h of st.machine.harts) h.flushTranslations(); // MI-6
  return ReturnCode.SUCCESS;
}

/** At run with the magic argument (0xFFFF, 0): map every relay region pending for `e`'s name from MM_ARG_BASE. */
export function claimPendingRelays(st: MonitorState, e: EnclaveRecord): bigint {
  const mine = st.pendingRelays.filter((r) => r.name === e.name && e.name !== "");
  if (mine.length === 0) return 0n;
  const pages = mine.flatMap((r) => r.pages);
  const bytes = BigInt(pages.length) * PAGE;
  if (e.freePages.length + e.dyn.spare.length < tablesNeeded(st.machine.mem, e.root, EnclaveVa.MM_ARG_BASE, bytes)) return 0n;
  st.pendingRelays = st.pendingRelays.filter((r) => !mine.includes(r));
  st.ledger.transfer(pages, e.eid);
  const alloc = (): bigint | null => {
    const t = e.freePages.pop() ?? e.dyn.spare.pop();
    if (t !== undefined) st.machine.mem.fill(t, 4096);
    return t ?? null;
  };
  // contiguous from MM_ARG_BASE, one relay entry per region handed over: each stays a region of its own
  // the enclave can split, pass on or lend (they were merged into one entry, which none of those found)
  let va = EnclaveVa.MM_ARG_BASE;
  for (const r of mine) {
    r.pages.forEach((pa, k) => mapPage(st.machine.mem, e.root, va + BigInt(k) * PAGE, pa, MONITOR_MAP_FLAGS, alloc));
    e.dyn.mmaps.push({ va, pages: r.pages, relay: true });
    va += BigInt(r.pages.length) * PAGE;
  }
  return BigInt(pages.length) * PAGE;
}
