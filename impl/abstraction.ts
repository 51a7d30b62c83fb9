/**
 * α: the running platform → a `model/` System snapshot (design.md "One checked step"). It reads
 * what the monitor keeps (enclave table, per-hart state, the page bitmap in emulated memory, the
 * secured ranges) and the physical memory itself, using the monitor's own ids: eid = slot index,
 * page number = physical page index from DRAM_BASE. The result is validated with the zod schema.
 *
 * Page owners: the SM region, the bitmap and MEMORY_EXTEND donations are `monitor`; the page-table
 * area is `pta`; an enclave's region and the blocks it was donated are `enclave` (its eid); a secure
 * shm segment's pages are `secureShm` (its slot); relay pages are `relayEnclave` while an enclave
 * holds them or they wait for a name, `relayHost` while they are a host region's; every other page
 * is `host`. `secure` is the bitmap's PRIVATE bit; `zeroed` is read from memory.
 *
 * Ids the monitor does not have come from the caller, the host process (as PLenclave_* keeps them,
 * impl/host/sdk/penglaiHost.ts): host shm ids (`hostShms`), Schrödinger region ids (`hostRelays`)
 * and PLenclave_set_mem_arg bindings (`memArgs`). Secure shm ids are the monitor's table slots
 * (lowest free, as the spec). Relay ids: see {@link relayPieces}.
 */
import {
  HOST,
  NONE,
  freeEnclave,
  freeShm,
  freeSecureShm,
  freeRelay,
  type System,
  type Enclave,
  type Page,
  type Shm,
  type SecureShm,
  type Relay,
} from "../model/state.ts";
import { defaultConfig, type Config } from "../model/config.ts";
import type { Platform } from "./host/boot.ts";
import type { PhysicalMemory } from "./riscv/memory.ts";
import type { EnclaveRecord } from "./monitor/enclave/enclaveRecord.ts";
import { EnclaveType } from "./abi/enclaveAbi.ts";
import { DRAM_BASE, SM_BASE, SM_SIZE } from "./monitor/platform.ts";
import { MONITOR_HOLDER } from "./monitor/memory/pageLedger.ts";
import { walkTable } from "./monitor/enclave/enclavePageTable.ts";
import { PTE_W } from "./abi/sv39.ts";
import type { MonitorState } from "./monitor/monitor.ts";
import { pageSlots, validatedPage, validatedSystem } from "./validatedSnapshot.ts";

const PAGE = 4096n;
const DRAM_BASE_NUMBER = Number(DRAM_BASE);

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

/** A Schrödinger region as the host process keeps it (PLenclave_schrodinger_get): the monitor never sees the id. */
export interface HostRelayRegion {
  creator: number;
  /** PAs of its pages, in order. */
  pas: bigint[];
  /** Mapped in its creator's address space (PLenclave_schrodinger_at). */
  hostMapped: boolean;
}

/**
 * Model sizes the snapshot must use where the implementation has no say (id tables, names); the
 * `relays` and `secureShms` tables are never shorter than the ids in use (0 = just those).
 */
export type AbstractionOptions = Partial<Omit<Config, "harts" | "pages" | "enclaves" | "monitorPages" | "ptaPages">> & {
  /**
   * The model's pages as PAs, in model page order: `monitorPages` pages of the SM region first, then
   * `ptaPages` of the page-table area, then host memory (the checker's window). Default: all of DRAM.
   */
  pageMap?: { pas: readonly bigint[]; monitorPages: number; ptaPages: number };
  /**
   * Page-table roots of the host processes, by process id: an enclave's creator is the process whose
   * root its bound satp names (PGL §3.2 host_ptbr). Default: the kernel's one root.
   */
  hostRoots?: readonly bigint[];
  /** The host processes' shm segments by shm id (null = free id); the model's `shms` table. */
  hostShms?: readonly (HostShmSegment | null)[];
  /** The host processes' Schrödinger regions by relay id (null = free id); who holds them is read from the monitor. */
  hostRelays?: readonly (HostRelayRegion | null)[];
  /** PLenclave_set_mem_arg bindings: eid → relay id (the model's `memArg`; ignored for free slots). */
  memArgs?: ReadonlyMap<number, number>;
  /**
   * Which model pages to read for `zeroed` (a 4 KiB scan each); the others are reported `false`
   * ("any content"). Default: every page. The checker asks only where the spec claims zero.
   */
  zeroedPages?: (page: number) => boolean;
};

/** Owner classes by code (0 = host), for the typed owner arrays of {@link abstractState}. */
const OWNERS: readonly Page["owner"][] = [
  "host",
  "monitor",
  "pta",
  "enclave",
  "shadowRO",
  "relayHost",
  "relayEnclave",
  "shm",
  "secureShm",
  "kbuffer",
];
const OWNER_CODE = new Map<Page["owner"], number>(OWNERS.map((o, i) => [o, i]));

export function abstractState(p: Platform, opts: AbstractionOptions = {}): System {
  const {
    pageMap,
    hostRoots: hostRootsOpt,
    hostShms: hostShmsOpt,
    hostRelays: hostRelaysOpt,
    memArgs,
    zeroedPages,
    ...sizes
  } = opts;
  const st = p.monitor.state;
  const mem = p.machine.mem;
  const dramPages = mem.size / 4096;
  // DRAM page index of a PA (PAs are below 2^53: exact as doubles, and no BigInt arithmetic per page)
  const pageOf = (pa: bigint): number => Math.floor((Number(pa) - DRAM_BASE_NUMBER) / 4096);
  // owner class and id of every DRAM page, as two typed arrays (no allocation per page); the model's
  // pages are then read through the page map
  const { ownerCode, ownerId } = ownerArrays(dramPages); // ownerCode: index in OWNERS; 0 = host
  const mark = (pa: bigint, size: bigint, o: Page["owner"], id = NONE): void =>
    markRange(ownerCode, ownerId, pa, size, OWNER_CODE.get(o)!, id);
  /** `mark` of single pages, one owner (the ledger's lists). */
  const markPages = (pas: readonly bigint[], o: Page["owner"], id = NONE): void => {
    const code = OWNER_CODE.get(o)!;
    for (const pa of pas) {
      const i = pageOf(pa);
      if (i < 0 || i >= dramPages) continue;
      ownerCode[i] = code;
      ownerId[i] = id;
    }
  };
  const map = pageMap ?? {
    pas: Array.from({ length: dramPages }, (_, i) => DRAM_BASE + BigInt(i) * PAGE),
    monitorPages: Number(SM_SIZE / PAGE),
    ptaPages: st.ptArea ? Number(st.ptArea.size / PAGE) : 0,
  };
  const { pageIndex, dramIndex } = indexOf(map.pas);
  const modelPage = (pa: bigint): number => pageIndex.get(pa) ?? NONE;
  // the SM region, the page-table area and the bitmap: fixed once the monitor is initialised, copied from a template
  const L = p.kernel.layout;
  const fixed = fixedOwners(dramPages, st.ptArea, st.bitmap, L.bitmap.size);
  ownerCode.set(fixed.ownerCode);
  ownerId.set(fixed.ownerId);
  const held = st.ledger.byHolder();
  markPages(held.get(MONITOR_HOLDER) ?? [], "monitor");
  const hostShms = hostShmsOpt ?? [];
  // host shm segments: public pages; the monitor knows only the range each enclave maps (PGL §4.10)
  hostShms.forEach((seg, k) => seg && seg.pas.forEach((pa) => mark(pa, PAGE, "shm", k)));
  const shmIdOf = (range: { pa: bigint } | null): number =>
    range === null ? NONE : hostShms.findIndex((seg) => seg !== null && seg.pas[0] === range.pa);
  const hostRoots = hostRootsOpt ?? [p.kernel.root];
  for (const e of st.enclaves) {
    if (e === null) continue;
    markPages(held.get(e.eid) ?? [], "enclave", e.eid);
    // a shadow's read-only leaves are what its fork instances share (PGL §3.4, IPC-6): still the shadow's, never writable
    if (e.type === EnclaveType.SHADOW) markPages(shadowReadOnly(st, mem, e), "shadowRO", e.eid);
    if (e.kbuffer !== 0n && e.type !== EnclaveType.SERVER && e.type !== EnclaveType.SHADOW)
      mark(e.kbuffer, PAGE, "kbuffer", e.eid);
  }
  // secure shm segments (PGL §4.9): held by the segment, by slot
  const segs = [...st.secureShms.values()];
  for (const g of segs) for (const pa of g.pages) mark(pa, PAGE, "secureShm", g.id);
  // relay regions (PGL §4.7): after the enclaves, whose ledger entries include the relay pages they hold
  const relayParts = relayPieces(st, hostRelaysOpt ?? []);
  const relayOfPa = new Map<bigint, number>();
  relayParts.forEach((r, id) => {
    if (r === null) return;
    for (const pa of r.pas) {
      relayOfPa.set(pa, id);
      mark(pa, PAGE, r.holder === "host" ? "relayHost" : "relayEnclave", id);
    }
  });
  const enclaves: Enclave[] = st.enclaves.map((e) => {
    if (e === null) return freeEnclave;
    const creator = hostRoots.findIndex((root) => (e.hostSatp & ((1n << 44n) - 1n)) * PAGE === root);
    const relays: number[] = [];
    relayParts.forEach((r, id) => r !== null && r.holder === "enclave" && r.eid === e.eid && relays.push(id));
    // a server serving a call: the request region its caller lent, a relay region or plain pages (PGL §3.3)
    const req = e.call?.req ?? null;
    const callRelay = req && req.pages.length > 0 ? (relayOfPa.get(req.pages[0]) ?? NONE) : NONE;
    const callPages = req && callRelay === NONE ? req.pages.map(modelPage) : [];
    const need = e.pending?.need;
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
      state: stateOf(e),
      name: e.name,
      creator,
      measurement: hexOf(e.hash),
      relays,
      shm: shmIdOf(e.shm),
      memArg: memArgs?.get(e.eid) ?? NONE,
      callPages,
      callRelay,
      pending: e.pending ? (PENDING[e.pending.id] ?? "none") : "none",
      pendingPages: need ? Number(need.pages) : 0,
      pendingKey: need?.kind === "shm" && need.key !== undefined ? keyOf(need.key) : 0,
    };
  });
  const pages: Page[] = pageSlots(dramIndex.length);
  for (let m = 0; m < dramIndex.length; m++) {
    const i = dramIndex[m]!;
    const o = OWNERS[ownerCode[i]!]!;
    const secure = st.bitmap ? st.bitmap.isPrivate(i) : o === "monitor";
    pages[m] = validatedPage(o, ownerId[i]!, secure, zeroedPages === undefined || zeroedPages(m) ? isZero(mem, i * 4096) : false);
  }
  const servers = st.enclaves
    .filter((e): e is EnclaveRecord => e !== null && e.type === EnclaveType.SERVER)
    .map((e) => ({ name: e.name, eid: e.eid }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const config: Config = {
    ...defaultConfig,
    hosts: hostRoots.length,
    names: servers.map((x) => x.name),
    shms: hostShms.length,
    ...sizes,
    // the id tables are at least as long as the ids in use (the explorer passes its sizes; 0 = as needed)
    secureShms: Math.max(sizes.secureShms ?? 0, ...segs.map((g) => g.id + 1)),
    relays: Math.max(sizes.relays ?? 0, relayParts.length),
    harts: p.machine.harts.length,
    pages: map.pas.length,
    enclaves: st.enclaves.length,
    monitorPages: map.monitorPages,
    ptaPages: map.ptaPages,
  };
  const shms: Shm[] = table(config.shms, (k) => {
    const seg = hostShms[k];
    if (!seg) return freeShm;
    const attached: number[] = [];
    for (let eid = 0; eid < enclaves.length; eid++)
      if (enclaves[eid]!.state !== "free" && enclaves[eid]!.shm === k) attached.push(eid);
    return {
      live: true,
      creator: seg.creator,
      pages: seg.pas.map(modelPage),
      hostAttached: seg.hostAttached,
      enclaves: attached,
    };
  });
  const secureShms: SecureShm[] = table(config.secureShms, () => freeSecureShm);
  for (const g of segs)
    secureShms[g.id] = {
      live: true,
      key: keyOf(g.key),
      owner: g.owner >= 0 && st.enclaves[g.owner] !== null ? g.owner : NONE,
      pages: g.pages.map(modelPage),
      allowed: [...g.allowed].sort((a, b) => a - b),
      attached: [...g.attached.keys()].sort((a, b) => a - b),
      destroyPending: g.destroyPending,
    };
  const relays: Relay[] = table(config.relays, (id) => {
    const r = relayParts[id];
    if (!r) return freeRelay;
    return {
      live: true,
      creator: r.creator,
      pages: r.pas.map(modelPage),
      holder: r.holder,
      eid: r.eid,
      name: r.name,
      hostMapped: r.hostMapped,
    };
  });
  return validatedSystem({
    config,
    harts: st.cpus.map((c) => (c < 0 ? HOST : c)),
    enclaves,
    pages,
    shms,
    secureShms,
    relays,
    servers,
  });
}

/**
 * The pages a shadow maps read-only and holds. They depend on its table pages and the ledger only:
 * remembered per shadow with the memory's tracked-write count (its table pages are tracked) and the
 * ledger's version, and read again when either moved.
 */
const shadowLeaves = new WeakMap<EnclaveRecord, { root: bigint; writes: number; ledger: number; pas: bigint[] }>();
function shadowReadOnly(st: MonitorState, mem: PhysicalMemory, e: EnclaveRecord): bigint[] {
  const hit = shadowLeaves.get(e);
  if (hit && hit.root === e.root && hit.writes === mem.trackedWrites && hit.ledger === st.ledger.version) return hit.pas;
  const walk = walkTable(mem, e.root);
  for (const t of walk.tables) mem.track(Number((t - mem.base) / PAGE));
  const pas = walk.leaves.filter((l) => (l.pte & PTE_W) === 0n && st.ledger.holderOf(l.pa) === e.eid).map((l) => l.pa);
  shadowLeaves.set(e, { root: e.root, writes: mem.trackedWrites, ledger: st.ledger.version, pas });
  return pas;
}

/** Lower-case hex of a stored measurement, remembered per buffer (records keep theirs for good). */
const hexOfHash = new WeakMap<Uint8Array, string>();
function hexOf(hash: Uint8Array): string {
  let hex = hexOfHash.get(hash);
  if (hex === undefined) hexOfHash.set(hash, (hex = Buffer.from(hash).toString("hex")));
  return hex;
}

/** [f(0), …, f(n − 1)] (a plain loop: `Array.from({ length })` is slow in V8). */
function table<T>(n: number, f: (i: number) => T): T[] {
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

/** The owner arrays of {@link abstractState}, reset (one pair per DRAM size, reused: α runs after every checked step). */
const ownerArraysBySize = new Map<number, { ownerCode: Uint8Array; ownerId: Int32Array }>();
function ownerArrays(dramPages: number): { ownerCode: Uint8Array; ownerId: Int32Array } {
  let a = ownerArraysBySize.get(dramPages);
  if (a === undefined)
    ownerArraysBySize.set(dramPages, (a = { ownerCode: new Uint8Array(dramPages), ownerId: new Int32Array(dramPages) }));
  return a; // (overwritten whole by the fixed owners' template)
}

/** Mark DRAM pages [pa, pa+size) with owner class `code` and id `id`. */
function markRange(ownerCode: Uint8Array, ownerId: Int32Array, pa: bigint, size: bigint, code: number, id: number): void {
  const end = Math.min(ownerCode.length, Math.floor((Number(pa) + Number(size) - DRAM_BASE_NUMBER) / 4096));
  for (let i = Math.max(0, Math.floor((Number(pa) - DRAM_BASE_NUMBER) / 4096)); i < end; i++) {
    ownerCode[i] = code;
    ownerId[i] = id;
  }
}

/** The owner arrays with only the SM region, the page-table area and the bitmap marked (the last template, kept). */
let fixedTemplate: { key: readonly unknown[]; ownerCode: Uint8Array; ownerId: Int32Array } | undefined;
function fixedOwners(dramPages: number, ptArea: MonitorState["ptArea"], bitmap: MonitorState["bitmap"], bitmapSize: bigint) {
  const key = [dramPages, ptArea, bitmap, bitmapSize];
  if (fixedTemplate && fixedTemplate.key.every((k, i) => k === key[i])) return fixedTemplate;
  const ownerCode = new Uint8Array(dramPages);
  const ownerId = new Int32Array(dramPages).fill(NONE);
  const monitor = OWNER_CODE.get("monitor")!;
  markRange(ownerCode, ownerId, SM_BASE, SM_SIZE, monitor, NONE);
  if (ptArea) markRange(ownerCode, ownerId, ptArea.base, ptArea.size, OWNER_CODE.get("pta")!, NONE);
  if (bitmap) markRange(ownerCode, ownerId, bitmap.base, bitmapSize, monitor, NONE);
  return (fixedTemplate = { key, ownerCode, ownerId });
}

/** A page map's model page by PA and DRAM page index by model page (remembered per map). */
const pageMapIndex = new WeakMap<readonly bigint[], { pageIndex: Map<bigint, number>; dramIndex: Int32Array }>();
function indexOf(pas: readonly bigint[]): { pageIndex: Map<bigint, number>; dramIndex: Int32Array } {
  let ix = pageMapIndex.get(pas);
  if (ix === undefined) {
    ix = {
      pageIndex: new Map(pas.map((pa, i) => [pa, i])),
      dramIndex: Int32Array.from(pas, (pa) => Number((pa - DRAM_BASE) / PAGE)),
    };
    pageMapIndex.set(pas, ix);
  }
  return ix;
}

const OCALL_RETURN_RELAY_PAGE = 7;

/**
 * The model's lifecycle state. A server (serverEnclave machine) between calls is `idle`, and
 * `preempted` when the timer took it off its caller's hart mid-call — the monitor says runnable for
 * both; OCALL_RETURN_RELAY_PAGE leaves an enclave waiting for its re-run: `relayReturned`.
 */
function stateOf(e: EnclaveRecord): Enclave["state"] {
  if (e.type === EnclaveType.SERVER && e.state === "runnable") return e.caller >= 0 ? "preempted" : "idle";
  if (e.state === "ocalling" && e.pending?.id === OCALL_RETURN_RELAY_PAGE) return "relayReturned";
  return LIFECYCLE[e.state];
}

/** A secure shm key (a u64 register value) as the model's integer: signed, so small negative keys read as such. */
const keyOf = (key: bigint): number => Number(BigInt.asIntN(64, key));

/** One relay region of the model: pages under one holder (PAs, in order). */
interface RelayPart {
  creator: number;
  pas: bigint[];
  holder: "host" | "enclave" | "pending";
  eid: number;
  name: string;
  hostMapped: boolean;
}

/**
 * The model's relay table, by relay id. The host names a region when it gets it (`hostRelays`); the
 * monitor knows who holds which relay pages now, as entries: an enclave's relay mapping (taken at
 * run or re-run, or lent along a server call), a hand-over waiting for a name (asyn_enclave_call).
 * A model relay is the pages of one host region under one holder: each monitor entry cut at region
 * boundaries (an enclave that started with several pending regions maps them as one entry), plus the
 * pages of the region still public. The part with the region's first page keeps the region's id —
 * as the spec's split_mem_region keeps the front part's id; every other part (split off by
 * split_mem_region, or left with the host by a hand-over of part of a region) and the relay pages
 * of no known region take the lowest ids no region uses, in order of region id then first page.
 * That is the spec's lowest-free choice when the splits came after the host's last schrodinger_get;
 * a piece split off and given back to the host merges again with its region (the host SDK only
 * knows the region), where the spec keeps two ids.
 */
function relayPieces(st: MonitorState, hostRelays: readonly (HostRelayRegion | null)[]): (RelayPart | null)[] {
  const entries: { holder: "enclave" | "pending"; eid: number; name: string; pas: bigint[] }[] = [];
  for (const e of st.enclaves)
    if (e !== null)
      for (const m of e.dyn.mmaps) if (m.relay) entries.push({ holder: "enclave", eid: e.eid, name: "", pas: m.pages });
  for (const r of st.pendingRelays) entries.push({ holder: "pending", eid: NONE, name: r.name, pas: r.pages });
  const entryOf = new Map<bigint, number>();
  entries.forEach((en, i) => en.pas.forEach((pa) => entryOf.set(pa, i)));
  const out: (RelayPart | null)[] = hostRelays.map(() => null);
  const fresh: RelayPart[] = [];
  const claimed = new Set<bigint>();
  hostRelays.forEach((reg, k) => {
    if (reg === null) return;
    const parts = new Map<number, RelayPart>(); // by entry index, -1 = still the host's; in order of first page
    for (const pa of reg.pas) {
      let key = entryOf.get(pa);
      if (key === undefined) {
        if (st.ledger.holderOf(pa) !== undefined) continue; // secured for something else: not a relay page now
        key = -1;
      }
      claimed.add(pa);
      let part = parts.get(key);
      if (!part) {
        const en = key >= 0 ? entries[key] : null;
        part = {
          creator: reg.creator,
          pas: [],
          holder: en?.holder ?? "host",
          eid: en?.eid ?? NONE,
          name: en?.name ?? "",
          hostMapped: false,
        };
        parts.set(key, part);
      }
      part.pas.push(pa);
    }
    const [first, ...rest] = parts.values();
    out[k] = { ...(first ?? { creator: reg.creator, pas: [], holder: "host", eid: NONE, name: "" }), hostMapped: reg.hostMapped };
    fresh.push(...rest);
  });
  // relay pages of no region the caller named (e.g. a driver-level relay): a part per entry, no known creator
  for (const en of entries) {
    const pas = en.pas.filter((pa) => !claimed.has(pa));
    if (pas.length > 0) fresh.push({ creator: NONE, pas, holder: en.holder, eid: en.eid, name: en.name, hostMapped: false });
  }
  let next = 0;
  for (const part of fresh) {
    while (next < out.length && out[next] !== null) next++;
    out[next] = part;
  }
  return out;
}

/** Whether the 4 KiB page at byte offset `o` (4 KiB-aligned) of physical memory is all zero (word scan). */
export function isZero(mem: PhysicalMemory, o: number): boolean {
  if (mem.pristine(o >>> 12)) return true; // known zero: never written, or zero-filled since
  const w = mem.words;
  for (let i = o >>> 2, end = i + 1024; i < end; i += 4) if ((w[i]! | w[i + 1]! | w[i + 2]! | w[i + 3]!) !== 0) return false;
  return true;
}
