/**
 * The RV64 machine: RAM at 0x8000_0000, a CLINT at 0x0200_0000 (QEMU `spike` layout, riscv.md §2),
 * N harts, and a deterministic, seedable interleaving: every scheduling decision comes from a
 * xorshift PRNG seeded by `seed`, and time (mtime) advances with instructions executed, so a run
 * replays exactly from its seed.
 */
import { Hart, type FirmwareHandler, type HartContext, type Tracer } from "./hart.ts";
import { PhysicalMemory, PAGE_HAS_CODE, PAGE_RESERVED, RAM_BASE } from "./memory.ts";
import { Clint } from "./clint.ts";
import { ENTRY_STRIDE } from "./decode.ts";

export interface MachineOptions {
  /** Number of harts (default 2). */
  harts?: number;
  /** RAM size in bytes (default 128 MiB). */
  ramSize?: number;
  /** Seed of the hart interleaving (default 1). */
  seed?: number;
  /** Longest run of one hart before the scheduler picks again (default 256 instructions). */
  quantum?: number;
  /** Instructions per mtime tick (default 100, as Spike). */
  instructionsPerTick?: number;
}

export class Machine {
  readonly mem: PhysicalMemory;
  readonly clint: Clint;
  readonly harts: Hart[];
  readonly quantum: number;
  private readonly ctx: HartContext;
  private rng: number;
  private stopRequested = false;
  /** Total instructions attempted by all harts. */
  instructions = 0;

  constructor(opts: MachineOptions = {}) {
    const n = opts.harts ?? 2;
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`harts must be 1..64, got ${n}`);
    const seed = opts.seed ?? 1;
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.quantum = opts.quantum ?? 256;
    if (!Number.isInteger(this.quantum) || this.quantum < 1) throw new RangeError(`quantum must be ≥ 1`);
    const ipt = opts.instructionsPerTick ?? 100;
    this.mem = new PhysicalMemory(opts.ramSize ?? 128 << 20);
    this.clint = new Clint(n, ipt);
    this.ctx = {
      mem: this.mem,
      clint: this.clint,
      decoded: new Array<Int32Array | undefined>(this.mem.size / 4096),
      reservations: new Int32Array(n).fill(-1),
    };
    this.harts = Array.from({ length: n }, (_, i) => new Hart(i, this.ctx));
    this.rng = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.mem.codeWritten = (o, len) => this.invalidateCode(o, len);
    this.mem.reservedWritten = (o, len, hartId) => this.breakReservations(o, len, hartId);
  }

  /** Reset every hart as QEMU's spike machine with `-bios none`: pc = entry, M-mode, a0 = mhartid, a1 = 0. */
  reset(entry: bigint): void {
    for (const h of this.harts) {
      h.setPc(entry);
      h.setPriv(3);
      h.setX(10, BigInt(h.id));
      h.setX(11, 0n);
      h.waiting = false;
    }
  }

  /** Register TypeScript firmware owning M-mode on every hart (null: plain M-mode guest code). */
  setFirmware(handler: FirmwareHandler | null): void {
    for (const h of this.harts) h.firmware = handler;
  }

  /** Trace every instruction (slow; null to stop tracing). */
  setTracer(fn: Tracer | null): void {
    for (const h of this.harts) h.setTracer(fn);
  }

  /** Ask `run` to return at the next scheduling point (callable from callbacks and firmware). */
  stop(): void {
    this.stopRequested = true;
    for (const h of this.harts) h.yieldSlice();
  }

  /**
   * Run the harts, interleaved deterministically, until `maxInstructions` have been attempted,
   * `stop()` is called, or every hart waits in WFI with no timer armed. Returns the instructions
   * attempted.
   */
  run(maxInstructions: number): number {
    this.stopRequested = false;
    let done = 0;
    const harts = this.harts;
    while (done < maxInstructions && !this.stopRequested) {
      const h = harts.length === 1 ? harts[0] : harts[this.next() % harts.length];
      let slice = harts.length === 1 ? this.quantum * 64 : 1 + (this.next() % this.quantum);
      slice = Math.min(slice, maxInstructions - done, this.untilTimerEvent());
      const n = h.run(Math.max(1, slice));
      if (n === 0 && this.allWaiting()) {
        // Everyone sleeps in WFI: jump time forward to the next timer event, or give up.
        const t = this.untilTimerEvent();
        if (!Number.isFinite(t)) break;
        this.clint.ticks += t;
        continue;
      }
      done += n;
      this.clint.ticks += n;
    }
    this.instructions += done;
    return done;
  }

  /** Every hart sleeps in WFI and none has a locally enabled interrupt pending to wake it. */
  private allWaiting(): boolean {
    for (const h of this.harts) if (!h.waiting || (h.mipValue() & h.mie) !== 0) return false;
    return true;
  }

  /** Ticks until the next hart's MTIP rises (at least 1; Infinity if none is armed). */
  private untilTimerEvent(): number {
    let t = Infinity;
    for (let i = 0; i < this.harts.length; i++) {
      const u = this.clint.ticksUntilTimer(i);
      if (u > 0 && u < t) t = u;
    }
    return t;
  }

  private next(): number {
    // xorshift32
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  /** A store hit a page holding decoded instructions: forget the slots covering the bytes. */
  private invalidateCode(o: number, len: number): void {
    const first = Math.max(0, o - 2);
    const last = o + len - 1;
    for (let p = first >>> 12; p <= last >>> 12; p++) {
      const dp = this.ctx.decoded[p];
      if (dp === undefined) continue;
      const from = Math.max(first, p * 4096);
      const to = Math.min(last, p * 4096 + 4095);
      for (let s = (from & 0xfff) >>> 1; s <= (to & 0xfff) >>> 1; s++) dp[s * ENTRY_STRIDE] = 0;
    }
  }

  /** A store by `hartId` touched a reserved page: other harts' overlapping reservations break. */
  private breakReservations(o: number, len: number, hartId: number): void {
    const r = this.ctx.reservations;
    let live = false;
    for (let i = 0; i < r.length; i++) {
      if (r[i] < 0) continue;
      if (i !== hartId && o < (r[i] & ~7) + 8 && o + len > (r[i] & ~7)) r[i] = -1;
      else live = true;
    }
    if (!live) for (let p = o >>> 12; p <= (o + len - 1) >>> 12; p++) this.mem.pageFlags[p] &= ~PAGE_RESERVED;
  }
}
