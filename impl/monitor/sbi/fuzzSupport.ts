/**
 * Shared helpers of the malformed-argument fuzz tests (issues 5 and 6): a deep snapshot of the
 * monitor's state and of its page bitmap, the wild host-argument generator, the host function ids
 * to fuzz, a journal of firmware writes, and the host's port onto an agent enclave's record page.
 * Test support only — nothing in the monitor imports it.
 */
import fc from "fast-check";
import { HostFid } from "../../../model/abi.ts";
import type { Platform } from "../../host/boot.ts";
import type { PhysicalMemory } from "../../riscv/memory.ts";
import type { MonitorState } from "../monitor.ts";
import type { SecuredRange } from "../memory/secureMemory.ts";

/** Every host function id, plus unassigned and undispatched ones (82, 88, 91, 93 are defined by Penglai but not dispatched). */
export const FUZZ_HOST_FIDS: readonly number[] = [...Object.values(HostFid), 0, 1, 82, 84, 88, 91, 93, 102, 0x7fffffff];

const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    typeof x === "bigint"
      ? `${x.toString(16)}n`
      : x instanceof Uint8Array
        ? Buffer.from(x).toString("hex")
        : x instanceof Map
          ? [...x]
          : x instanceof Set
            ? [...x]
            : x,
  );

/** What the ledger keeps (a private field): page → holder, the secured range it came from, keep-on-release. */
type LedgerPages = Map<bigint, { holder: number; range: SecuredRange; keep: boolean }>;

/**
 * A deep snapshot of everything the monitor keeps in TypeScript — enclave records (registers,
 * pending ocalls, dynamic memory, call links), per-hart state, IPIs, the page-table area, secure
 * shm segments, pending relay regions, the page ledger (every secured page, its holder and range),
 * and how many random bytes have been drawn. Two snapshots are equal iff none of it changed.
 * (The bitmap lives in emulated memory: see {@link bitmapBytes}.)
 */
export function monitorSnapshot(st: MonitorState): string {
  const pages = (st.ledger as unknown as { pages: LedgerPages }).pages;
  const ranges = new Map<SecuredRange, number>();
  const ledger: string[] = [];
  for (const [pa, e] of pages) {
    let r = ranges.get(e.range);
    if (r === undefined) ranges.set(e.range, (r = ranges.size));
    ledger.push(`${pa.toString(16)}:${e.holder}:${r}:${e.keep ? 1 : 0}`);
  }
  return json({
    enclaves: st.enclaves,
    cpus: st.cpus,
    ipi: st.ipi,
    separated: st.separated,
    ptArea: st.ptArea,
    bitmapAt: st.bitmap?.base,
    secureShms: st.secureShms,
    pendingRelays: st.pendingRelays,
    ledger: ledger.join(","),
    ranges: [...ranges.keys()],
    drawn: (st.random as unknown as { drawn: number }).drawn,
  });
}

/**
 * A cheap digest of the monitor's state, for every call of a fuzz loop: each enclave's state, links,
 * saved program counters, pending ocall, page counts and mappings; per-hart state; segments,
 * pending relays, the ledger's size and the random bytes drawn. {@link monitorSnapshot} has it all.
 */
export function monitorDigest(st: MonitorState): string {
  const parts: string[] = [st.cpus.join(","), json(st.ipi), String(st.separated)];
  for (const e of st.enclaves) {
    if (e === null) {
      parts.push("-");
      continue;
    }
    const dyn = e.dyn;
    parts.push(
      [
        e.eid,
        e.type,
        e.state,
        e.name,
        e.hostSatp.toString(16),
        e.region.pa.toString(16),
        e.region.size.toString(16),
        e.region.removed.length,
        e.freePages.length,
        e.freePages[e.freePages.length - 1]?.toString(16),
        e.hart,
        e.parent,
        e.caller,
        e.callee,
        e.topCaller,
        e.ctx?.pc.toString(16),
        e.host?.pc.toString(16),
        e.pending === null ? "" : json(e.pending),
        e.call === null ? "" : json(e.call),
        dyn.heapTop.toString(16),
        dyn.mmapFloor.toString(16),
        dyn.spare.length,
        dyn.mmaps.map((m) => `${m.va.toString(16)}+${m.pages.length}${m.relay ? "r" : ""}`).join(" "),
      ].join("|"),
    );
  }
  for (const g of st.secureShms.values())
    parts.push(
      `${g.key}:${g.owner}:${g.pages.length}:${[...g.allowed].join(",")}:${[...g.attached.keys()].join(",")}:${g.destroyPending}`,
    );
  parts.push(st.pendingRelays.map((r) => `${r.name}+${r.pages.length}`).join(","));
  parts.push(String((st.ledger as unknown as { pages: LedgerPages }).pages.size));
  parts.push(String((st.random as unknown as { drawn: number }).drawn));
  return parts.join("\n");
}

/**
 * Watches the monitor's state and bitmap across fuzz calls that must change nothing: after every
 * call the bitmap and {@link monitorDigest}, every `deepEvery` calls (and at {@link finish}) the deep
 * {@link monitorSnapshot} — a change that slips past the digest is caught there, between two
 * checkpoints. After a call that may change the state, {@link rebase} takes the new state as the reference.
 */
export class StateWatch {
  private digest = "";
  private deep = "";
  private bitmap = Buffer.alloc(0);
  private since = 0;
  private lastDeep = "";

  constructor(
    private readonly p: Platform,
    private readonly deepEvery = 100,
  ) {
    this.rebase("start");
  }

  rebase(what: string): void {
    const st = this.p.monitor.state;
    this.digest = monitorDigest(st);
    this.deep = monitorSnapshot(st);
    this.bitmap = Buffer.from(bitmapBytes(this.p));
    this.since = 0;
    this.lastDeep = what;
  }

  /** After the call `what`: the state is the reference state (throws otherwise). */
  unchanged(what: string): void {
    const st = this.p.monitor.state;
    if (monitorDigest(st) !== this.digest) throw new Error(`${what} changed the monitor's state`);
    if (!this.bitmap.equals(bitmapBytes(this.p))) throw new Error(`${what} changed the page bitmap`);
    if (++this.since >= this.deepEvery) this.checkDeep(what);
  }

  /** The deep snapshot is the reference one. */
  finish(what = "the last call"): void {
    this.checkDeep(what);
  }

  private checkDeep(what: string): void {
    if (monitorSnapshot(this.p.monitor.state) !== this.deep)
      throw new Error(`a call after ${this.lastDeep}, up to ${what}, changed the monitor's state`);
    this.since = 0;
    this.lastDeep = what;
  }
}

/** Every page the monitor has secured (held by an enclave, a segment, a pending relay or its own pool), ascending. */
export function securedPages(st: MonitorState): bigint[] {
  return [...(st.ledger as unknown as { pages: LedgerPages }).pages.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A copy of the monitor's page bitmap (one word per DRAM page, in emulated memory). */
export function bitmapBytes(p: Platform): Uint8Array {
  const bm = p.monitor.state.bitmap;
  if (bm === null) return new Uint8Array(0);
  return p.machine.mem.read(bm.base, 4 * bm.pages);
}

/**
 * Host SBI arguments with no structure: anything, small ids and codes, around RAM (unaligned too),
 * around the page-table area, and a few boundary values.
 */
export function wildHostArg(p: Platform): fc.Arbitrary<bigint> {
  const ram = { lo: 0x8000_0000n, hi: 0x8000_0000n + BigInt(p.machine.mem.size) };
  const pt = p.kernel.layout.ptArea;
  return fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), // anything
    fc.bigInt({ min: -16n, max: 64n }).map((v) => BigInt.asUintN(64, v)), // small ids and codes
    fc.bigInt({ min: ram.lo - 4096n, max: ram.hi + 4096n }), // around RAM (unaligned too)
    fc.bigInt({ min: pt.base - 64n, max: pt.base + pt.size + 64n }), // around the page-table area
    fc.constantFrom(0n, 1n, 8n, 4096n, (1n << 63n) | 1n, (1n << 64n) - 8n, 0x8000_0000n, 0x801f_f000n),
  );
}

/**
 * Records the prior content of every byte the firmware writes (through the PhysicalMemory API) from
 * {@link begin}: {@link writes} counts the writes, {@link restoredAll} tells whether every written
 * byte holds its prior value again (a write undone before the call returned).
 */
export class FirmwareWriteJournal {
  private before = new Map<number, number>();
  private count = 0;

  constructor(private readonly mem: PhysicalMemory) {
    const bytes = mem.bytes;
    const save = (pa: bigint, len: number): void => {
      const o = Number(pa - mem.base);
      this.count++;
      if (o < 0 || o + len > bytes.length) return; // the write itself will throw
      for (let i = o; i < o + len; i++) if (!this.before.has(i)) this.before.set(i, bytes[i]);
    };
    const wrap = <K extends "write8" | "write16" | "write32" | "write64">(k: K, len: number): void => {
      const orig = mem[k].bind(mem) as (pa: bigint, v: never) => void;
      (mem as unknown as Record<K, (pa: bigint, v: never) => void>)[k] = (pa, v) => {
        save(pa, len);
        orig(pa, v);
      };
    };
    wrap("write8", 1);
    wrap("write16", 2);
    wrap("write32", 4);
    wrap("write64", 8);
    const write = mem.write.bind(mem);
    mem.write = (pa, data) => {
      save(pa, data.length);
      write(pa, data);
    };
    const fill = mem.fill.bind(mem);
    mem.fill = (pa, len, value) => {
      save(pa, len);
      fill(pa, len, value);
    };
  }

  begin(): void {
    this.before.clear();
    this.count = 0;
  }

  get writes(): number {
    return this.count;
  }

  /** Every byte written since {@link begin} has its prior value. */
  restoredAll(): boolean {
    for (const [o, v] of this.before) if (this.mem.bytes[o] !== v) return false;
    return true;
  }
}

export { hostRecordPort } from "../../eapp/agentRecord.ts";
