/**
 * A port into one S-mode hart: the TypeScript host kernel runs a routine of the stub page on the
 * hart (real instructions, translated and PMP-checked) and gets the registers back once the hart
 * rings its doorbell. While it waits, the whole machine runs — other harts included.
 */
import type { Machine } from "../riscv/machine.ts";
import type { Hart } from "../riscv/hart.ts";
import { CSR, PRIV_S } from "../riscv/csrNumbers.ts";
import { ROUTINE_OFFSET, TRAP_VECTOR_OFFSET, type Routine } from "./hostStubs.ts";

/**
 * The routine faulted in S-mode (scause/stval as the hart recorded them). An expected outcome (every
 * isolation probe ends in one), so it carries no JavaScript stack: capturing one cost more than the probe.
 */
export class HostFault extends Error {
  constructor(
    readonly scause: bigint,
    readonly stval: bigint,
    readonly routine: Routine,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`host routine ${routine} faulted: scause ${scause}, stval 0x${stval.toString(16)}`);
    Error.stackTraceLimit = limit;
    this.name = "HostFault";
  }
}

/** The machine ran out of budget before the routine finished (a hung guest or a lost doorbell). */
export class HostHang extends Error {
  constructor(routine: Routine) {
    super(`host routine ${routine} did not finish within its instruction budget`);
    this.name = "HostHang";
  }
}

export interface PortOptions {
  /** VA (= PA, identity-mapped) of the stub page. */
  stubs: bigint;
  /** VA (= PA) of this hart's 16-byte doorbell. */
  doorbell: bigint;
  /** Instruction budget for one routine (default 200 million, all harts together). */
  budget?: number;
}

export class SModePort {
  readonly hart: Hart;
  private rang: "done" | "trap" | null = null;
  private running: Routine | null = null;
  private readonly budget: number;

  constructor(
    readonly machine: Machine,
    hartId: number,
    private readonly opts: PortOptions,
  ) {
    this.hart = machine.harts[hartId];
    this.budget = opts.budget ?? 200_000_000;
    machine.mem.onWrite(opts.doorbell, 8, () => this.ring("done"));
    machine.mem.onWrite(opts.doorbell + 8n, 8, () => this.ring("trap"));
  }

  private ring(kind: "done" | "trap"): void {
    if (this.running === null) return;
    this.rang = kind;
    this.machine.stop();
  }

  /** The S-mode trap vector to install in stvec. */
  get trapVector(): bigint {
    return (this.vector ??= this.opts.stubs + BigInt(TRAP_VECTOR_OFFSET));
  }
  private vector: bigint | undefined;
  /** Entry VA of each routine (computed once: a port starts hundreds of routines a step). */
  private readonly entries = new Map<Routine, bigint>();

  /**
   * Start `routine` without waiting (see {@link wait}), its registers given by number or set by a
   * function of the hart (bulk data, {@link Hart.setXHalves}).
   */
  start(routine: Routine, regs: Record<number, bigint> | ((h: Hart) => void) = {}, from = 0): void {
    if (this.running !== null) throw new Error(`hart ${this.hart.id} is still running ${this.running}`);
    const h = this.hart;
    if (h.priv !== PRIV_S) throw new Error(`hart ${h.id} is not in S-mode (priv ${h.priv})`);
    if (typeof regs === "function") regs(h);
    else for (let r = 1; r < 32; r++) if (regs[r] !== undefined) h.setX(r, regs[r]!); // (no string keys: for-in cost more)
    h.setX(31, this.opts.doorbell);
    h.csrWrite(CSR.stvec, this.trapVector);
    let entry = this.entries.get(routine);
    if (entry === undefined) this.entries.set(routine, (entry = this.opts.stubs + BigInt(ROUTINE_OFFSET[routine])));
    h.pc = from === 0 ? entry : entry + BigInt(4 * from); // `from`: the routine's instruction to begin with
    h.waiting = false;
    this.rang = null;
    this.running = routine;
  }

  /** A routine was started and not yet collected by {@link wait}. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Has the started routine rung its doorbell? */
  get finished(): boolean {
    return this.rang !== null;
  }

  /** Run the machine until the started routine finishes; returns the hart (read its registers). */
  wait(): Hart {
    const routine = this.running;
    const rang = this.settle();
    if (rang === "trap") throw new HostFault(this.hart.csrRead(CSR.scause), this.hart.csrRead(CSR.stval), routine!);
    return this.hart;
  }

  /**
   * Run the machine until the started routine rings: "done", or "trap" when it faulted (scause and
   * stval on the hart) — no exception for an expected fault. Throws HostHang if it never rings.
   */
  settle(): "done" | "trap" {
    const routine = this.running;
    if (routine === null) throw new Error("no routine started");
    let left = this.budget;
    while (this.rang === null && left > 0) {
      const n = this.machine.run(Math.min(left, 1_000_000));
      left -= n;
      if (n === 0 && this.rang === null) break; // every hart asleep: nothing can ring
    }
    const rang = this.rang;
    this.running = null;
    if (rang === null) throw new HostHang(routine);
    return rang;
  }

  /** Run `routine` to completion and return a0. */
  exec(routine: Routine, regs: Record<number, bigint> | ((h: Hart) => void) = {}, from = 0): bigint {
    this.start(routine, regs, from);
    return this.wait().x(10);
  }
}
