/**
 * Executes one model event on the implementation: host events are real SBI calls issued by the
 * S-mode host kernel on the event's hart, enclave events are commands to the agent enclave running
 * on that hart (one real ecall or one real load/store, impl/eapp/include/agent.h), adversary events
 * are real S-mode loads, stores and SBI calls, and a timer event fires the hart's CLINT timer. After
 * the action every hart is let run until it settles: its host routine returned, or the agent on it
 * is idle again. A stop or destroy of an enclave running on another hart is therefore delivered (by
 * the monitor's IPI) within the same step — the spec's "before the call returns" (host.stop).
 */
import { ENCLAVE_EXTENSION, EnclaveFid, HOST_EXTENSION, HostFid, PLATFORM_SBI_EID } from "../../model/abi.ts";
import { ReturnCode, codeNames, type CodeName } from "../../model/codes.ts";
import type { Event, EventOf } from "../../model/events.ts";
import { err, fault, ok, type Result } from "../../model/result.ts";
import { NONE, type System } from "../../model/state.ts";
import { hostResultOf } from "../../impl/host/hostKernel.ts";
import { isZero } from "../../impl/abstraction.ts";
import { pendingInterrupt } from "../../impl/riscv/trap.ts";
import { HostFault, HostHang } from "../../impl/host/sModePort.ts";
import { loadEnclaveAt, type LoadedEnclave } from "../../impl/host/enclaveLoader.ts";
import { EnclaveType, ResumeReason } from "../../impl/abi/enclaveAbi.ts";
import {
  AGENT_DATA_SIZE,
  AGENT_MAGIC,
  AgentOp,
  Handback,
  REC,
  postCommand,
  type Command,
  type RecordPort,
} from "../../impl/eapp/agentRecord.ts";
import { AGENT_ELF, CheckedPlatform, type PlatformConfig } from "./platform.ts";
import { enclaveMappings, type Mapping } from "./enclaveMappings.ts";
import { OcallId } from "../../model/abi.ts";
import { RelayFamily, type FamilyContext } from "./families/relayExec.ts";
import { secureShmCommand } from "./families/secureShmExec.ts";
import { FamilyExecutors, type FamilyHints } from "./families/index.ts";
import type { FamilyHost } from "./families/familyHost.ts";
import { PageTableFamily } from "./families/pageTableExec.ts";

const PAGE = 4096n;
/** Mailbox cells the driver keeps in an enclave's param page (penglaiDriver.ts). */
const MAILBOX = 0x100n;
/** Agent stack: 4 pages (the default 64 KiB would make every region 64 pages). */
export const AGENT_STACK = 4n * PAGE;
/** Instructions all harts together may run for one step before the step counts as hung. */
const STEP_BUDGET = 20_000_000;
/** Ocall sub-id of getrandom (PGL §2.3 id 8; the SDK's OCALL_GETRANDOM). */
const OCALL_GETRANDOM = 8n;
/** A VA no enclave maps: a probe of a page the enclave does not own goes there (MI-5). */
const UNMAPPED_VA = 0x20_0000_0000n;

/** The implementation did not settle within the step budget (a hung monitor or agent). */
export class ImplementationHang extends Error {
  constructor(what: string) {
    super(`the implementation did not settle: ${what}`);
    this.name = "ImplementationHang";
  }
}

function codeName(r: bigint): CodeName {
  const n = Number(r);
  return codeNames.find((c) => ReturnCode[c] === n) ?? "ERROR";
}

/** A host SBI answer as a model result: negative = refused (one code per cause), ERROR = the enclave was killed. */
export function hostAnswer(r: bigint, value = 0): Result {
  if (r === BigInt(ReturnCode.ERROR)) return fault();
  if (r < 0n) return err(codeName(r));
  return ok(codeName(r), r > 0n ? Number(r) : value); // TIMER_IRQ 1, YIELD 3, … carry their number
}

interface Agent {
  eid: number;
  record: bigint;
  paramPage: bigint;
  /** VAs the agent got from mmap (safe to store to: the agent keeps nothing there). */
  mmapped: bigint[];
}

export class Implementation {
  readonly platform: CheckedPlatform;
  private readonly agents = new Map<number, Agent>();
  /** The host's SET_PTE calls and the shadow of what it wrote (families/pageTableExec.ts). */
  readonly pageTables: PageTableFamily;
  /** Last answer each hart's host routine got (a run loop's RUN/RESUME ends when its enclave leaves). */
  private readonly answers: (bigint | null)[];
  /**
   * The enclave each hart's host run loop entered (RUN/RESUME): its mailbox carries what a server
   * called by it does too — a callee runs on its top caller's host context (PGL §3.3).
   */
  private readonly entered: number[];
  /** The relay and secure shm families (families/relayExec.ts, families/secureShmExec.ts). */
  private readonly family: FamilyContext;
  private readonly relays: RelayFamily;

  constructor(config: PlatformConfig) {
    this.platform = new CheckedPlatform(config);
    this.family = {
      platform: this.platform,
      enter: (h, fid, args) => this.enter(h, fid, args),
      mappings: (eid) => this.mappings(eid),
      hostZero: (pa, hart) => this.hostZero(pa, hart),
      inLiveWindow: (pa) => this.inLiveWindow(pa),
      paramPage: (eid) => this.agents.get(eid)?.paramPage,
    };
    this.relays = new RelayFamily(this.family);
    this.answers = new Array(config.harts).fill(null);
    this.entered = new Array(config.harts).fill(NONE);
    this.platform.driver.donateOnNoMem = false; // donations are their own event (host.memoryExtend)
    this.families = new FamilyExecutors(this.lend(), AGENT_ELF);
    this.pageTables = new PageTableFamily(
      this.platform,
      (h, fid, args) => this.hostCall(h, fid, args) ?? BigInt(ReturnCode.ERROR),
    );
  }

  /** Executors of the later event families (families/index.ts), and what they may use of this class. */
  private readonly families: FamilyExecutors;
  private lend(): FamilyHost {
    return {
      ...{ platform: this.platform, running: (h) => this.running(h), answer: (r) => hostAnswer(r) },
      hostCall: (h, fid, args) => this.hostCall(h, fid, args),
      setEntered: (h, eid) => void (this.entered[h] = eid),
      agent: (eid) => this.agents.get(eid),
      addAgent: (a) => void this.agents.set(a.eid, a),
      dropAgent: (eid, restore) => void (restore ? this.agents.set(eid, restore) : this.agents.delete(eid)),
      agents: () => this.agents.values(),
      ...{ hostZero: (pa, h) => this.hostZero(pa, h), inLiveWindow: (pa) => this.inLiveWindow(pa) },
      mappings: (eid) => this.mappings(eid),
    };
  }

  /** The family generators' hints (generate.ts GenerationHints.families). */
  familyHints(regionPages: number, image: string): FamilyHints {
    return this.families.hints(regionPages, image);
  }

  /** α; `zeroedPages` limits the 4 KiB zero scans to the pages the caller will look at. */
  state(names: string[], zeroedPages?: (page: number) => boolean): System {
    return this.platform.abstract(names, zeroedPages);
  }

  private get k() {
    return this.platform.p.kernel;
  }

  private get mem() {
    return this.platform.p.machine.mem;
  }

  /** The eid the monitor runs on hart h, or NONE. */
  private running(h: number): number {
    const c = this.platform.p.monitor.state.cpus[h];
    return c === undefined || c < 0 ? NONE : c;
  }

  private port(rec: bigint): RecordPort {
    const mem = this.mem;
    return {
      read64: (off) => mem.read64(rec + BigInt(off)),
      write64: (off, v) => mem.write64(rec + BigInt(off), v),
      read: (off, len) => mem.read(rec + BigInt(off), len),
      write: (off, bytes) => mem.write(rec + BigInt(off), bytes),
    };
  }

  /** Hart h needs no more time: no host routine in flight, or the agent on it is idle. */
  private settled(h: number): boolean {
    const port = this.k.ports[h];
    if (!port.busy) return true;
    if (port.finished) return false; // rang: collect it
    const eid = this.running(h);
    const a = eid === NONE ? undefined : this.agents.get(eid);
    const hart = this.platform.p.machine.harts[h];
    if (!a || hart.priv !== 0 || pendingInterrupt(hart) >= 0) return false; // an IPI or timer is still to be taken
    const r = this.port(a.record);
    return r.read64(REC.MAGIC) === AGENT_MAGIC && r.read64(REC.SEQ) === r.read64(REC.DONE);
  }

  /** Run the machine until every hart settled (and hart `until` returned to its host); collect the answers. */
  private settle(until = NONE): void {
    const m = this.platform.p.machine;
    let left = STEP_BUDGET;
    for (;;) {
      for (let h = 0; h < m.harts.length; h++) {
        const port = this.k.ports[h];
        if (port.busy && port.finished) {
          try {
            const hart = port.wait();
            this.answers[h] = hostResultOf(hart.x(10), hart.x(11));
          } catch (e) {
            if (!(e instanceof HostFault)) throw e;
            this.answers[h] = BigInt(ReturnCode.ACCESS_FAULT);
          }
        }
      }
      let all = until === NONE || !this.k.ports[until].busy;
      for (let h = 0; h < m.harts.length; h++) if (!this.settled(h)) all = false;
      if (all) return;
      if (left <= 0) throw new ImplementationHang(`harts ${m.harts.map((_, h) => (this.settled(h) ? "." : h)).join("")}`);
      const n = m.run(Math.min(left, 2_000));
      left -= n;
      if (n === 0) throw new ImplementationHang("every hart is asleep");
    }
  }

  /** Start host SBI function `fid` on hart h and settle; returns the answer if the routine returned. */
  private hostCall(h: number, fid: number, args: bigint[]): bigint | null {
    const regs: Record<number, bigint> = { 17: BigInt(HOST_EXTENSION), 16: BigInt(fid) };
    args.forEach((v, i) => (regs[10 + i] = v));
    this.answers[h] = null;
    this.k.ports[h].start("ecall", regs);
    this.settle();
    return this.answers[h];
  }

  /** RUN / RESUME family: an enclave now runs on h (SUCCESS), or the call came back with an answer. */
  private enter(h: number, fid: number, args: bigint[]): Result {
    this.platform.setTimer(h, false);
    const eid = Number(args[0]);
    const record = this.platform.p.monitor.state.enclaves[eid];
    this.entered[h] = record && record.topCaller >= 0 ? record.topCaller : eid; // whose mailbox the monitor uses
    const r = this.hostCall(h, fid, args);
    if (r === null) {
      this.collect(eid);
      return ok();
    }
    return this.leaveResult(h, r, eid);
  }

  /** The agent on a hart finished a command: remember what the checker needs of its result. */
  private collect(eid: number): void {
    const a = this.agents.get(eid);
    if (!a) return;
    const rec = this.port(a.record);
    if (rec.read64(REC.OPCODE) === BigInt(AgentOp.MMAP) && rec.read64(REC.SEQ) !== 0n) {
      const va = rec.read64(REC.RESULT);
      if (va !== 0n && !a.mmapped.includes(va)) a.mmapped.push(va);
    }
  }

  /** What the host's run loop sees when the enclave on h left: exit value, ocall id, or a code. */
  private leaveResult(h: number, r: bigint, eid = NONE): Result {
    const a = this.agents.get(this.entered[h] ?? eid) ?? this.agents.get(eid);
    if (r === 0n) return ok("SUCCESS", a ? Number(BigInt.asIntN(64, this.mem.read64(a.paramPage + MAILBOX + 32n))) : 0);
    if (r === BigInt(ReturnCode.OCALL) && a) {
      const func = Number(this.mem.read64(a.paramPage + MAILBOX));
      // the run loop hands a returned relay region to the user: PLenclave_run answers 1 (PGL §1.5, §4.7)
      if (func === OcallId.RETURN_RELAY_PAGE) {
        const e = this.platform.p.monitor.state.enclaves[eid];
        if (e) this.relays.returned.add(e);
        return ok("RETURN_USER_MODE", func);
      }
      return ok("OCALL", func);
    }
    return hostAnswer(r);
  }

  /** Execute `ev`; the result is what the issuing domain observes. Never throws because of guest behaviour. */
  exec(ev: Event): Result {
    const h = ev.hart;
    if (!Number.isInteger(h) || h < 0 || h >= this.platform.config.harts) return err("INVALID_HART");
    const onHost = this.running(h) === NONE;
    if (ev.type.startsWith("enclave.")) {
      if (onHost) return err("WRONG_DOMAIN"); // no enclave runs there to make the call
      return this.enclaveEvent(ev as EnclaveEvent);
    }
    if (ev.type === "env.timer") return this.timer(h);
    if (ev.type === "env.ipi") return ok();
    if (!onHost) return this.hostCallFromEnclave(ev); // the host is not on that hart: the enclave tries it
    if (!this.families.selectHost(ev)) return err("INVALID_ID"); // no such host process (families/secondHost.ts)
    return this.hostEvent(ev);
  }

  /** Host SBI function ids of the host events an enclave can try to call itself (LC-3). */
  private static readonly HOST_FID: Partial<Record<Event["type"], number>> = {
    "host.run": HostFid.RUN_ENCLAVE,
    "host.stop": HostFid.STOP_ENCLAVE,
    "host.resume": HostFid.RESUME_ENCLAVE,
    "host.destroy": HostFid.DESTROY_ENCLAVE,
    "host.attest": HostFid.ATTEST_ENCLAVE,
    "host.create": HostFid.CREATE_ENCLAVE,
  };

  /** A host event on a hart that runs an enclave: the agent makes that host SBI call itself (raw ecall). */
  private hostCallFromEnclave(ev: Event): Result {
    const fid = Implementation.HOST_FID[ev.type];
    const a = this.agents.get(this.running(ev.hart));
    if (fid === undefined || !a) return err("WRONG_DOMAIN"); // nothing the checker can make the enclave try
    const eid = "eid" in ev ? BigInt(ev.eid) : 0n;
    const reason = ev.type === "host.resume" ? (ev.reason === "stop" ? ResumeReason.STOP : ResumeReason.TIMER_IRQ) : 0n;
    return this.agentCommand(ev.hart, a, { op: AgentOp.RAW_ECALL, args: [BigInt(fid), BigInt(HOST_EXTENSION), eid, reason] });
  }

  private timer(h: number): Result {
    const eid = this.running(h);
    if (eid === NONE) return ok(); // the host's own timer: nothing abstract happens
    this.platform.setTimer(h, true);
    this.settle(h);
    this.platform.setTimer(h, false);
    const r = this.answers[h];
    return r === null ? ok() : this.leaveResult(h, r, eid);
  }

  private hostEvent(ev: Event): Result {
    const h = ev.hart;
    const family = this.families.exec(ev);
    if (family) return family;
    switch (ev.type) {
      case "host.create":
        return this.create(ev);
      case "host.run": {
        const param = this.relays.runParam(ev); // the relay region handed over (PGL §4.7)
        return typeof param === "bigint" ? this.enter(h, HostFid.RUN_ENCLAVE, [BigInt(ev.eid), param]) : param;
      }
      case "host.resume":
        if (ev.reason === "stop")
          return hostAnswer(this.hostCall(h, HostFid.RESUME_ENCLAVE, [BigInt(ev.eid), ResumeReason.STOP])!);
        return this.enter(h, HostFid.RESUME_ENCLAVE, [BigInt(ev.eid), ResumeReason.TIMER_IRQ]);
      case "host.ocallReturn":
        return this.ocallReturn(ev);
      case "host.stop":
        return hostAnswer(this.hostCall(h, HostFid.STOP_ENCLAVE, [BigInt(ev.eid)])!);
      case "host.destroy":
        return this.destroy(ev);
      case "host.attest":
        return this.attest(ev);
      case "host.shmget":
        return this.shmget(ev);
      case "adversary.setPte":
        return hostAnswer(this.pageTables.setPte(ev));
      case "adversary.touch":
        return this.touch(ev);
      case "adversary.sbi":
        return hostAnswer(
          this.hostCall(
            h,
            ev.fid,
            ev.args.map((a) => BigInt(a)),
          )!,
        );
      default:
        return this.relays.host(ev) ?? err("NOT_SUPPORTED");
    }
  }

  private pagesPa(pages: readonly number[]): bigint[] | undefined {
    const out: bigint[] = [];
    for (const p of pages) {
      const pa = this.platform.pa(p);
      if (pa === undefined) return undefined;
      out.push(pa);
    }
    return out;
  }

  /** The pages as one region [pa, pa + size), or undefined when they are not consecutive. */
  private region(pages: readonly number[]): { pa: bigint; size: bigint } | undefined {
    const pas = this.pagesPa(pages);
    if (!pas || pas.length === 0) return undefined;
    for (let i = 1; i < pas.length; i++) if (pas[i] !== pas[0] + BigInt(i) * PAGE) return undefined;
    return { pa: pas[0], size: BigInt(pas.length) * PAGE };
  }

  /**
   * The host's own work before a call, invisible to the monitor: it lays the agent's image out in the
   * create region, zeroes new shm pages. Returns the model pages it wrote (the spec lets the host
   * write its public memory at any time, so the checker refreshes what the spec knows of them).
   */
  prepare(ev: Event): number[] {
    if (ev.type === "host.schrodingerGet" && this.running(ev.hart) === NONE) return this.relays.prepare(ev);
    const family = this.families.prepare(ev);
    if (family) return family;
    if (ev.type === "host.create" && this.running(ev.hart) === NONE) {
      const region = this.region(ev.pages);
      if (!region) return [];
      this.loaded = undefined;
      const shm = ev.shm === NONE ? undefined : this.platform.shms[ev.shm];
      // a fresh record in the shm; the kbuffer keeps whatever the host left there (AT-1: the monitor must
      // not measure a window's content — the host writes a different pattern each time, which M33 would hash)
      // ... but never over the windows of live enclaves: the host does not scribble over its own live
      // shared memory (an agent's record is its command channel; a trace may name such pages)
      const shmPa = shm?.pas[0];
      const kbuffer = this.platform.pa(ev.kbuffer);
      const written: bigint[] = [];
      if (shmPa !== undefined && !this.inLiveWindow(shmPa)) {
        this.hostZero(shmPa, ev.hart);
        this.port(shmPa).write64(REC.HANDBACK, Handback.SPIN); // the agent polls; control returns by timer
        written.push(shmPa);
      }
      if (kbuffer !== undefined && !this.inLiveWindow(kbuffer)) {
        this.hostFill(kbuffer, ev.hart, BigInt(++this.creates) * 0x0101010101n);
        written.push(kbuffer);
      }
      if (!ev.pages.some((p) => this.inLiveWindow(this.platform.pa(p)!))) {
        try {
          this.loaded = loadEnclaveAt(this.k, AGENT_ELF, region.pa, region.size, AGENT_STACK, ev.hart);
          written.push(...this.pagesPa(ev.pages)!);
        } catch (e) {
          if (!(e instanceof HostFault) && !(e instanceof RangeError)) throw e; // the host cannot write there: it asks anyway
          written.push(...this.pagesPa(ev.pages)!);
        }
      }
      return written.map((pa) => this.platform.page(pa)!);
    }
    if (ev.type === "host.ocallReturn" && this.running(ev.hart) === NONE) {
      // the host's block comes with whatever it held before (the monitor must zero-fill it, CS-2)
      const written: number[] = [];
      for (const p of ev.pages) {
        const pa = this.platform.pa(p);
        if (pa !== undefined && !this.inLiveWindow(pa)) {
          this.hostFill(pa, ev.hart, 0x5a5a5a5an);
          written.push(p);
        }
      }
      return written;
    }
    if (ev.type === "host.attest" && ev.report !== undefined && ev.report !== NONE && this.running(ev.hart) === NONE) {
      // the report's buffer holds whatever the host left there (the report overwrites part of it)
      const pa = this.platform.pa(ev.report);
      return pa !== undefined && !this.inLiveWindow(pa) && this.hostFill(pa, ev.hart, 0x7e7e7e7en) ? [ev.report] : [];
    }
    if (ev.type === "host.shmget" && this.running(ev.hart) === NONE) {
      this.shmZeroed = true;
      for (const p of ev.pages) {
        const pa = this.platform.pa(p);
        // a page of another segment or a live window is not the host's to give (and not wiped)
        const taken = pa !== undefined && (this.inLiveWindow(pa) || this.platform.shms.some((g) => g?.pas.includes(pa)));
        if (pa !== undefined && (taken || !this.hostZero(pa, ev.hart))) this.shmZeroed = false;
      }
      return [...ev.pages];
    }
    return [];
  }

  /** The host zeroes a page with S-mode stores; false if it cannot write there. */
  private hostZero(pa: bigint, hart: number): boolean {
    try {
      this.k.zero(pa, PAGE, hart);
      return true;
    } catch (e) {
      if (!(e instanceof HostFault)) throw e;
      return false;
    }
  }

  /** The host fills a page with a 64-bit pattern, S-mode stores; false if it cannot write there. */
  private hostFill(pa: bigint, hart: number, value: bigint): boolean {
    try {
      this.k.ports[hart].exec("fill8", { 10: pa, 11: value, 12: PAGE / 8n, 13: 0n });
      return true;
    } catch (e) {
      if (!(e instanceof HostFault)) throw e;
      return false;
    }
  }

  /** Is `pa` a shm page or the kbuffer of a live enclave (its shared windows, PGL §4.6, §4.10)? */
  private inLiveWindow(pa: bigint): boolean {
    for (const e of this.platform.p.monitor.state.enclaves) {
      if (e === null) continue;
      if (e.kbuffer === pa) return true;
      if (e.shm && pa >= e.shm.pa && pa < e.shm.pa + e.shm.size) return true;
    }
    return false;
  }

  /** Creates prepared so far (varies what the host leaves in a kbuffer). */
  private creates = 0;

  /** What {@link prepare} left for the call. */
  private loaded: LoadedEnclave | undefined;
  private shmZeroed = false;

  /** PLenclave_create with the agent's image, laid out in `pages` by {@link prepare}. */
  private create(ev: EventOf<"host.create">): Result {
    const region = this.region(ev.pages);
    const kbuffer = ev.kbuffer === NONE ? undefined : this.platform.pa(ev.kbuffer);
    const shm = ev.shm === NONE ? undefined : this.platform.shms[ev.shm];
    if (!region || (ev.kbuffer !== NONE && kbuffer === undefined)) return err("INVALID_ID");
    // another process's segment is not in this one's table (PLenclave_shmget ids) — after the shape error of
    // a window the monitor answers first (spec host.create's order)
    const foreign = shm && shm.creator !== ev.host && !(ev.kind !== "normal" && ev.kbuffer !== NONE);
    if (ev.shm !== NONE && (!shm || foreign)) return err("NO_SUCH_SHM");
    const loaded =
      this.loaded?.paddr === region.pa
        ? this.loaded
        : { paddr: region.pa, size: region.size, entry: 0x1000n, freeMem: region.pa + 3n * PAGE };
    this.loaded = undefined;
    const type = ev.kind === "server" ? EnclaveType.SERVER : ev.kind === "shadow" ? EnclaveType.SHADOW : EnclaveType.NORMAL;
    const eid = this.driver.create(AGENT_ELF, {
      name: ev.name,
      type,
      shm: shm ? { pa: shm.pas[0], size: BigInt(shm.pas.length) * PAGE } : undefined,
      placed: { region: loaded, kbuffer: kbuffer ?? 0n },
      hart: ev.hart,
    });
    if (eid < 0) return err(codeName(BigInt(eid)));
    const d = this.driver.enclaves.get(eid)!;
    if (shm) this.agents.set(eid, { eid, record: shm.pas[0], paramPage: d.paramPage, mmapped: [] });
    return ok("SUCCESS", eid);
  }

  private get driver() {
    return this.platform.driver;
  }

  private ocallReturn(ev: EventOf<"host.ocallReturn">): Result {
    const a = this.agents.get(ev.eid);
    const func = a ? this.mem.read64(a.paramPage + MAILBOX) : 0n;
    // the run loop serves every ocall but the relay hand-back, which goes to the user (host.rerun)
    const extra: bigint[] = [func === BigInt(OcallId.RETURN_RELAY_PAGE) ? 0n : func];
    if (ev.pages.length > 0) {
      const r = this.region(ev.pages);
      if (!r) return err("OCALL_PAGES_INVALID");
      extra.push(r.pa, r.size);
    } else extra.push(0n, 0n); // no block: a3 = a4 = 0, not what the hart's registers held from its last call
    const result = this.enter(ev.hart, HostFid.RESUME_ENCLAVE, [BigInt(ev.eid), ResumeReason.OCALL, ...extra]);
    return result;
  }

  private destroy(ev: EventOf<"host.destroy">): Result {
    const r = this.hostCall(ev.hart, HostFid.DESTROY_ENCLAVE, [BigInt(ev.eid)])!;
    if (r === 0n) this.forget(ev.eid);
    return hostAnswer(r);
  }

  private forget(eid: number): void {
    this.agents.delete(eid);
    this.driver.enclaves.delete(eid);
  }

  private attest(ev: EventOf<"host.attest">): Result {
    const a = this.agents.get(ev.eid);
    // any host buffer of the host's own: the report is public (a shadow is no agent: its driver page; freeBase may be an enclave's now)
    const page = a?.paramPage ?? this.driver.enclaves.get(ev.eid)?.paramPage ?? this.driver.k.layout.freeBase;
    // the host names the report's page (SP-2: it must be public; M21 writes wherever it is told)
    const at = ev.report !== undefined && ev.report !== NONE ? (this.platform.pa(ev.report) ?? 0n) : page + 0x400n;
    return hostAnswer(this.hostCall(ev.hart, HostFid.ATTEST_ENCLAVE, [BigInt(ev.eid), at, BigInt(ev.nonce)])!);
  }

  /** PLenclave_shmget: host bookkeeping over pages {@link prepare} zeroed with S-mode stores (it can only touch its own). */
  private shmget(ev: EventOf<"host.shmget">): Result {
    const pas = this.pagesPa(ev.pages);
    if (!pas) return err("INVALID_ID");
    if (pas.length === 0 || new Set(pas).size !== pas.length) return err("INVALID_ARGUMENT");
    const k = this.platform.shms.indexOf(null);
    if (k < 0) return err("NO_FREE_ID");
    if (!this.shmZeroed) return err("PAGES_NOT_AVAILABLE"); // prepare could not write them: not the host's
    this.platform.shms[k] = { creator: ev.host, pas, hostAttached: false };
    return ok("SUCCESS", k);
  }

  /** A host load or store by S-mode code; a fault is the model's refusal. */
  private touch(ev: EventOf<"adversary.touch">): Result {
    const pa = this.platform.pa(ev.page);
    if (pa === undefined) return err("INVALID_ID");
    const L = this.k.layout;
    try {
      if (ev.write) this.k.write64(pa + 0xff8n, 0xa5a5n, ev.hart);
      else this.k.read64(pa + 0xff8n, ev.hart);
      return ok();
    } catch (e) {
      if (!(e instanceof HostFault)) throw e;
      const inPta = pa >= L.ptArea.base && pa < L.ptArea.base + L.ptArea.size;
      return err(ev.write && inPta ? "PTA_READ_ONLY" : "ACCESS_FAULT");
    }
  }

  // ---- enclave events: one agent command ---------------------------------------------------

  private enclaveEvent(ev: EnclaveEvent): Result {
    const h = ev.hart;
    const eid = this.running(h);
    const a = this.agents.get(eid);
    if (!a) return err("NOT_SUPPORTED"); // not an agent: the checker cannot drive it
    const fam = this.relays.command(ev, a.eid) ?? secureShmCommand(this.family, ev, a.eid, a.record);
    if (fam && "status" in fam) return fam;
    if (fam) {
      const r = this.agentCommand(h, a, fam.cmd);
      return fam.interpret ? fam.interpret(r) : r;
    }
    const family = this.families.command(ev, a);
    const cmd = family?.cmd ?? this.command(ev, a);
    if (cmd === undefined) return err("NOT_SUPPORTED");
    return this.agentCommand(h, a, cmd, ev.type === "enclave.access" || family?.data === true);
  }

  /**
   * Post `cmd` to the agent on hart h and settle: its result (a0: a code if negative; or data, when
   * `data`), or what the host saw if the enclave left.
   */
  private agentCommand(h: number, a: Agent, cmd: Command, data = false): Result {
    postCommand(this.port(a.record), { ...cmd, target: a.eid }); // agents may share a record (one shm, several enclaves)
    this.answers[h] = null;
    this.settle();
    const r = this.answers[h];
    if (r !== null) {
      const result = this.leaveResult(h, r, a.eid);
      if (r === 0n || r === BigInt(ReturnCode.ERROR)) this.forget(a.eid);
      // a server killed inside a call takes its top caller with it (serverCalls.ts killCallChain)
      for (const eid of [...this.agents.keys()]) if (this.platform.p.monitor.state.enclaves[eid] === null) this.forget(eid);
      return result;
    }
    const now = this.running(h);
    if (now !== a.eid) return this.switched(a, now, cmd);
    this.collect(a.eid);
    if (data) return ok();
    const value = BigInt.asIntN(64, this.port(a.record).read64(REC.RESULT));
    return value < 0n ? err(codeName(value)) : ok("SUCCESS", Number(value));
  }

  /**
   * The enclave on the hart changed within a command: a server call entered the callee (the call is
   * under way: SUCCESS), or SERVER_RETURN resumed the caller, whose CALL finished with the server's
   * value. The server's command never completes (it is entered at _start again on its next call), so
   * the host marks it done.
   */
  private switched(a: Agent, now: number, cmd: Command): Result {
    if (this.platform.p.monitor.state.enclaves[a.eid] === null) {
      // a server killed by a trap: its caller resumes with ERROR (PGL §2.1, §3.3)
      this.forget(a.eid);
      return fault();
    }
    if (cmd.op === AgentOp.CALL) return ok();
    if (cmd.op !== AgentOp.SERVER_RETURN) return err("NOT_SUPPORTED");
    const rec = this.port(a.record);
    rec.write64(REC.DONE, rec.read64(REC.SEQ));
    const caller = this.agents.get(now);
    if (!caller) return ok();
    this.collect(now);
    const c = this.port(caller.record);
    const r = BigInt.asIntN(64, c.read64(REC.RESULT));
    return r < 0n ? err(codeName(r)) : ok("SUCCESS", Number(BigInt.asIntN(64, c.read64(REC.CALL_ARG + 8))));
  }

  /** A page list as one VA range of enclave `eid` (consecutive VAs), or [0, 0] for none. */
  private vaRange(eid: number, pages: readonly number[]): [bigint, bigint] | undefined {
    if (pages.length === 0) return [0n, 0n];
    const maps = this.mappings(eid);
    const vas = pages.map((p) => maps.find((m) => m.pa === this.platform.pa(p))?.va);
    if (vas.some((v) => v === undefined)) return undefined;
    for (let i = 1; i < vas.length; i++) if (vas[i] !== vas[0]! + BigInt(i) * PAGE) return undefined;
    return [vas[0]!, BigInt(pages.length) * PAGE];
  }

  private command(ev: EnclaveEvent, a: Agent): Command | undefined {
    switch (ev.type) {
      case "enclave.acquireServer":
        return { op: AgentOp.ACQUIRE, name: ev.name };
      case "enclave.callServer": {
        const req = this.vaRange(a.eid, ev.reqPages);
        if (!req || ev.reqRelay !== NONE) return undefined;
        return { op: AgentOp.CALL, args: [BigInt(ev.server)], callArg: [0n, 0n, req[0], req[1], 0n, 0n] };
      }
      case "enclave.serverReturn": {
        const resp = this.vaRange(a.eid, ev.respPages);
        if (!resp) return undefined;
        return { op: AgentOp.SERVER_RETURN, callArg: [0n, BigInt(ev.value), 0n, 0n, resp[0], resp[1]] };
      }
      case "enclave.exit":
        return { op: AgentOp.EXIT, args: [BigInt(ev.retval)] };
      case "enclave.platformSbi": // SBI convention: a7 = EID, a6 = FID 0 (set_timer, send_ipi, …); a0 = all ones
        return { op: AgentOp.RAW_ECALL, args: [0n, BigInt(PLATFORM_SBI_EID[ev.ext]), (1n << 64n) - 1n] };
      case "enclave.yield":
        return { op: AgentOp.YIELD };
      case "enclave.print":
        return { op: AgentOp.PRINT, data: new TextEncoder().encode("agent\n\0") };
      case "enclave.mmap":
        return { op: AgentOp.MMAP, args: [0n, BigInt(ev.count) * PAGE] };
      case "enclave.getEnclaveId":
        return { op: AgentOp.GET_ENCLAVE_ID };
      case "enclave.getCallerId":
        return { op: AgentOp.GET_CALLER_ID };
      case "enclave.getRandom":
        if (ev.size <= AGENT_DATA_SIZE) return { op: AgentOp.GETRANDOM, args: [BigInt(ev.size)] };
        // more than the agent's SDK call passes on (it clamps): the raw ocall into its 4 KiB scratch page (SP-4, M24)
        return {
          op: AgentOp.RAW_ECALL,
          args: [
            BigInt(ENCLAVE_EXTENSION),
            BigInt(EnclaveFid.ENCLAVE_OCALL),
            OCALL_GETRANDOM,
            this.port(a.record).read64(REC.SCRATCH_VA),
            BigInt(ev.size),
          ],
        };
      case "enclave.getKey":
        return { op: AgentOp.GET_KEY, args: [BigInt(ev.keyType), 32n] };
      case "enclave.access": {
        const pa = this.platform.pa(ev.page);
        const m = pa === undefined ? undefined : this.mappings(a.eid).find((x) => x.pa === pa);
        // a store to its own page only where the agent keeps nothing; a page it maps but does not own
        // (a leak the checker must show) is accessed whatever it holds
        const own = pa !== undefined && this.platform.p.monitor.state.ledger.heldBy(a.eid).includes(pa);
        if (ev.write && m && own && !this.writable(a, m)) return undefined; // would corrupt the agent's own code or stack
        const va = m ? m.va : UNMAPPED_VA;
        return ev.write ? { op: AgentOp.STORE, args: [va + 0xff8n, 8n, 0x5a5an] } : { op: AgentOp.LOAD, args: [va + 0xff8n, 8n] };
      }
      default:
        return undefined;
    }
  }

  /** User mappings of enclave `eid` (from its page table in monitor memory). */
  mappings(eid: number): Mapping[] {
    const e = this.platform.p.monitor.state.enclaves[eid];
    return e ? enclaveMappings(this.mem, e.root) : [];
  }

  /** Pages the agent may be told to store to: what it got from mmap (it keeps nothing there). */
  private writable(a: Agent, m: Mapping): boolean {
    return m.writable && a.mmapped.some((va) => m.va >= va && m.va < va + 64n * PAGE);
  }

  /** Model pages an agent enclave can be told to load from, and to store to. */
  accessible(eid: number): { load: number[]; store: number[] } {
    const a = this.agents.get(eid);
    const load: number[] = [];
    const store: number[] = [];
    for (const m of this.mappings(eid)) {
      const p = this.platform.page(m.pa);
      if (p === undefined) continue;
      load.push(p);
      if (a && this.writable(a, m)) store.push(p);
    }
    return { load, store };
  }

  /** Whether model page `page` holds only zero bytes. */
  isZeroPage(page: number): boolean {
    const pa = this.platform.pa(page);
    if (pa === undefined) return false;
    return isZero(this.mem, Number(pa - this.mem.base));
  }

  /** The first `len` bytes of the data area of the agent running on hart h (what its last command copied out). */
  agentData(h: number, len: number): Uint8Array | undefined {
    const a = this.agents.get(this.running(h));
    return a && this.port(a.record).read(REC.DATA, len);
  }

  /** The run is over: the machine's RAM goes back for the next one (nothing may use this afterwards). */
  dispose(): void {
    this.platform.p.machine.mem.dispose();
  }

  /** Whether the enclave runs the agent (its actions can be driven). */
  isAgent(eid: number): boolean {
    return this.agents.has(eid);
  }
}

type EnclaveEvent = Extract<Event, { type: `enclave.${string}` }>;
