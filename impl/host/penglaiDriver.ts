/**
 * The enclave driver of the untrusted host (PGL §1.5, SDK `enclave-driver/*`): it prepares enclave
 * memory, issues the monitor calls through the S-mode hart, and runs the run loop — timer → resume,
 * ocall → serve → resume, yield → resume (PGL §6.1, §6.2). Penglai's driver numbers the enclaves it
 * knows by the monitor's eid here (its IDR id is a host-private detail).
 */
import { HOST_EXTENSION, HostFid } from "../../model/abi.ts";
import { ReturnCode } from "../../model/codes.ts";
import { CreateParam, DEFAULT_STACK_SIZE, EnclaveType, KBUFFER_SIZE, ResumeReason, ShadowRunParam } from "../abi/enclaveAbi.ts";
import { hostResultOf, type HostKernel } from "./hostKernel.ts";
import { HostFault } from "./sModePort.ts";
import { loadEnclave, type LoadedEnclave } from "./enclaveLoader.ts";

const PAGE = 4096n;
const MAILBOX = 0x100n; // mailbox cells, retval, eid cell: in the param page after the struct
const OCALL_MMAP = 1n;
const OCALL_SYS_WRITE = 3n;
const OCALL_SBRK = 4n;
const OCALL_RETURN_RELAY_PAGE = 7n;
const OCALL_SHM_GET = 9n;
/** Where the driver keeps the `enclave_run_param` in an enclave's param page. */
const RUN_PARAM = 0x200n;
const PRINT_MAX = 512;
/** What the driver donates on NO_MEM: one 2 MiB block (Penglai donates order-9 blocks). */
const DONATION = 2n << 20n;

export interface CreateOptions {
  name?: string;
  type?: number;
  stackSize?: bigint;
  /** Host shared memory to map at 0x39_0000_0000 (PA, size). */
  shm?: { pa: bigint; size: bigint };
  /**
   * A region the caller already laid out ({@link loadEnclaveAt}) and a kbuffer page it chose; the
   * caller keeps that memory (the driver does not free it). Default: the driver allocates both.
   */
  placed?: { region: LoadedEnclave; kbuffer: bigint };
  /** Hart whose S-mode issues the calls (default 0). */
  hart?: number;
}

/** What the driver keeps per enclave. */
export interface DriverEnclave {
  eid: number;
  region: LoadedEnclave;
  paramPage: bigint;
  kbuffer: bigint;
  /** Everything the enclave printed through OCALL_SYS_WRITE. */
  output: string;
  /** Blocks donated for sbrk/mmap (returned when the enclave ends). */
  donated: { pa: bigint; size: bigint }[];
  /** The relay region the enclave handed back (OCALL_RETURN_RELAY_PAGE), until the re-run. */
  relayBack?: { pa: bigint; size: bigint };
  /** A run loop on some hart owns this enclave (a destroy from elsewhere lets that loop clean up). */
  inRunLoop?: boolean;
  /** The region and kbuffer belong to the caller of create (CreateOptions.placed). */
  placed?: boolean;
}

/** The result of a run loop. */
export interface RunOutcome {
  /** ENCLAVE_SUCCESS (0), ERROR (−1), or another code the loop stopped at. */
  code: bigint;
  /** Value the enclave passed to EAPP_RETURN (when code = 0). */
  retval: bigint;
  timerPreemptions: number;
  ocalls: number;
}

export class PenglaiDriver {
  readonly enclaves = new Map<number, DriverEnclave>();
  /** Output of enclaves that have finished, by eid (the last one with that eid). */
  readonly finished = new Map<number, string>();
  /** Whether a NO_MEM answer makes the driver donate memory and retry (until donating proves useless). */
  donateOnNoMem = true;
  /** mtime ticks an enclave runs before the host's timer preempts it. */
  timeSlice = 500n;
  /**
   * Blocks donated to enclaves that ended while the monitor still held some of their pages (a secure
   * shm segment other enclaves use, pages lent on to a server or given to a caller): they go back to
   * the allocator only once they are the host's again ({@link reclaim}), never private pages.
   */
  readonly heldBack: { pa: bigint; size: bigint }[] = [];

  constructor(readonly k: HostKernel) {}

  /** Load `elf` and create the enclave (SBI_CREATE_ENCLAVE / SBI_CREATE_SERVER_ENCLAVE). Returns eid or a negative code. */
  create(elf: Uint8Array, opts: CreateOptions = {}): number {
    const k = this.k;
    const hart = opts.hart ?? 0;
    // a shadow is loaded without a stack: every instance gets its own (PGL §3.4)
    const region =
      opts.placed?.region ?? loadEnclave(k, elf, opts.type === EnclaveType.SHADOW ? 0n : (opts.stackSize ?? DEFAULT_STACK_SIZE));
    const paramPage = k.allocPages(PAGE);
    // only a normal enclave has a kbuffer of its own: a server uses its caller's, a shadow never runs (PGL §3.3, §3.4)
    const ownWindow = (opts.type ?? EnclaveType.NORMAL) === EnclaveType.NORMAL;
    const kbuffer = opts.placed?.kbuffer ?? (ownWindow ? k.allocPages(PAGE) : 0n);
    k.zero(paramPage, PAGE, hart);
    if (!opts.placed && ownWindow) k.zero(kbuffer, PAGE, hart);
    const param = new Uint8Array(CreateParam.SIZE);
    const v = new DataView(param.buffer);
    const set = (o: number, x: bigint): void => v.setBigUint64(o, x, true);
    const cells = paramPage + MAILBOX;
    set(CreateParam.eidPtr, cells + 40n);
    param.set(new TextEncoder().encode((opts.name ?? "").slice(0, 15)), CreateParam.name);
    v.setUint32(CreateParam.type, opts.type ?? EnclaveType.NORMAL, true);
    set(CreateParam.paddr, region.paddr);
    set(CreateParam.size, region.size);
    set(CreateParam.entryPoint, region.entry);
    set(CreateParam.freeMem, region.freeMem);
    set(CreateParam.kbuffer, kbuffer);
    set(CreateParam.kbufferSize, KBUFFER_SIZE);
    set(CreateParam.shmPaddr, opts.shm?.pa ?? 0n);
    set(CreateParam.shmSize, opts.shm?.size ?? 0n);
    [CreateParam.ecallArg0, CreateParam.ecallArg1, CreateParam.ecallArg2, CreateParam.ecallArg3].forEach((o, i) =>
      set(o, cells + 8n * BigInt(i)),
    );
    set(CreateParam.retval, cells + 32n);
    k.writeBytes(paramPage, param, hart);
    const fid =
      opts.type === EnclaveType.SERVER
        ? HostFid.CREATE_SERVER_ENCLAVE
        : opts.type === EnclaveType.SHADOW
          ? HostFid.CREATE_SHADOW_ENCLAVE
          : HostFid.CREATE_ENCLAVE;
    let r = k.sbi(fid, [paramPage], hart);
    if (r === BigInt(ReturnCode.NO_MEM) && this.donateOnNoMem) {
      // Penglai's driver: donate memory to the monitor's pool (MEMORY_EXTEND) and retry (PGL §4.6).
      // If that does not help — this monitor's NO_MEM means "no free enclave slot" — stop donating.
      const block = k.allocPages(DONATION);
      k.zero(block, DONATION);
      if (k.sbi(HostFid.MEMORY_EXTEND, [block, DONATION]) !== 0n) k.freePages(block, DONATION);
      r = k.sbi(fid, [paramPage]);
      if (r === BigInt(ReturnCode.NO_MEM)) this.donateOnNoMem = false;
    }
    if (r !== 0n) {
      k.freePages(paramPage, PAGE);
      if (!opts.placed) {
        k.freePages(region.paddr, region.size);
        if (kbuffer !== 0n) k.freePages(kbuffer, PAGE);
      }
      return Number(r);
    }
    const eid = Number(k.read64(cells + 40n, hart) & 0xffffffffn);
    this.enclaves.set(eid, { eid, region, paramPage, kbuffer, output: "", donated: [], placed: opts.placed !== undefined });
    return eid;
  }

  /**
   * SBI_RUN_ENCLAVE and the run loop until the enclave exits or fails (PGL §6.1). With `relay`, that
   * host region is handed over as the enclave's relay (Schrödinger) pages (PGL §4.7). The loop also
   * stops with RETURN_USER_MODE when the enclave hands its relay pages back: the caller may edit them
   * and continue with {@link rerun}.
   */
  run(eid: number, hart = 0, relay?: { pa: bigint; size: bigint }): RunOutcome {
    const e = this.enclaves.get(eid);
    if (e && relay) {
      this.k.write64(e.paramPage + RUN_PARAM, relay.pa, hart);
      this.k.write64(e.paramPage + RUN_PARAM + 8n, relay.size, hart);
    }
    return this.loop(eid, "run", [], hart, relay && e ? e.paramPage + RUN_PARAM : 0n);
  }

  /** {@link run} with relay pages, coming back at the first timer preemption (for tests that look in between). */
  runOneSliceWithRelay(eid: number, relay: { pa: bigint; size: bigint }, hart = 0): RunOutcome {
    const e = this.enclaves.get(eid)!;
    this.k.write64(e.paramPage + RUN_PARAM, relay.pa, hart);
    this.k.write64(e.paramPage + RUN_PARAM + 8n, relay.size, hart);
    return this.loop(eid, "run", [ReturnCode.TIMER_IRQ], hart, e.paramPage + RUN_PARAM);
  }

  /** Continue after RETURN_USER_MODE: the relay pages go back to the enclave (RESUME ocall 7). */
  rerun(eid: number, hart = 0): RunOutcome {
    const e = this.enclaves.get(eid);
    if (!e || !e.relayBack) throw new Error(`enclave ${eid} has not handed relay pages back`);
    const { pa, size } = e.relayBack;
    e.relayBack = undefined;
    const k = this.k;
    k.setTimer(k.time(hart) + this.timeSlice, hart);
    const r = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.OCALL, OCALL_RETURN_RELAY_PAGE, pa, size], hart);
    return this.serve(e, r, [], hart);
  }

  /**
   * Enter the enclave (RUN the first time, RESUME after a yield) and serve timer and ocalls until
   * it yields, exits or fails — how a host drives an agent enclave one command at a time.
   */
  runUntilYield(eid: number, first: boolean, hart = 0): RunOutcome {
    return this.loop(eid, first ? "run" : "resume", [ReturnCode.YIELD], hart);
  }

  /**
   * Start RUN of `eid` on `hart` without waiting (its run loop continues in {@link finishRun}); meanwhile
   * the host can act on other harts — e.g. stop or destroy the enclave from there (PGL §3.2).
   */
  startRun(eid: number, hart: number): void {
    const k = this.k;
    const e = this.enclaves.get(eid);
    if (e) e.inRunLoop = true;
    k.setTimer(k.time(hart) + this.timeSlice, hart);
    k.ports[hart].start("ecall", { 17: BigInt(HOST_EXTENSION), 16: BigInt(HostFid.RUN_ENCLAVE), 10: BigInt(eid), 11: 0n });
  }

  /** Wait for the RUN started by {@link startRun} and go on with the run loop (stopping at `stopAt`). */
  finishRun(eid: number, hart: number, stopAt: number[] = []): RunOutcome {
    const e = this.enclaves.get(eid);
    if (!e) throw new Error(`driver knows no enclave ${eid}`);
    const h = this.k.ports[hart].wait();
    return this.serve(e, hostResultOf(h.x(10), h.x(11)), stopAt, hart);
  }

  /** Enter the enclave (RUN or RESUME) and come back at the first timer preemption (or exit/ocall-free end). */
  runOneSlice(eid: number, first: boolean, hart = 0): RunOutcome {
    return this.loop(eid, first ? "run" : "resume", [ReturnCode.TIMER_IRQ, ReturnCode.YIELD], hart);
  }

  private loop(eid: number, start: "run" | "resume", stopAt: number[], hart: number, runParam = 0n): RunOutcome {
    const e = this.enclaves.get(eid);
    if (!e) throw new Error(`driver knows no enclave ${eid}`);
    const k = this.k;
    k.setTimer(k.time(hart) + this.timeSlice, hart);
    const r =
      start === "run"
        ? k.sbi(HostFid.RUN_ENCLAVE, [BigInt(eid), runParam], hart)
        : k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.TIMER_IRQ], hart);
    return this.serve(e, r, stopAt, hart);
  }

  /** The run loop from a monitor answer `r`: timer → resume, ocall → serve → resume, until exit/error/`stopAt`. */
  private serve(e: DriverEnclave, first: bigint, stopAt: number[], hart: number): RunOutcome {
    const k = this.k;
    const eid = e.eid;
    const out: RunOutcome = { code: 0n, retval: 0n, timerPreemptions: 0, ocalls: 0 };
    let r = first;
    for (;;) {
      if (stopAt.includes(Number(BigInt.asIntN(64, r)))) break;
      if (r === BigInt(ReturnCode.TIMER_IRQ) || r === BigInt(ReturnCode.YIELD)) {
        if (r === BigInt(ReturnCode.TIMER_IRQ)) out.timerPreemptions++;
        k.setTimer(k.time(hart) + this.timeSlice, hart);
        r = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.TIMER_IRQ], hart);
        continue;
      }
      if (r === BigInt(ReturnCode.OCALL)) {
        out.ocalls++;
        if (k.read64(e.paramPage + MAILBOX, hart) === OCALL_RETURN_RELAY_PAGE) {
          // the relay pages are the host's again: hand control to the user (PLenclave_run returns 1)
          e.relayBack = { pa: k.read64(e.paramPage + MAILBOX + 8n, hart), size: k.read64(e.paramPage + MAILBOX + 16n, hart) };
          r = BigInt(ReturnCode.RETURN_USER_MODE);
          break;
        }
        const extra = this.serveOcall(e, hart);
        k.setTimer(k.time(hart) + this.timeSlice, hart);
        r = k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.OCALL, ...extra], hart);
        continue;
      }
      break;
    }
    out.code = r;
    e.inRunLoop = false;
    if (r === 0n) {
      out.retval = k.read64(e.paramPage + MAILBOX + 32n, hart);
      this.release(e, hart);
    } else if (r === BigInt(ReturnCode.ERROR)) this.release(e, hart); // the monitor destroyed it
    return out;
  }

  /**
   * Fork an instance of shadow `shadowEid` and run it to completion (SBI_RUN_SHADOW_ENCLAVE, PGL §3.4):
   * the driver gives it a zeroed 2 MiB region (order 9, as Penglai's driver), a kbuffer and a mailbox.
   */
  fork(shadowEid: number, name = "", hart = 0, stopAt: number[] = []): RunOutcome & { eid: number } {
    const k = this.k;
    const size = 2n << 20n;
    const paddr = k.allocPages(size);
    const paramPage = k.allocPages(PAGE);
    const kbuffer = k.allocPages(PAGE);
    k.zero(paramPage, PAGE);
    k.zero(kbuffer, PAGE);
    const cells = paramPage + MAILBOX;
    const param = new Uint8Array(ShadowRunParam.SIZE);
    const v = new DataView(param.buffer);
    const set = (o: number, x: bigint): void => v.setBigUint64(o, x, true);
    set(ShadowRunParam.freePage, paddr);
    set(ShadowRunParam.size, size);
    set(ShadowRunParam.eidPtr, cells + 40n);
    set(ShadowRunParam.kbuffer, kbuffer);
    set(ShadowRunParam.kbufferSize, KBUFFER_SIZE);
    [ShadowRunParam.ecallArg0, ShadowRunParam.ecallArg1, ShadowRunParam.ecallArg2, ShadowRunParam.ecallArg3].forEach((o, i) =>
      set(o, cells + 8n * BigInt(i)),
    );
    set(ShadowRunParam.retval, cells + 32n);
    param.set(new TextEncoder().encode(name.slice(0, 15)), ShadowRunParam.name);
    k.writeBytes(paramPage, param);
    k.write64(cells + 40n, (1n << 32n) - 1n);
    k.setTimer(k.time(hart) + this.timeSlice, hart);
    const r = k.sbi(HostFid.RUN_SHADOW_ENCLAVE, [BigInt(shadowEid), paramPage], hart);
    const eid = Number(k.read64(cells + 40n, hart) & 0xffffffffn);
    const region = { paddr, size, entry: 0n, freeMem: 0n };
    if (r < 0n || eid === 0xffffffff) {
      k.freePages(paddr, size);
      k.freePages(paramPage, PAGE);
      k.freePages(kbuffer, PAGE);
      return { code: r, retval: 0n, timerPreemptions: 0, ocalls: 0, eid: -1 };
    }
    const e: DriverEnclave = { eid, region, paramPage, kbuffer, output: "", donated: [] };
    this.enclaves.set(eid, e);
    return { ...this.serve(e, r, stopAt, hart), eid };
  }

  /**
   * Serve the ocall named in the mailbox (PGL §2.3): print reads the kbuffer; sbrk/mmap get a
   * power-of-two block of at least the bytes the monitor asked for (mailbox arg1). Returns the
   * extra RESUME arguments (ocall id, block PA, block size).
   */
  private serveOcall(e: DriverEnclave, hart: number): bigint[] {
    const func = this.k.read64(e.paramPage + MAILBOX, hart);
    if (func === OCALL_SYS_WRITE) {
      const bytes = this.k.readBytes(e.kbuffer, PRINT_MAX, hart);
      const end = bytes.indexOf(0);
      e.output += new TextDecoder().decode(bytes.subarray(0, end < 0 ? PRINT_MAX - 1 : end));
      return [func];
    }
    if (func === OCALL_SBRK || func === OCALL_MMAP || func === OCALL_SHM_GET) {
      const want = this.k.read64(e.paramPage + MAILBOX + 16n, hart);
      if (want === 0n) return [func]; // sbrk(−): the monitor gave pages back, the host has nothing to allocate
      let size = PAGE;
      while (size < want) size <<= 1n;
      const pa = this.k.allocPages(size);
      e.donated.push({ pa, size });
      return [func, pa, size];
    }
    return [func];
  }

  /** SBI_ATTEST_ENCLAVE: the 328-byte report, or a negative code. */
  attest(eid: number, nonce: bigint): Uint8Array | number {
    const e = this.enclaves.get(eid);
    if (!e) throw new Error(`driver knows no enclave ${eid}`);
    const at = e.paramPage + 0x400n;
    const r = this.k.sbi(HostFid.ATTEST_ENCLAVE, [BigInt(eid), at, nonce]);
    if (r !== 0n) return Number(r);
    return this.k.readBytes(at, 328);
  }

  /** RESUME with the STOP reason: a stopped enclave becomes runnable again. */
  wake(eid: number): number {
    return Number(this.k.sbi(HostFid.RESUME_ENCLAVE, [BigInt(eid), ResumeReason.STOP]));
  }

  stop(eid: number): number {
    return Number(this.k.sbi(HostFid.STOP_ENCLAVE, [BigInt(eid)]));
  }

  destroy(eid: number): number {
    const r = Number(this.k.sbi(HostFid.DESTROY_ENCLAVE, [BigInt(eid)]));
    const e = this.enclaves.get(eid);
    if (r === 0 && e && !e.inRunLoop) this.release(e); // else its run loop sees the end and cleans up
    return r;
  }

  /** True iff the host can load every page of the block (an S-mode load each): the monitor holds none of them. */
  private hostOwns(b: { pa: bigint; size: bigint }, hart: number): boolean {
    try {
      for (let pa = b.pa; pa < b.pa + b.size; pa += PAGE) this.k.read64(pa, hart);
      return true;
    } catch (err) {
      if (!(err instanceof HostFault)) throw err;
      return false;
    }
  }

  /** Free the held-back blocks that are the host's again. */
  reclaim(hart = 0): void {
    for (let i = this.heldBack.length - 1; i >= 0; i--) {
      const b = this.heldBack[i];
      if (!this.hostOwns(b, hart)) continue;
      this.heldBack.splice(i, 1);
      this.k.freePages(b.pa, b.size);
    }
  }

  private release(e: DriverEnclave, hart = 0): void {
    this.finished.set(e.eid, e.output);
    for (const b of e.donated)
      if (this.hostOwns(b, hart)) this.k.freePages(b.pa, b.size);
      else this.heldBack.push(b);
    this.k.freePages(e.paramPage, PAGE);
    if (!e.placed) {
      this.k.freePages(e.region.paddr, e.region.size);
      if (e.kbuffer !== 0n) this.k.freePages(e.kbuffer, PAGE);
    }
    this.enclaves.delete(e.eid);
  }
}
