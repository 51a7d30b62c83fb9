/**
 * The monitor's per-enclave metadata (PGL §3.1, `struct enclave_t`) and per-hart state (`cpus[]`).
 * Everything here lives in the monitor (TypeScript, M-mode) — the host never sees it.
 */
import type { SecuredRange } from "../memory/secureMemory.ts";
import { newDynamicMemory, type DynamicMemory } from "./dynamicMemory.ts";

/** Lifecycle states of the implementation (PGL §3.2 with the intended rules). */
export type EnclaveState = "fresh" | "runnable" | "running" | "stopped" | "ocalling" | "blocked" | "ready";

/** The ocall the monitor recorded when the enclave left for the host (design.md: never trust the host's id). */
export interface PendingOcall {
  id: number;
  /** Value the enclave gets back if the ocall needs no post-step. */
  result: bigint;
  /** For sbrk/mmap: what the donated memory is for. */
  need?: { kind: "sbrk" | "mmap" | "shm"; bytes: bigint; va: bigint; pages: bigint; key?: bigint };
  /** For OCALL_RETURN_RELAY_PAGE: the relay region handed to the host, to take back at the re-run. */
  relay?: { pa: bigint; size: bigint };
}

/** General registers x1..x31 and the pc of a saved hart context. */
export interface SavedRegs {
  x: bigint[];
  pc: bigint;
}

/** What the monitor saves of the host while an enclave runs on its hart (PGL §3.1 thread_context). */
export interface HostContext extends SavedRegs {
  satp: bigint;
  medeleg: bigint;
  mideleg: bigint;
  mie: bigint;
}

export interface EnclaveRecord {
  eid: number;
  type: number;
  state: EnclaveState;
  name: string;
  /** satp of the host that created it: every host operation must come from it (LC-3, M08). */
  hostSatp: bigint;
  region: SecuredRange;
  root: bigint;
  entry: bigint;
  /** Unused pages of the region, for page tables the monitor creates. */
  freePages: bigint[];
  kbuffer: bigint;
  shm: { pa: bigint; size: bigint } | null;
  /** PAs of the host mailbox cells and of the retval word (PGL §2.3). */
  mailbox: { funcId: bigint; arg0: bigint; arg1: bigint; syscall: bigint };
  retval: bigint;
  /** Measurement at creation (AT-2: never overwritten). */
  hash: Uint8Array;
  /** Saved enclave registers while it is not running. */
  ctx: SavedRegs | null;
  /** Saved host registers while it runs, and the hart it runs on. */
  host: HostContext | null;
  hart: number;
  pending: PendingOcall | null;
  /** Heap, mmap regions and spare pages (PGL §2.3). */
  dyn: DynamicMemory;
  /** The shadow a fork instance came from (PGL §3.4), or -1. */
  parent: number;
  /** Server calls (PGL §3.3): the enclave waiting for this one, the one this one waits for, the chain's top. */
  caller: number;
  callee: number;
  topCaller: number;
  /** While serving a call: the caller's arg struct VA and the request region lent by the caller. */
  call: { argVa: bigint; req: { callerVa: bigint; calleeVa: bigint; pages: bigint[] } | null } | null;
}

/** The enclave's shared windows (kbuffer, host shm): measured by presence, not content (AT-1). */
export function sharedWindows(e: Pick<EnclaveRecord, "kbuffer" | "shm">): { pa: bigint; size: bigint }[] {
  return [...(e.kbuffer !== 0n ? [{ pa: e.kbuffer, size: 4096n }] : []), ...(e.shm ? [e.shm] : [])];
}

/**
 * Does [pa, pa + size) overlap a shared window (kbuffer, host shm) a live enclave maps? Those pages
 * stay the host's, but no securing may take them while the window lives: the enclave would keep a
 * mapping of memory that became another's or the monitor's (spec pageOwnership: kbuffer and shm
 * pages refuse every securing move; MI-1, MI-2, M17).
 */
export function inLiveWindow(enclaves: readonly (EnclaveRecord | null)[], pa: bigint, size: bigint): boolean {
  return enclaves.some((e) => e !== null && sharedWindows(e).some((w) => pa < w.pa + w.size && w.pa < pa + size));
}

/** The host runs on the hart (`cpus[h].in_enclave = 0`). */
export const ON_HOST = -1;

/** What a creation decides; everything else of a new record starts empty. */
export type NewEnclave = Pick<
  EnclaveRecord,
  | "eid"
  | "type"
  | "state"
  | "name"
  | "hostSatp"
  | "region"
  | "root"
  | "entry"
  | "freePages"
  | "kbuffer"
  | "shm"
  | "mailbox"
  | "retval"
  | "hash"
  | "parent"
>;

/** A new enclave record: not running, no saved context, no pending ocall, no dynamic memory, no calls. */
export function newEnclaveRecord(fields: NewEnclave): EnclaveRecord {
  return {
    ...fields,
    ctx: null,
    host: null,
    hart: -1,
    pending: null,
    dyn: newDynamicMemory(),
    caller: -1,
    callee: -1,
    topCaller: -1,
    call: null,
  };
}
