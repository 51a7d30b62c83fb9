/**
 * Executes the relay (Schrödinger) family on the implementation (PGL §4.7): host events are the
 * host process's own bookkeeping of its regions (schrodinger_get/at/dt/ctl, set_mem_arg — the monitor
 * never sees them) checked against what the machine shows (a real S-mode store or load on the pages),
 * the run parameter of host.run and the re-run RESUME (fid 95, ocall 7) are real SBI calls; enclave
 * events are agent commands (RETURN_RELAY, ASYN_CALL, SPLIT, CALL with the relay as request region).
 * Model relay ids are α's (impl/abstraction.ts relayPieces): the executor reads them from α to name
 * the pages, and reads the id of a new piece from α after a split.
 */
import { HostFid } from "../../../model/abi.ts";
import type { Event, EventOf } from "../../../model/events.ts";
import { err, ok, type Result } from "../../../model/result.ts";
import { NONE, type System } from "../../../model/state.ts";
import { ResumeReason, RunParam } from "../../../impl/abi/enclaveAbi.ts";
import { AgentOp, type Command } from "../../../impl/eapp/agentRecord.ts";
import { HostFault } from "../../../impl/host/sModePort.ts";
import { CSR } from "../../../impl/riscv/csrNumbers.ts";
import type { Mapping } from "../enclaveMappings.ts";
import type { CheckedPlatform } from "../platform.ts";

const PAGE = 4096n;
const OCALL_RETURN_RELAY_PAGE = 7n;
/** Where the checker's host keeps an `enclave_run_param` in an agent's (host-private) param page. */
const RUN_PARAM = 0x200n;
/** `mm_arg_addr` 0xFFFF with size 0: take the relay regions pending for my name (PGL §1.4). */
const MM_ARG_MAGIC = 0xffffn;
/** A VA range no enclave holds as a relay region: what an agent names for a region it does not hold. */
const NOT_HELD = 0x37_f000_0000n;

/** What the relay and secure shm families need of the implementation. */
export interface FamilyContext {
  readonly platform: CheckedPlatform;
  /** RUN / RESUME on hart h: the enclave runs (SUCCESS) or the host's view of its answer. */
  enter(h: number, fid: number, args: bigint[]): Result;
  /** User mappings of enclave `eid`. */
  mappings(eid: number): Mapping[];
  /** The host zeroes a page with S-mode stores; false if it cannot write there. */
  hostZero(pa: bigint, hart: number): boolean;
  /** `pa` is a shared window (kbuffer, shm) of a live enclave. */
  inLiveWindow(pa: bigint): boolean;
  /** The host-private param page of agent `eid`. */
  paramPage(eid: number): bigint | undefined;
}

/** An enclave event as an agent command, and how to read its result in the model's terms. */
export type FamilyCommand = { cmd: Command; interpret?: (r: Result) => Result } | Result;

/** α's relay table now (no zero scans). */
function relaysNow(ctx: FamilyContext): System["relays"] {
  return ctx.platform.abstract([], () => false).relays;
}

/** Host-side state of the relay family that lives across one step. */
export class RelayFamily {
  /** {@link prepare} could write every page of the requested region (they are the host's). */
  private getWritable = false;
  /** Monitor records of enclaves whose relay pages came back (RETURN_USER_MODE) and wait for a re-run. */
  readonly returned = new WeakSet<object>();

  constructor(private readonly ctx: FamilyContext) {}

  private get table() {
    return this.ctx.platform.relayHost;
  }

  private record(eid: number): object | null {
    return this.ctx.platform.p.monitor.state.enclaves[eid] ?? null;
  }

  /** PLenclave_schrodinger_get's own work: the host zeroes the pages it takes (only its own, public, unused ones). */
  prepare(ev: Event): number[] {
    if (ev.type !== "host.schrodingerGet") return [];
    const cp = this.ctx.platform;
    this.getWritable = true;
    for (const p of ev.pages) {
      const pa = cp.pa(p);
      if (pa === undefined) continue;
      const taken =
        this.ctx.inLiveWindow(pa) ||
        cp.shms.some((g) => g?.pas.includes(pa)) ||
        this.table.regions.some((r) => r?.pas.includes(pa));
      if (taken || !this.ctx.hostZero(pa, ev.hart)) this.getWritable = false;
    }
    return [...ev.pages];
  }

  /** A host event of the family, or undefined if it is not one. */
  host(ev: Event): Result | undefined {
    switch (ev.type) {
      case "host.schrodingerGet":
        return this.get(ev);
      case "host.schrodingerAt":
      case "host.schrodingerDt":
        return this.setMapped(ev.relay, ev.type === "host.schrodingerAt", ev.hart, ev.host);
      case "host.schrodingerCtl":
        return this.ctl(ev.relay, ev.hart, ev.host);
      case "host.setMemArg":
        return this.setMemArg(ev);
      case "host.rerun":
        return this.rerun(ev);
      default:
        return undefined;
    }
  }

  private pas(pages: readonly number[]): bigint[] | undefined {
    const out: bigint[] = [];
    for (const p of pages) {
      const pa = this.ctx.platform.pa(p);
      if (pa === undefined) return undefined;
      out.push(pa);
    }
    return out;
  }

  /** The lowest relay id no region or piece uses (as the spec's `findIndex(x => !x.live)`), or -1. */
  private freeId(): number {
    const live = relaysNow(this.ctx);
    return this.table.regions.findIndex((r, i) => r === null && !live[i]?.live);
  }

  private get(ev: EventOf<"host.schrodingerGet">): Result {
    const pas = this.pas(ev.pages);
    if (!pas) return err("INVALID_ID");
    if (pas.length === 0 || new Set(pas).size !== pas.length) return err("INVALID_ARGUMENT");
    const id = this.freeId();
    if (id < 0) return err("NO_FREE_ID");
    if (!this.getWritable) return err("PAGES_NOT_AVAILABLE"); // prepare could not write them: not the host's
    if (pas.some((pa, i) => pa !== pas[0]! + BigInt(i) * PAGE)) return err("NOT_SUPPORTED"); // one block (the run passes pa, size)
    this.table.regions[id] = { creator: ev.host, pas, hostMapped: false };
    return ok("SUCCESS", id);
  }

  /** The region `id` of host process `host` (another process's is not in its SDK), or the refusal. */
  private own(id: number, host: number): Result | NonNullable<RelayFamily["table"]["regions"][number]> {
    if (!Number.isInteger(id) || id < 0 || id >= this.table.regions.length) return err("INVALID_ID");
    const r = this.table.regions[id];
    return r && r.creator === host ? r : err("NO_SUCH_RELAY");
  }

  /** The host can load every page of the region: the monitor has not secured any of them (a real S-mode load each). */
  private hostHolds(pas: readonly bigint[], hart: number): boolean {
    const k = this.ctx.platform.p.kernel;
    try {
      for (const pa of pas) k.read64(pa, hart);
      return true;
    } catch (e) {
      if (!(e instanceof HostFault)) throw e;
      return false;
    }
  }

  private setMapped(id: number, mapped: boolean, hart: number, host: number): Result {
    const r = this.own(id, host);
    if ("status" in r) return r;
    if (!this.hostHolds(r.pas, hart)) return err("RELAY_UNAVAILABLE"); // PGL §4.7: the host maps it only while it holds it
    if (r.hostMapped === mapped) return err("BAD_STATE");
    r.hostMapped = mapped;
    return ok();
  }

  private ctl(id: number, hart: number, host: number): Result {
    const r = this.own(id, host);
    if ("status" in r) return r;
    if (!this.hostHolds(r.pas, hart)) return err("RELAY_UNAVAILABLE"); // never freed under an enclave (OW-6)
    this.table.regions[id] = null;
    return ok();
  }

  /** The monitor's view of `eid` as the host's driver knows it: its own enclave, still fresh (never run). */
  private fresh(eid: number, hart: number): Result | undefined {
    const e = this.ctx.platform.p.monitor.state.enclaves[eid];
    if (!e) return err("NO_SUCH_ENCLAVE");
    // another process's enclave is not in this one's SDK (its satp is the bound one, PGL §3.2 host_ptbr; families/secondHost.ts)
    if (e.hostSatp !== this.ctx.platform.p.machine.harts[hart]!.csrRead(CSR.satp)) return err("NOT_CREATOR");
    return e.state === "fresh" ? undefined : err("BAD_STATE");
  }

  private setMemArg(ev: EventOf<"host.setMemArg">): Result {
    const n = this.ctx.platform.p.monitor.state.enclaves.length;
    if (!Number.isInteger(ev.eid) || ev.eid < 0 || ev.eid >= n) return err("INVALID_ID");
    const r = this.own(ev.relay, ev.host);
    if ("status" in r) return r;
    if (!this.hostHolds(r.pas, ev.hart)) return err("RELAY_UNAVAILABLE");
    const refused = this.fresh(ev.eid, ev.hart);
    if (refused) return refused;
    this.table.bind(ev.eid, this.record(ev.eid)!, ev.relay);
    return ok();
  }

  /** The region bound to `eid` as [pa, size], null for none, or undefined when the binding's region was freed. */
  private bound(eid: number): [bigint, bigint] | null | undefined {
    const relay = this.table.boundTo(eid, this.record(eid));
    if (relay === undefined) return null;
    const r = this.table.regions[relay];
    return r ? [r.pas[0]!, BigInt(r.pas.length) * PAGE] : undefined;
  }

  /**
   * RUN's second argument for host.run: the PA of an `enclave_run_param` naming the bound region, or
   * the magic "pending for my name" (inherit); 0 for none. A result when the host's SDK refuses itself.
   */
  runParam(ev: EventOf<"host.run">): bigint | Result {
    const page = this.ctx.paramPage(ev.eid);
    const region = ev.inherit ? ([MM_ARG_MAGIC, 0n] as [bigint, bigint]) : this.bound(ev.eid);
    if (region === undefined) return this.fresh(ev.eid, ev.hart) ?? err("RELAY_UNAVAILABLE"); // bound to a freed region
    if (region === null || page === undefined) return 0n;
    const k = this.ctx.platform.p.kernel;
    k.write64(page + RUN_PARAM + BigInt(RunParam.mmArgAddr), region[0], ev.hart);
    k.write64(page + RUN_PARAM + BigInt(RunParam.mmArgSize), region[1], ev.hart);
    return page + RUN_PARAM;
  }

  /** PLenclave_set_rerun_arg(1) + PLenclave_run: RESUME for ocall 7 with the bound region (or none). */
  private rerun(ev: EventOf<"host.rerun">): Result {
    const n = this.ctx.platform.p.monitor.state.enclaves.length;
    if (!Number.isInteger(ev.eid) || ev.eid < 0 || ev.eid >= n) return err("INVALID_ID");
    const region = this.bound(ev.eid);
    if (region === undefined) {
      const e = this.ctx.platform.p.monitor.state.enclaves[ev.eid];
      if (!e) return err("NO_SUCH_ENCLAVE");
      return e.state === "ocalling" && this.returned.has(e) ? err("RELAY_UNAVAILABLE") : err("BAD_STATE");
    }
    const [pa, size] = region ?? [0n, 0n];
    return this.ctx.enter(ev.hart, HostFid.RESUME_ENCLAVE, [
      BigInt(ev.eid),
      ResumeReason.OCALL,
      OCALL_RETURN_RELAY_PAGE,
      pa,
      size,
    ]);
  }

  /** [va, size] of relay `id` in enclave `eid` (its pages mapped at consecutive VAs), or undefined. */
  private vaRange(eid: number, id: number): [bigint, bigint] | undefined {
    const r = relaysNow(this.ctx)[id];
    if (!r?.live || r.pages.length === 0) return undefined;
    const maps = this.ctx.mappings(eid);
    const vas = r.pages.map((p) => maps.find((m) => m.pa === this.ctx.platform.pa(p))?.va);
    if (vas.some((v) => v === undefined)) return undefined;
    for (let i = 1; i < vas.length; i++) if (vas[i] !== vas[0]! + BigInt(i) * PAGE) return undefined;
    return [vas[0]!, BigInt(r.pages.length) * PAGE];
  }

  /**
   * The checker asked for the split, so it names the piece as the spec does: the lowest relay id no
   * region or piece uses; the host's table then knows both pieces (the SDK would know only the
   * region; α names each piece of the table as one relay while its pages have one holder).
   */
  private splitOff(relay: number, at: number, id: number): Result {
    const region = this.table.regions[relay];
    if (id < 0 || !region) return err("NO_FREE_ID");
    this.table.regions[id] = { creator: region.creator, pas: region.pas.slice(at), hostMapped: false };
    region.pas = region.pas.slice(0, at);
    return ok("SUCCESS", id);
  }

  /** An enclave event of the family as an agent command, or undefined if it is not one. */
  command(ev: Event, eid: number): FamilyCommand | undefined {
    const n = this.ctx.platform.config.relays;
    const badId = (id: number) => id !== NONE && (!Number.isInteger(id) || id < 0 || id >= n);
    switch (ev.type) {
      case "enclave.returnRelay":
        return { cmd: { op: AgentOp.RETURN_RELAY } };
      case "enclave.asyncCall": {
        if (badId(ev.relay) || ev.relay === NONE) return err("INVALID_ID");
        const [va, size] = this.vaRange(eid, ev.relay) ?? [NOT_HELD, PAGE];
        return { cmd: { op: AgentOp.ASYN_CALL, name: ev.name, callArg: [0n, 0n, va, size, 0n, 0n] } };
      }
      case "enclave.splitRelay": {
        if (badId(ev.relay) || ev.relay === NONE) return err("INVALID_ID");
        const range = this.vaRange(eid, ev.relay);
        const [va, size] = range ?? [NOT_HELD, 2n * PAGE];
        const id = this.freeId(); // named before the split: α shows the new piece under the lowest free id meanwhile
        const interpret = (r: Result): Result => (r.status === "ok" && range ? this.splitOff(ev.relay, ev.at, id) : r);
        return { cmd: { op: AgentOp.SPLIT, args: [va, size, va + BigInt(ev.at) * PAGE] }, interpret };
      }
      case "enclave.callServer": {
        if (ev.reqRelay === NONE) return undefined;
        if (badId(ev.reqRelay)) return err("INVALID_ID");
        if (ev.reqPages.length > 0) return err("NOT_SUPPORTED"); // one request region per call (PGL §3.3)
        const [va, size] = this.vaRange(eid, ev.reqRelay) ?? [NOT_HELD, PAGE];
        return { cmd: { op: AgentOp.CALL, args: [BigInt(ev.server)], callArg: [0n, 0n, va, size, 0n, 0n] } };
      }
      default:
        return undefined;
    }
  }
}
