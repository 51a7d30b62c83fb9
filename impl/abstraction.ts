/**
 * α: the running platform → a `model/` System snapshot (design.md "One checked step"). It reads
 * what the monitor keeps (enclave table, per-hart state, the page bitmap in emulated memory, the
 * secured ranges) and the physical memory itself, using the monitor's own ids: eid = slot index,
 * page number = physical page index from DRAM_BASE. The result is validated with the zod schema.
 *
 * Page owners: the SM region, the bitmap and MEMORY_EXTEND donations are `monitor`; the page-table
 * area is `pta`; an enclave's region and the blocks it was donated are `enclave` (its eid); every
 * other page is `host`. `secure` is the bitmap's PRIVATE bit; `zeroed` is read from memory.
 */
import {
  systemSchema,
  initialSystem,
  HOST,
  NONE,
  freeEnclave,
  freeShm,
  type System,
  type Enclave,
  type Page,
  type Shm,
} from "../model/state.ts";
import { defaultConfig, type Config } from "../model/config.ts";
import type { Platform } from "./host/boot.ts";
import type { EnclaveRecord } from "./monitor/enclave/enclaveRecord.ts";
import { EnclaveType } from "./abi/enclaveAbi.ts";
import { DRAM_BASE, SM_BASE, SM_SIZE } from "./monitor/platform.ts";
import { MONITOR_HOLDER } from "./monitor/memory/pageLedger.ts";

const PAGE = 4096n;

const LIFECYCLE: Record<EnclaveRecord["state"], Enclave["state"]> = {
  fresh: "fresh",
  runnable: "runnable",
  running: "running",
  stopped: "stopped",
  ocalling: "ocalling",
  blocked: "blocked",
  ready: "ready",
};

const PENDING: Record<number, Enclave["pending"]> = {
  1: "mmap",
  2: "unmap",
  3: "print",
  4: "sbrk",
  7: "returnRelay",
  9: "shmGet",
};

/** A host shared-memory segment as the host process keeps it (PLenclave_shmget): the monitor never sees the id. */
export interface HostShmSegment {
  creator: number;
  /** PAs of its pages, in order. */
  pas: bigint[];
  hostAttached: boolean;
}

/** Model sizes the snapshot must use where the implementation has no say (id tables, names). */
export type AbstractionOptions = Partial<Omit<Config, "harts" | "pages" | "enclaves" | "monitorPages" | "ptaPages">> & {
  /**
   * The model's pages as PAs, in model page order: `monitorPages` pages of the SM region first, then
   * `ptaPages` of the page-table area, then host memory (the checker's window). Default: all of DRAM.
   */
  pageMap?: { pas: readonly bigint[]; monitorPages: number; ptaPages: number };
  /** The host processes' shm segments by shm id (null = free id); the model's `shms` table. */
  hostShms?: readonly (HostShmSegment | null)[];
};

export function abstractState(p: Platform, opts: AbstractionOptions = {}): System {
  const st = p.monitor.state;
  const mem = p.machine.mem;
  const dramPages = mem.size / 4096;
  const pageOf = (pa: bigint): number => Number((pa - DRAM_BASE) / PAGE);
  // owner of every DRAM page (cheap); the model's pages are then read through the page map
  const owner: { owner: Page["owner"]; id: number }[] = Array.from({ length: dramPages }, () => ({ owner: "host", id: NONE }));
  const mark = (pa: bigint, size: bigint, o: Page["owner"], id = NONE): void => {
    for (let i = pageOf(pa); i < pageOf(pa + size); i++) if (i >= 0 && i < dramPages) owner[i] = { owner: o, id };
  };
  mark(SM_BASE, SM_SIZE, "monitor");
  const L = p.kernel.layout;
  if (st.ptArea) mark(st.ptArea.base, st.ptArea.size, "pta");
  if (st.bitmap) mark(st.bitmap.base, L.bitmap.size, "monitor");
  for (const pa of st.ledger.heldBy(MONITOR_HOLDER)) mark(pa, PAGE, "monitor");
  const hostShms = opts.hostShms ?? [];
  // host shm segments: public pages; the monitor knows only the range each enclave maps (PGL §4.10)
  hostShms.forEach((seg, k) => seg && seg.pas.forEach((pa) => mark(pa, PAGE, "shm", k)));
  const shmIdOf = (range: { pa: bigint } | null): number =>
    range === null ? NONE : hostShms.findIndex((seg) => seg !== null && seg.pas[0] === range.pa);
  const hostRoots = [p.kernel.root];
  const enclaves: Enclave[] = st.enclaves.map((e) => {
    if (e === null) return freeEnclave;
    for (const pa of st.ledger.heldBy(e.eid)) mark(pa, PAGE, "enclave", e.eid);
    if (e.kbuffer !== 0n && e.type !== EnclaveType.SERVER && e.type !== EnclaveType.SHADOW)
      mark(e.kbuffer, PAGE, "kbuffer", e.eid);
    const creator = hostRoots.findIndex((root) => (e.hostSatp & ((1n << 44n) - 1n)) * PAGE === root);
    return {
      ...freeEnclave,
      kind:
        e.type === EnclaveType.SERVER
          ? "server"
          : e.type === EnclaveType.SHADOW
            ? "shadow"
            : e.parent >= 0
              ? "instance"
              : "normal",
      parent: e.parent,
      caller: e.caller,
      callee: e.callee,
      state: LIFECYCLE[e.state],
      name: e.name,
      creator,
      measurement: Buffer.from(e.hash).toString("hex"),
      shm: shmIdOf(e.shm),
      pending: e.pending ? (PENDING[e.pending.id] ?? "none") : "none",
      pendingPages: e.pending?.need ? Number(e.pending.need.pages) : 0,
    };
  });
  const map = opts.pageMap ?? {
    pas: Array.from({ length: dramPages }, (_, i) => DRAM_BASE + BigInt(i) * PAGE),
    monitorPages: Number(SM_SIZE / PAGE),
    ptaPages: st.ptArea ? Number(st.ptArea.size / PAGE) : 0,
  };
  const pages: Page[] = map.pas.map((pa) => {
    const i = pageOf(pa);
    const o = Number(pa - mem.base);
    return {
      ...owner[i],
      secure: st.bitmap ? st.bitmap.isPrivate(i) : owner[i].owner === "monitor",
      zeroed: isZero(mem.bytes, o),
    };
  });
  const pageIndex = new Map<bigint, number>(map.pas.map((pa, i) => [pa, i]));
  const modelPage = (pa: bigint): number => pageIndex.get(pa) ?? NONE;
  const servers = st.enclaves
    .filter((e): e is EnclaveRecord => e !== null && e.type === EnclaveType.SERVER)
    .map((e) => ({ name: e.name, eid: e.eid }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const config: Config = {
    ...defaultConfig,
    hosts: 1,
    names: servers.map((x) => x.name),
    shms: hostShms.length,
    ...opts,
    harts: p.machine.harts.length,
    pages: map.pas.length,
    enclaves: st.enclaves.length,
    monitorPages: map.monitorPages,
    ptaPages: map.ptaPages,
  };
  const shms: Shm[] = Array.from({ length: config.shms }, (_, k) => {
    const seg = hostShms[k];
    if (!seg) return freeShm;
    const attached = enclaves.flatMap((e, eid) => (e.state !== "free" && e.shm === k ? [eid] : []));
    return {
      live: true,
      creator: seg.creator,
      pages: seg.pas.map(modelPage),
      hostAttached: seg.hostAttached,
      enclaves: attached,
    };
  });
  // id tables the implementation does not have yet (secure shm, relay) come out empty, as after boot
  const sys: System = {
    ...initialSystem(config),
    harts: st.cpus.map((c) => (c < 0 ? HOST : c)),
    enclaves,
    pages,
    shms,
    servers,
  };
  return systemSchema.parse(sys);
}

function isZero(bytes: Uint8Array, o: number): boolean {
  const w = new Int32Array(bytes.buffer, bytes.byteOffset + o, 1024);
  for (let i = 0; i < 1024; i++) if (w[i] !== 0) return false;
  return true;
}
