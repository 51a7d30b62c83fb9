/**
 * Checks on the machine where the abstract state cannot see (design.md "One checked step"):
 * - PT-4: no valid leaf of the host's page table maps a private page;
 * - MI-6: no hart's TLB keeps a translation to a page its current domain no longer owns — a host
 *   hart caches no private page, an enclave hart only pages of that enclave or public ones (and a
 *   fork instance its shadow's pages, for reads and fetches only);
 * - MI-4: a real S-mode load by the host from a private page faults (one probe per step, on a hart
 *   where the host is idle).
 * Each returns the violations it found, as "<invariant id>: <what>".
 */
import { MONITOR_HOLDER } from "../../impl/monitor/memory/pageLedger.ts";
import { ACC_W, TLB_SETS } from "../../impl/riscv/tlb.ts";
import type { CheckedPlatform } from "./platform.ts";
import type { PhysicalMemory } from "../../impl/riscv/memory.ts";
import type { PageBitmap } from "../../impl/monitor/pageBitmap.ts";

const PAGE = 4096n;
/** 4 KiB pages a leaf maps at each level (a table: V8 slows a loop next to a variable `**`). */
const PAGES_PER_LEAF = [1, 512, 512 * 512];

/** RAM page indexes of the page bitmap (one 32-bit word per DRAM page), the pages a check of it reads. */
export function bitmapRamPages(mem: PhysicalMemory, bitmap: PageBitmap): number[] {
  const w0 = Number(bitmap.base - mem.base) >>> 2;
  const out: number[] = [];
  for (let p = w0 >>> 10; p <= (w0 + mem.size / 4096 - 1) >>> 10; p++) out.push(p);
  return out;
}

/** One table page of the host's page table as last read: its write count then, its leaves and its children. */
interface TableScan {
  writes: number;
  /** (slot PA, first page, pages) triples, `count` numbers of them (the array is reused by the next scan). */
  leaves: Float64Array;
  count: number;
  /** RAM page indexes of the next-level tables its pointers name. */
  children: number[];
}

/**
 * A platform's host page table as last read: each (table page, level) seen, and the memory's
 * tracked-write count when the whole table last passed against the bitmap (−1: it did not).
 */
interface HostTableWalk {
  tables: Map<number, TableScan>;
  /** RAM pages of the bitmap (bitmapRamPages). */
  bitmapPages: number[];
  cleanAt: number;
  /** The sum of the write counts of its inputs (table pages, bitmap pages) at the last clean check (−1: none). */
  cleanInputs: number;
}
const hostTableWalks = new WeakMap<CheckedPlatform, HostTableWalk>();

/**
 * PT-4 over the host's page table (every level from its root; 32-bit halves, BigInt only to report).
 * Its inputs are the table pages and the bitmap, all tracked (memory.ts PAGE_TRACKED: guest stores,
 * hardware A/D updates and firmware writes are counted per page): while none was written since a
 * clean check the answer is the same; otherwise only the table pages written since are read again,
 * and every leaf is checked against the bitmap.
 */
export function hostLeavesToPrivate(cp: CheckedPlatform): string[] {
  const { machine, monitor, kernel } = cp.p;
  const bitmap = monitor.state.bitmap;
  if (!bitmap) return [];
  const mem = machine.mem;
  let w = hostTableWalks.get(cp);
  if (w && w.cleanAt === mem.trackedWrites) return [];
  const words = mem.words;
  const base = Number(mem.base);
  const pages = mem.size / 4096;
  // the bitmap's word of page p is words[bw + p]; bit 31 (the sign) is PRIVATE (pageBitmap.ts)
  const bw = Number(bitmap.base - mem.base) >>> 2;
  if (!w) {
    const bitmapPages = bitmapRamPages(mem, bitmap);
    for (const p of bitmapPages) mem.track(p);
    hostTableWalks.set(cp, (w = { tables: new Map(), bitmapPages, cleanAt: -1, cleanInputs: -1 }));
  }
  const tables = w.tables;
  const bitmapPages = w.bitmapPages;
  // other tracked pages (enclave tables) move the global count too: the inputs' own counts decide
  const inputWrites = (): number => {
    let n = 0;
    for (const p of bitmapPages) n += mem.pageWrites[p]!;
    for (const key of tables.keys()) n += mem.pageWrites[key >>> 2]!;
    return n;
  };
  if (inputWrites() === w.cleanInputs) {
    w.cleanAt = mem.trackedWrites;
    return [];
  }
  const scan = (page: number, level: number): TableScan => {
    const key = page * 4 + level;
    const known = tables.get(key);
    if (known && known.writes === mem.pageWrites[page]) return known;
    mem.track(page);
    const t: TableScan = known ?? { writes: 0, leaves: new Float64Array(3 * 512), count: 0, children: [] };
    t.writes = mem.pageWrites[page]!;
    t.count = 0;
    t.children.length = 0;
    const w0 = page * 1024;
    for (let k = w0, end = w0 + 1024; k < end; k += 2) {
      const low = words[k]!;
      if ((low & 1) === 0) continue;
      const first = (words[k + 1]! & 0x3fffff) * 2 ** 22 + (low >>> 10) - base / 4096; // page index of the target
      if ((low & 0xe) !== 0) {
        t.leaves[t.count++] = base + 4 * k;
        t.leaves[t.count++] = first;
        t.leaves[t.count++] = PAGES_PER_LEAF[level]!;
      } else if (level > 0 && first >= 0 && first < pages) t.children.push(first);
    }
    tables.set(key, t);
    return t;
  };
  const out: string[] = [];
  const check = (page: number, level: number): void => {
    const t = scan(page, level);
    const leaves = t.leaves;
    for (let j = 0; j < t.count; j += 3) {
      const first = leaves[j + 1]!;
      const last = Math.min(pages, first + leaves[j + 2]!);
      for (let p = Math.max(0, first); p < last; p++)
        if (words[bw + p]! < 0) {
          out.push(`PT-4: host leaf at 0x${leaves[j]!.toString(16)} maps private page 0x${(base + p * 4096).toString(16)}`);
          break;
        }
    }
    for (const c of t.children) check(c, level - 1);
  };
  check((Number(kernel.root) - base) / 4096, 2);
  w.cleanAt = out.length === 0 ? mem.trackedWrites : -1;
  w.cleanInputs = out.length === 0 ? inputWrites() : -1; // (the check may have read tables it had not seen)
  return out;
}

/** MI-6 over every hart's translation cache. */
export function staleTranslations(cp: CheckedPlatform): string[] {
  const { machine, monitor } = cp.p;
  const st = monitor.state;
  const bitmap = st.bitmap;
  if (!bitmap) return [];
  const out: string[] = [];
  // the live enclave or the monitor's pool holding a page, per the ledger (asked only for cached private pages)
  const holderOf = (pa: bigint): number | undefined => {
    const h = st.ledger.holderOf(pa);
    return h === MONITOR_HOLDER || (h !== undefined && h >= 0 && st.enclaves[h]) ? h : undefined;
  };
  // a secure shm segment's pages are held by the segment and mapped in every enclave attached to it (IPC-5)
  const attached = new Map<bigint, Set<number>>();
  for (const g of st.secureShms.values()) for (const pa of g.pages) attached.set(pa, new Set(g.attached.keys()));
  for (const h of machine.harts) {
    const eid = st.cpus[h.id] ?? -1;
    // a fork instance maps its shadow's read-only leaves (PGL §3.4): readable, never writable (IPC-6)
    const parent = eid >= 0 ? (st.enclaves[eid]?.parent ?? -1) : -1;
    // entries of the privilege the hart's current domain runs at: S for the host, U for an enclave
    const priv = eid < 0 ? 1 : 0;
    // the entries filled since the TLB's last flush (all of them if it lost count)
    const tlb = h.tlb;
    const n = tlb.filledCount < 0 ? 3 * 4 * TLB_SETS : tlb.filledCount;
    for (let j = 0; j < n; j++) {
      const i = tlb.filledCount < 0 ? j : tlb.filled[j]!;
      const acc = Math.floor(i / (4 * TLB_SETS));
      if (acc > 2 || Math.floor(i / TLB_SETS) % 4 !== priv || Number.isNaN(tlb.tag[i])) continue;
      const off = tlb.off[i]!; // RAM offset of the cached page
      if (!bitmap.isPrivate(off / 4096)) continue; // public pages may be cached by anyone
      const pa = mem(machine) + BigInt(off);
      const holder = holderOf(pa);
      const shared = (parent >= 0 && holder === parent && acc !== ACC_W) || attached.get(pa)?.has(eid) === true;
      if (eid < 0 || (holder !== eid && !shared))
        out.push(
          `MI-6: hart ${h.id} (${eid < 0 ? "host" : `enclave ${eid}`}) caches a translation to private page 0x${pa.toString(16)} (held by ${holder ?? "nobody"})`,
        );
    }
  }
  return out;
}

const mem = (machine: CheckedPlatform["p"]["machine"]): bigint => machine.mem.base;

/** MI-4: the host loads from private page `pa` on an idle host hart; it must fault. */
export function hostProbe(cp: CheckedPlatform, pa: bigint): string[] {
  const { kernel, monitor } = cp.p;
  const hart = kernel.ports.findIndex((p, h) => !p.busy && (monitor.state.cpus[h] ?? -1) < 0);
  if (hart < 0) return [];
  if (kernel.loadFaults(pa + 0xff0n, hart)) return [];
  return [`MI-4: a host load from private page 0x${pa.toString(16)} succeeded on hart ${hart}`];
}
