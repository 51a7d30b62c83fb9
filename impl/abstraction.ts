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
import { systemSchema, initialSystem, HOST, NONE, freeEnclave, type System, type Enclave, type Page } from "../model/state.ts";
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

/** Model sizes the snapshot must use where the implementation has no say (id tables, names). */
export type AbstractionOptions = Partial<Omit<Config, "harts" | "pages" | "enclaves" | "monitorPages" | "ptaPages">>;

export function abstractState(p: Platform, opts: AbstractionOptions = {}): System {
  const st = p.monitor.state;
  const mem = p.machine.mem;
  const pages = mem.size / 4096;
  const pageOf = (pa: bigint): number => Number((pa - DRAM_BASE) / PAGE);
  const owner: Page[] = Array.from({ length: pages }, () => ({ owner: "host" as const, id: NONE, secure: false, zeroed: false }));
  const mark = (pa: bigint, size: bigint, o: Page["owner"], id = NONE): void => {
    for (let i = pageOf(pa); i < pageOf(pa + size); i++) owner[i] = { ...owner[i], owner: o, id };
  };
  mark(SM_BASE, SM_SIZE, "monitor");
  const L = p.kernel.layout;
  if (st.ptArea) mark(st.ptArea.base, st.ptArea.size, "pta");
  if (st.bitmap) mark(st.bitmap.base, L.bitmap.size, "monitor");
  for (const pa of st.ledger.heldBy(MONITOR_HOLDER)) mark(pa, PAGE, "monitor");
  const hostRoots = [p.kernel.root];
  const enclaves: Enclave[] = st.enclaves.map((e) => {
    if (e === null) return freeEnclave;
    for (const pa of st.ledger.heldBy(e.eid)) mark(pa, PAGE, "enclave", e.eid);
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
      pending: e.pending ? (PENDING[e.pending.id] ?? "none") : "none",
      pendingPages: e.pending?.need ? Number(e.pending.need.pages) : 0,
    };
  });
  for (let i = 0; i < pages; i++) {
    const pa = DRAM_BASE + BigInt(i) * PAGE;
    const o = Number(pa - mem.base);
    owner[i].secure = st.bitmap ? st.bitmap.isPrivate(i) : owner[i].owner === "monitor";
    owner[i].zeroed = isZero(mem.bytes, o);
  }
  const servers = st.enclaves
    .filter((e): e is EnclaveRecord => e !== null && e.type === EnclaveType.SERVER)
    .map((e) => ({ name: e.name, eid: e.eid }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const config: Config = {
    ...defaultConfig,
    hosts: 1,
    names: servers.map((x) => x.name),
    ...opts,
    harts: p.machine.harts.length,
    pages,
    enclaves: st.enclaves.length,
    monitorPages: Number(SM_SIZE / PAGE),
    ptaPages: st.ptArea ? Number(st.ptArea.size / PAGE) : 0,
  };
  // id tables the implementation does not have yet (shm, relay, …) come out empty, as after boot
  const sys: System = {
    ...initialSystem(config),
    harts: st.cpus.map((c) => (c < 0 ? HOST : c)),
    enclaves,
    pages: owner,
    servers,
  };
  return systemSchema.parse(sys);
}

function isZero(bytes: Uint8Array, o: number): boolean {
  const w = new Int32Array(bytes.buffer, bytes.byteOffset + o, 1024);
  for (let i = 0; i < 1024; i++) if (w[i] !== 0) return false;
  return true;
}
