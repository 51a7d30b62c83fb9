/**
 * Secure shared memory between enclaves (PGL §4.9) with the access control the original lacks
 * (design.md, IPC-5): a segment is created by its owner from host-donated pages (secured and zeroed,
 * held by the segment itself, never mapped into the host); only the owner and the enclaves it
 * allows may attach; it is mapped top-down below SEC_SHM_TOP in each attached enclave; its pages are
 * scrubbed and returned only when it is destroyed and nobody is attached.
 */
import { ReturnCode } from "../../../model/codes.ts";
import { EnclaveVa } from "../../abi/enclaveAbi.ts";
import type { MonitorState } from "../monitor.ts";
import { PAGE } from "../platform.ts";
import { shootDown } from "../memory/secureMemory.ts";
import { mapPage, MONITOR_MAP_FLAGS, tablesNeeded, unmapPage } from "./enclavePageTable.ts";
import type { EnclaveRecord } from "./enclaveRecord.ts";

/** Largest segment (bounded, SP-2). */
export const MAX_SECURE_SHM = 16n << 20n;

export interface SecureShm {
  /**
   * Table slot, the model's secure shm id: the lowest id no live segment uses, as the spec allocates
   * (`secureShms.findIndex(x => !x.live)`); freed with the segment and reused (α reads it, issue 6).
   */
  id: number;
  key: bigint;
  owner: number;
  pages: bigint[];
  allowed: Set<number>;
  /** eid → VA where the segment is mapped in that enclave. */
  attached: Map<number, bigint>;
  destroyPending: boolean;
}

/**
 * The ledger holder standing for segment `id` (its pages belong to no single enclave). By slot, not
 * by key: keys k and k + 10^6 used to share a holder, so destroying one segment released the other's
 * pages while enclaves still mapped them.
 */
export const shmHolder = (id: number): number => -1000 - id;

/** The lowest slot no live segment uses. */
function freeSlot(st: MonitorState): number {
  const used = new Set([...st.secureShms.values()].map((s) => s.id));
  let id = 0;
  while (used.has(id)) id++;
  return id;
}

/** Where a segment of `size` bytes would be mapped in `e`: just below its lowest segment mapping (top-down). */
export function nextSegmentVa(st: MonitorState, e: EnclaveRecord, size: bigint): bigint {
  const floor = [...st.secureShms.values()].reduce<bigint>((lo, s) => {
    const va = s.attached.get(e.eid);
    return va !== undefined && va < lo ? va : lo;
  }, EnclaveVa.SEC_SHM_TOP);
  return floor - size;
}

/** Map the segment into `e` below its lowest segment mapping; the VA or null. */
function attachTo(st: MonitorState, seg: SecureShm, e: EnclaveRecord): bigint | null {
  const size = BigInt(seg.pages.length) * PAGE;
  const va = nextSegmentVa(st, e, size);
  if (va < EnclaveVa.SHM_BASE + (64n << 20n)) return null; // stays above the host shm window
  if (e.freePages.length + e.dyn.spare.length < tablesNeeded(st.machine.mem, e.root, va, size)) return null;
  const alloc = (): bigint | null => {
    const t = e.freePages.pop() ?? e.dyn.spare.pop();
    if (t !== undefined) st.machine.mem.fill(t, 4096);
    return t ?? null;
  };
  seg.pages.forEach((pa, k) => mapPage(st.machine.mem, e.root, va + BigInt(k) * PAGE, pa, MONITOR_MAP_FLAGS, alloc));
  seg.attached.set(e.eid, va);
  return va;
}

/** Create segment `key` from `bytes` of `e`'s spare pages (already donated, secured, zeroed); its VA in `e`. */
export function createSecureShm(st: MonitorState, e: EnclaveRecord, key: bigint, bytes: bigint): bigint | number {
  if (st.secureShms.has(key)) return ReturnCode.SHM_KEY_TAKEN;
  const n = Number(bytes / PAGE);
  if (e.dyn.spare.length < n) return ReturnCode.NO_MEM;
  // taken as the heap takes spare pages (pop: lowest address first), so the segment's pages are in the
  // order the host donated them (the spec's order; they came out reversed)
  const taken = e.dyn.spare.splice(e.dyn.spare.length - n, n);
  const pages = [...taken].reverse();
  const id = freeSlot(st);
  st.ledger.transfer(pages, shmHolder(id));
  const seg: SecureShm = { id, key, owner: e.eid, pages, allowed: new Set(), attached: new Map(), destroyPending: false };
  st.secureShms.set(key, seg);
  const va = attachTo(st, seg, e);
  if (va !== null) return va;
  // LC-6: a segment its creator cannot map is not left behind — pages back to the spare pool, no table entry
  st.secureShms.delete(key);
  st.ledger.transfer(pages, e.eid);
  e.dyn.spare.push(...taken);
  return ReturnCode.NO_MEM;
}

/** SHM_ALLOW: the owner lets `eid` attach. */
export function allowSecureShm(st: MonitorState, e: EnclaveRecord, key: bigint, eid: bigint): number {
  const seg = st.secureShms.get(key);
  if (!seg) return ReturnCode.NO_SUCH_SHM;
  if (eid < 0n || eid >= BigInt(st.enclaves.length)) return ReturnCode.INVALID_ID; // SP-3: the index before anything else
  if (seg.owner !== e.eid) return ReturnCode.NOT_OWNER;
  if (st.enclaves[Number(eid)] === null) return ReturnCode.NO_SUCH_ENCLAVE;
  seg.allowed.add(Number(eid));
  return ReturnCode.SUCCESS;
}

/** SHM_ATTACH (fid 84): only the owner or an allowed enclave (IPC-5); the VA. */
export function attachSecureShm(st: MonitorState, e: EnclaveRecord, key: bigint): bigint | number {
  const seg = st.secureShms.get(key);
  if (!seg || seg.destroyPending) return ReturnCode.NO_SUCH_SHM;
  if (seg.attached.has(e.eid)) return ReturnCode.ALREADY_ATTACHED;
  if (seg.owner !== e.eid && !seg.allowed.has(e.eid)) return ReturnCode.SHM_NOT_ALLOWED;
  return attachTo(st, seg, e) ?? ReturnCode.NO_MEM;
}

/** SHM_DETACH (ocall 10): unmap from `e`; a destroyed segment nobody uses any more is freed. */
export function detachSecureShm(st: MonitorState, e: EnclaveRecord, key: bigint): number {
  const seg = st.secureShms.get(key);
  if (!seg) return ReturnCode.NO_SUCH_SHM;
  const va = seg.attached.get(e.eid);
  if (va === undefined) return ReturnCode.NOT_ATTACHED;
  for (let k = 0; k < seg.pages.length; k++) unmapPage(st.machine.mem, e.root, va + BigInt(k) * PAGE);
  seg.attached.delete(e.eid);
  shootDown(st.machine); // MI-6
  freeIfUnused(st, seg);
  return ReturnCode.SUCCESS;
}

/** SHM_DESTROY (ocall 11, owner only): marked, freed now if nobody is attached. */
export function destroySecureShm(st: MonitorState, e: EnclaveRecord, key: bigint): number {
  const seg = st.secureShms.get(key);
  if (!seg || seg.destroyPending) return ReturnCode.NO_SUCH_SHM; // destroyed once: gone for everyone but its users
  if (seg.owner !== e.eid) return ReturnCode.NOT_OWNER;
  seg.destroyPending = true;
  freeIfUnused(st, seg);
  return ReturnCode.SUCCESS;
}

/** SHM_STAT (fid 83): {attached count, size}, to an enclave attached to it (IPC-5: nothing of it to outsiders). */
export function statSecureShm(st: MonitorState, e: EnclaveRecord, key: bigint): [bigint, bigint] | number {
  const seg = st.secureShms.get(key);
  if (!seg) return ReturnCode.NO_SUCH_SHM;
  if (!seg.attached.has(e.eid)) return ReturnCode.NOT_ATTACHED;
  return [BigInt(seg.attached.size), BigInt(seg.pages.length) * PAGE];
}

/** An ending enclave leaves every segment it is attached to (and the allow lists). */
export function leaveAllSecureShms(st: MonitorState, e: EnclaveRecord): void {
  for (const seg of [...st.secureShms.values()]) {
    seg.allowed.delete(e.eid);
    if (seg.attached.delete(e.eid)) freeIfUnused(st, seg); // its table goes with it
    if (seg.owner === e.eid) {
      // no owner any more (as the spec's NONE): a later enclave in the same slot must not inherit the
      // right to allow or destroy (it did: the stale eid kept matching)
      seg.owner = -1;
      seg.destroyPending = true; // an orphaned segment ends with its last user
      freeIfUnused(st, seg);
    }
  }
}

function freeIfUnused(st: MonitorState, seg: SecureShm): void {
  if (!seg.destroyPending || seg.attached.size > 0) return;
  st.ledger.releaseHeld(shmHolder(seg.id)); // zeroed and public (CS-1)
  st.secureShms.delete(seg.key);
}
