/**
 * Dynamic memory and donations (PGL §2.3, §4.6): an enclave's sbrk (grow: the host answers the ocall
 * with pages; 0: the top, no exit; shrink: the heap's top pages go back to the host) and eapp_unmap of
 * one of its mmap regions, both leaving for the host; and SBI_MEMORY_EXTEND, the host donating pages to
 * the monitor's pool for good (the explorer's driver never donates by itself). Now and then sbrk beyond
 * its bounds, a shrink of more than the heap holds, an unmap of a page it does not hold or of nothing,
 * a donation of private pages or of a live enclave's shared window.
 */
import { HostFid } from "../../../model/abi.ts";
import type { Event, EventOf } from "../../../model/events.ts";
import { err, type Result } from "../../../model/result.ts";
import { NONE, type System } from "../../../model/state.ts";
import { between, pick } from "../../../spec/gen/rng.ts";
import { AgentOp } from "../../../impl/eapp/agentRecord.ts";
import { EnclaveVa } from "../../../impl/abi/enclaveAbi.ts";
import type { AgentRef, FamilyCommand, FamilyExecutor, FamilyHost } from "./familyHost.ts";

type Rand = () => number;
const PAGE = 4096n;
/** A VA no enclave maps (an unmap of pages it does not hold names it). */
const UNMAPPED_VA = 0x20_0000_0000n;

/** What the heap generator needs beyond the spec state: the model pages of an enclave's heap and mmap regions. */
export interface HeapHints {
  /** Pages of the heap, in VA order (bottom first). */
  heap(eid: number): number[];
  /** Pages of each mmap region, in VA order. */
  regions(eid: number): number[][];
}

/** An sbrk or unmap by the enclave on `hart`, or undefined (inside a server call: not this family's). */
export function heapEvent(s: System, h: HeapHints, rand: Rand, hart: number): Event | undefined {
  const eid = s.harts[hart]!;
  const en = s.enclaves[eid];
  if (!en || en.caller !== NONE || en.callee !== NONE) return undefined;
  const heap = h.heap(eid);
  const regions = h.regions(eid);
  if (regions.length && rand() < 0.35) return { type: "enclave.unmap", hart, pages: pick(rand, regions) };
  const q = rand();
  if (q < 0.3) return { type: "enclave.sbrk", hart, delta: between(rand, 1, 2), pages: [] };
  if (q < 0.4) return { type: "enclave.sbrk", hart, delta: 0, pages: [] };
  if (q < 0.6 && heap.length) {
    const n = between(rand, 1, heap.length);
    return { type: "enclave.sbrk", hart, delta: -n, pages: heap.slice(heap.length - n) };
  }
  if (q < 0.66) {
    // beyond the bounds: more than any host could give, or a shrink of more than the heap holds
    if (rand() < 0.5) return { type: "enclave.sbrk", hart, delta: 1 << 20, pages: [] };
    return { type: "enclave.sbrk", hart, delta: -(heap.length + 1), pages: heap.slice() };
  }
  if (q < 0.9 && regions.length) return { type: "enclave.unmap", hart, pages: pick(rand, regions) };
  // a one-page region to give back later (OPEN: a call lending part of a larger region — the spec lends the
  // pages, the monitor only whole regions: NOT_OWNER — waits for one side to change; seed 3 of explore found it)
  if (q < 0.9) return { type: "enclave.mmap", hart, count: 1 };
  // an unmap of nothing, or of a page it does not hold (another's, the host's)
  if (rand() < 0.3) return { type: "enclave.unmap", hart, pages: [] };
  const foreign = s.pages.flatMap((p, i) => (!(p.owner === "enclave" && p.id === eid) ? [i] : []));
  return { type: "enclave.unmap", hart, pages: [pick(rand, foreign)] };
}

/** A donation by host 0: one or two free host pages, now and then private ones or a live enclave's window. */
export function memoryExtendEvent(s: System, rand: Rand, hart: number): Event | undefined {
  const q = rand();
  const pick1 = (pred: (i: number) => boolean): number[] => {
    const xs = s.pages.flatMap((p, i) => (pred(i) ? [i] : []));
    return xs.length ? [pick(rand, xs)] : [];
  };
  let pages: number[];
  if (q < 0.12) pages = pick1((i) => s.pages[i]!.secure);
  else if (q < 0.24)
    pages = pick1(
      (i) => s.pages[i]!.owner === "kbuffer" || (s.pages[i]!.owner === "shm" && s.shms[s.pages[i]!.id]!.enclaves.length > 0),
    );
  else {
    const n = rand() < 0.7 ? 1 : 2;
    const starts = s.pages.flatMap((_, i) =>
      s.pages.slice(i, i + n).length === n && s.pages.slice(i, i + n).every((p) => p.owner === "host") ? [i] : [],
    );
    pages = starts.length ? Array.from({ length: n }, (_, k) => pick(rand, starts) + k) : [];
    if (n === 2 && pages.length) pages = [pages[0]!, pages[0]! + 1];
  }
  return pages.length ? { type: "host.memoryExtend", hart, host: 0, pages } : undefined;
}

/** The agent's side of sbrk / unmap, and the host's SBI_MEMORY_EXTEND. */
export class HeapExecutor implements FamilyExecutor {
  constructor(private readonly host: FamilyHost) {}

  /**
   * A donation carries whatever the host or an enclave left in its public pages (a kbuffer keeps what was
   * printed into it): the spec learns their content now (checkedRun refreshes the pages named here).
   */
  prepare(ev: Event): number[] | undefined {
    return ev.type === "host.memoryExtend" ? [...ev.pages] : undefined;
  }

  exec(ev: Event): Result | undefined {
    return ev.type === "host.memoryExtend" ? this.extend(ev) : undefined;
  }

  command(ev: Event, a: AgentRef): FamilyCommand | undefined {
    if (ev.type === "enclave.sbrk") {
      if (ev.delta === 0 && ev.pages.length === 0) return { cmd: { op: AgentOp.SBRK, args: [0n] }, data: true }; // the top is a VA
      // a shrink names its pages in the model, the ABI only the size: the heap's top pages go (the generator names those)
      if (ev.delta < 0 || ev.pages.length === 0) return { cmd: { op: AgentOp.SBRK, args: [BigInt(ev.delta) * PAGE] } };
      return undefined;
    }
    if (ev.type === "enclave.unmap") {
      const [va, size] = this.vaRange(a.eid, ev.pages);
      return { cmd: { op: AgentOp.UNMAP, args: [va, size] } };
    }
    return undefined;
  }

  /** The pages as one VA range of the enclave, or an unmapped VA of the same size when they are not its. */
  private vaRange(eid: number, pages: readonly number[]): [bigint, bigint] {
    const size = BigInt(pages.length) * PAGE;
    if (pages.length === 0) return [0n, 0n];
    const maps = this.host.mappings(eid);
    const vas = pages.map((p) => maps.find((m) => m.pa === this.host.platform.pa(p))?.va);
    const first = vas[0];
    if (first === undefined || vas.some((v, i) => v !== first + BigInt(i) * PAGE)) return [UNMAPPED_VA, size];
    return [first, size];
  }

  /** Model pages of an enclave's heap and mmap regions, from the monitor's record (the generator's hints). */
  hints(): HeapHints {
    const st = this.host.platform.p.monitor.state;
    const page = (pa: bigint): number => this.host.platform.page(pa) ?? NONE;
    return {
      heap: (eid) => {
        const e = st.enclaves[eid];
        if (!e) return [];
        const byVa = new Map(this.host.mappings(eid).map((m) => [m.va, m.pa]));
        const out: number[] = [];
        for (let va = EnclaveVa.HEAP_BASE; va < e.dyn.heapTop; va += PAGE) out.push(page(byVa.get(va) ?? 0n));
        return out.every((p) => p !== NONE) ? out : [];
      },
      regions: (eid) => {
        const e = st.enclaves[eid];
        if (!e) return [];
        return e.dyn.mmaps.filter((m) => !m.relay && m.pages.every((pa) => page(pa) !== NONE)).map((m) => m.pages.map(page));
      },
    };
  }

  /** SBI_MEMORY_EXTEND of the pages as one block (PGL §4.6). */
  private extend(ev: EventOf<"host.memoryExtend">): Result {
    const pas = ev.pages.map((p) => this.host.platform.pa(p));
    if (!pas.length || pas.some((x) => x === undefined)) return err(pas.length ? "INVALID_ID" : "INVALID_ARGUMENT");
    const first = pas[0]!;
    if (pas.some((x, i) => x !== first + BigInt(i) * PAGE)) return err("INVALID_ARGUMENT");
    const r = this.host.hostCall(ev.hart, HostFid.MEMORY_EXTEND, [first, BigInt(pas.length) * PAGE]);
    return this.host.answer(r ?? -1n);
  }
}
