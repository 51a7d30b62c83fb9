/**
 * One RV64IMAC hart: architectural state, the CSR-backed privileged state and the instruction loop.
 *
 * Registers are pairs of Int32 halves (x[2i] low, x[2i+1] high) so the hot loop needs no BigInt;
 * decoded instructions come from the decode cache keyed by physical page; loads, stores and
 * fetches try the TLB first and fall back to `mmu.ts`. Every guest misbehaviour becomes an
 * architectural trap: nothing here throws because of guest code.
 */
import { Op, OP_ILLEGAL } from "./opcodes.ts";
import { decodeInto, ENTRY_STRIDE, SLOTS_PER_PAGE } from "./decode.ts";
import { mul64, mulDiv, shl, shr } from "./alu.ts";
import { ACC_R, ACC_W, ACC_X, Tlb } from "./tlb.ts";
import { fetchAccess } from "./mmu.ts";
import { csrRead, csrWrite } from "./csr.ts";
import { pendingInterrupt, takeTrap } from "./trap.ts";
import { loadSlow, storeSlow } from "./dataSlowPath.ts";
import { execRare, RARE_JUMPED, RARE_NEXT, RARE_TRAPPED } from "./system.ts";
import { highHalf, lowHalf, vaOf } from "./regPair.ts";
import { CBOZ_BLOCK, cboZeroEnabled, zeroBlock } from "./zicboz.ts";
import { Pmp } from "./pmp.ts";
import { CLINT_BASE, type Clint } from "./clint.ts";
import { PAGE_HAS_CODE, PAGE_RESERVED, type PhysicalMemory } from "./memory.ts";
import {
  Cause,
  MIP_MSIP,
  MIP_MEIP,
  MIP_MTIP,
  MS_MPP,
  MS_MPP_SHIFT,
  MS_MPRV,
  MS_MXR,
  MS_SUM,
  MS_TSR,
  MS_TVM,
  MS_TW,
  PRIV_M,
  PRIV_S,
  PRIV_U,
} from "./csrNumbers.ts";

/** Firmware that owns M-mode: called after every trap into M; the hart then executes MRET. */
export type FirmwareHandler = (hart: Hart) => void;
/** Per-instruction trace callback. */
export type Tracer = (hartId: number, pc: bigint, insn: number, priv: number) => void;

/** Shared by all harts of a machine. */
export interface HartContext {
  readonly mem: PhysicalMemory;
  readonly clint: Clint;
  /** Decoded-instruction arrays per RAM page (the decode cache). */
  readonly decoded: (Int32Array | undefined)[];
  /** LR reservations per hart: RAM offset of the reserved doubleword or -1. */
  readonly reservations: Int32Array;
}

const U64 = (1n << 64n) - 1n;
/** fpLo value that matches no page (lo >>> 12 is never negative). */
const NO_PAGE = -1;

export class Hart {
  /** x[2i] = low 32 bits, x[2i+1] = high 32 bits; slots 64/65 are the x0 write sink. */
  readonly regs = new Int32Array(66);
  pcLo = 0;
  pcHi = 0;
  priv = PRIV_M;
  /** mstatus[31:0]; the upper half is constant (UXL = SXL = 2). */
  mstatus = 0;
  /** Effective privilege of loads/stores (MPRV, §6.6). */
  dataPriv = PRIV_M;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  /** Software-writable mip bits (SSIP, STIP, SEIP); the CLINT drives MSIP/MTIP. */
  mip = 0;
  mtvec = 0n;
  stvec = 0n;
  mepc = 0n;
  sepc = 0n;
  mcause = 0n;
  scause = 0n;
  mtval = 0n;
  stval = 0n;
  mscratch = 0n;
  sscratch = 0n;
  satp = 0n;
  satpMode = 0;
  satpPpn = 0;
  mcounteren = 0;
  scounteren = 0;
  menvcfg = 0n;
  senvcfg = 0n;
  mcountinhibit = 0;
  readonly pmp = new Pmp();
  readonly tlb = new Tlb();
  firmware: FirmwareHandler | null = null;
  /** Per-instruction trace callback (set with {@link setTracer}). */
  tracer: Tracer | null = null;
  /** Level of the machine external interrupt line (MEIP); no PLIC, so the platform/firmware drives it. */
  externalInterrupt = false;
  /** WFI: stalled until mip & mie ≠ 0. */
  waiting = false;
  /** Physical address of the last MMIO access found by the slow path. */
  mmioPa = 0;

  /** Instructions attempted (retired or trapped) in finished slices, and exceptions taken. */
  private steps = 0;
  private exceptions = 0;
  /** Instructions completed so far in the running slice (for counter reads mid-slice). */
  private inSlice = 0;
  private cycleBase = 0n;
  private instretBase = 0n;
  private frozenCycle = 0n;
  private frozenInstret = 0n;
  /** The running slice ends when the instruction count reaches this (cut to 0 to stop early). */
  private limit = 0;

  /** TLB set bases for the current privilege / effective data privilege. */
  private rBase = 0;
  private wBase = 0;
  private xBase = 0;
  /** Current fetch page: VA page key parts and its decoded-instruction array. */
  private fpLo = NO_PAGE;
  private fpHi = 0;
  private fdp: Int32Array = new Int32Array(0);
  /** RAM offset of the page `fdp` decodes. */
  private fpOff = 0;
  private readonly scratch = new Int32Array(ENTRY_STRIDE);

  readonly mem: PhysicalMemory;
  readonly clint: Clint;

  constructor(
    readonly id: number,
    private readonly ctx: HartContext,
  ) {
    this.mem = ctx.mem;
    this.clint = ctx.clint;
    this.setPriv(PRIV_M);
    // Run the loop's exit path once in the interpreter so V8 has type feedback for it before the
    // hot loop is compiled on-stack; without it every slice's exit deoptimises the loop (a deopt loop).
    this.run(0);
  }

  // ---- firmware-facing API (bigint values) -------------------------------------------------

  /** Program counter. */
  get pc(): bigint {
    return this.pcBig();
  }
  set pc(v: bigint) {
    this.setPc(v);
  }
  /** Read integer register i (0–31) as an unsigned 64-bit value. */
  x(i: number): bigint {
    return vaOf(this.regs[2 * i]!, this.regs[2 * i + 1]!);
  }
  /** Write integer register i (writes to x0 are ignored). */
  setX(i: number, v: bigint): void {
    if (i === 0) return;
    this.regs[2 * i] = lowHalf(v);
    this.regs[2 * i + 1] = highHalf(v);
  }
  /** x[i] ← hi · 2^32 + lo, from its two 32-bit halves (no BigInt: firmware moving bulk data). */
  setXHalves(i: number, lo: number, hi: number): void {
    if (i === 0) return;
    this.regs[2 * i] = lo | 0;
    this.regs[2 * i + 1] = hi | 0;
  }
  /** Raw CSR read with M-level rights; throws on a CSR that does not exist (a firmware bug). */
  csrRead(addr: number): bigint {
    const v = csrRead(this, addr);
    if (v === undefined) throw new RangeError(`CSR 0x${addr.toString(16)} does not exist`);
    return v;
  }
  /** Raw CSR write with M-level rights (WARL rules and side effects apply). */
  csrWrite(addr: number, v: bigint): void {
    if (csrRead(this, addr) === undefined) throw new RangeError(`CSR 0x${addr.toString(16)} does not exist`);
    csrWrite(this, addr, v);
  }
  /** Trace every instruction of this hart (null: stop). */
  setTracer(fn: Tracer | null): void {
    this.tracer = fn;
    this.fpLo = NO_PAGE;
  }

  /** Ask the running slice to end after the current instruction (firmware: reschedule / stop). */
  yieldSlice(): void {
    this.limit = 0;
  }

  // ---- state helpers used by csr.ts / trap.ts / mmu.ts ------------------------------------

  pcBig(): bigint {
    return vaOf(this.pcLo, this.pcHi);
  }
  setPc(v: bigint): void {
    this.pcLo = lowHalf(v);
    this.pcHi = highHalf(v);
  }
  setPriv(p: number): void {
    this.priv = p;
    this.updateDataPriv();
    this.xBase = Tlb.base(ACC_X, p);
    this.fpLo = NO_PAGE;
  }
  setMstatus(v: number): void {
    const changed = this.mstatus ^ v;
    this.mstatus = v;
    if (changed & (MS_SUM | MS_MXR)) this.flushTranslations();
    if (changed & (MS_MPRV | MS_MPP)) this.updateDataPriv();
  }
  private updateDataPriv(): void {
    this.dataPriv = this.priv === PRIV_M && this.mstatus & MS_MPRV ? (this.mstatus & MS_MPP) >>> MS_MPP_SHIFT : this.priv;
    this.rBase = Tlb.base(ACC_R, this.dataPriv);
    this.wBase = Tlb.base(ACC_W, this.dataPriv);
  }
  /** satp: only Bare (0) and Sv39 (8) are supported; another MODE makes the whole write void. */
  writeSatp(v: bigint): void {
    const mode = Number(v >> 60n);
    if (mode !== 0 && mode !== 8) return;
    // ASIDLEN = 0: the ASID field reads as zero
    this.satp = v & ~(0xffffn << 44n);
    this.satpMode = mode;
    this.satpPpn = Number(v & ((1n << 44n) - 1n));
    this.flushTranslations();
  }
  /** Drop every cached translation and the current fetch page. */
  flushTranslations(): void {
    this.tlb.flush();
    this.fpLo = NO_PAGE;
  }
  mipValue(): number {
    let v = this.mip;
    if (this.clint.msip[this.id]) v |= MIP_MSIP;
    if (this.clint.mtip(this.id)) v |= MIP_MTIP;
    if (this.externalInterrupt) v |= MIP_MEIP;
    return v;
  }
  readCycle(): bigint {
    if (this.mcountinhibit & 1) return this.frozenCycle;
    return (this.cycleBase + BigInt(this.steps + this.inSlice)) & U64;
  }
  readInstret(): bigint {
    if (this.mcountinhibit & 4) return this.frozenInstret;
    return (this.instretBase + BigInt(this.steps + this.inSlice - this.exceptions)) & U64;
  }
  /** Write mcycle; `retiring` = 1 when the writing instruction itself is still to be counted. */
  writeCycle(v: bigint, retiring = 0): void {
    if (this.mcountinhibit & 1) this.frozenCycle = v;
    else this.cycleBase = v - BigInt(this.steps + this.inSlice + retiring);
  }
  /** Write minstret: the next read sees `v` (the writing instruction's own retirement is not counted). */
  writeInstret(v: bigint, retiring = 0): void {
    if (this.mcountinhibit & 4) this.frozenInstret = v;
    else this.instretBase = v - BigInt(this.steps + this.inSlice + retiring - this.exceptions);
  }
  setCountInhibit(v: number): void {
    const cy = this.readCycle(),
      ir = this.readInstret();
    this.mcountinhibit = v;
    this.frozenCycle = cy;
    this.frozenInstret = ir;
    this.writeCycle(cy);
    this.writeInstret(ir);
  }

  /** Raise synchronous exception `cause` for the instruction at pc. */
  raise(cause: number, tval: bigint): void {
    this.exceptions++;
    takeTrap(this, cause, tval, false);
    if (this.firmware) this.limit = 0; // firmware may have changed anything: let the machine look
  }

  /** This hart's LR reservation (RAM offset) or -1. */
  reservation(): number {
    return this.ctx.reservations[this.id];
  }
  /** Set (RAM offset ≥ 0) or drop (negative) this hart's LR reservation. */
  reserve(o: number): void {
    this.ctx.reservations[this.id] = o < 0 ? -1 : o;
    if (o >= 0) this.mem.pageFlags[o >>> 12] |= PAGE_RESERVED;
  }

  /** Take a pending enabled interrupt now, if any (called between instructions). */
  checkInterrupts(): boolean {
    const irq = pendingInterrupt(this);
    if (irq < 0) return false;
    takeTrap(this, irq, 0n, true);
    return true;
  }

  // ---- the instruction loop ----------------------------------------------------------------

  /**
   * Run up to `budget` instructions (fewer if the hart waits in WFI or the slice is cut).
   * Returns the number of instructions attempted.
   */
  run(budget: number): number {
    if (this.waiting) {
      if ((this.mipValue() & this.mie) === 0) return 0;
      this.waiting = false;
    }
    this.checkInterrupts();
    this.limit = budget;
    let limit = budget;
    const x = this.regs;
    const view = this.mem.view;
    const i32 = this.mem.words;
    const flags = this.mem.pageFlags;
    const tag = this.tlb.tag;
    const toff = this.tlb.off;
    // pc and the current fetch page live in locals; every out-of-line call first publishes the pc
    // (traps read it) and afterwards reloads what it may have changed.
    let pcLo = this.pcLo;
    let pcHi = this.pcHi;
    let fpLo = this.fpLo;
    let fpHi = this.fpHi;
    let fdp = this.fdp;
    let n = 0;
    while (n < limit) {
      n++;
      const lo = pcLo;
      const hi = pcHi;
      let dp = fdp;
      let e = (lo & 0xfff) << 1; // halfword slot × ENTRY_STRIDE
      if (lo >>> 12 !== fpLo || hi !== fpHi) {
        this.pcLo = lo;
        this.pcHi = hi;
        e = this.fetchSlow(lo, hi);
        if (e < 0) {
          pcLo = this.pcLo;
          pcHi = this.pcHi;
          fpLo = this.fpLo;
          fpHi = this.fpHi;
          fdp = this.fdp;
          limit = this.limit;
          continue;
        }
        fpLo = this.fpLo;
        fpHi = this.fpHi;
        fdp = dp = this.fdp;
      }
      let op = dp[e];
      if (op === 0) {
        this.inSlice = n - 1;
        this.pcLo = lo;
        this.pcHi = hi;
        op = this.decodeSlot(dp, e, lo, hi);
        fpLo = this.fpLo;
        if (op < 0) {
          pcLo = this.pcLo;
          pcHi = this.pcHi;
          fpLo = this.fpLo;
          fpHi = this.fpHi;
          fdp = this.fdp;
          limit = this.limit;
          continue;
        }
        if (op !== dp[e]) {
          dp = this.scratch;
          e = 0;
        }
      }
      const regs = dp[e + 1];
      const d = regs & 0xff;
      const a = (regs >>> 8) & 0xff;
      const b = (regs >>> 16) & 0xff;
      const imm = dp[e + 2];
      let npcLo = (lo + (regs >>> 24)) | 0;
      let npcHi = npcLo >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
      switch (op) {
        case 1 /* LUI */:
          x[d] = imm;
          x[d + 1] = imm >> 31;
          break;
        case 2 /* AUIPC */: {
          const r = (lo + imm) | 0;
          x[d + 1] = (hi + (imm >> 31) + (r >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          x[d] = r;
          break;
        }
        case 3 /* JAL */: {
          const tl = (lo + imm) | 0;
          const th = (hi + (imm >> 31) + (tl >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          x[d] = npcLo;
          x[d + 1] = npcHi;
          npcLo = tl;
          npcHi = th;
          break;
        }
        case 4 /* JALR */: {
          const al = x[a];
          const tl = (al + imm) & ~1;
          const th = (x[a + 1] + (imm >> 31) + (((al + imm) | 0) >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          x[d] = npcLo;
          x[d + 1] = npcHi;
          npcLo = tl;
          npcHi = th;
          break;
        }
        case 5 /* BEQ */:
          if (x[a] === x[b] && x[a + 1] === x[b + 1]) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 6 /* BNE */:
          if (x[a] !== x[b] || x[a + 1] !== x[b + 1]) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 7 /* BLT */:
          if (x[a + 1] < x[b + 1] || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0)) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 8 /* BGE */:
          if (!(x[a + 1] < x[b + 1] || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0))) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 9 /* BLTU */:
          if (x[a + 1] >>> 0 < x[b + 1] >>> 0 || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0)) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 10 /* BGEU */:
          if (!(x[a + 1] >>> 0 < x[b + 1] >>> 0 || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0))) {
            npcLo = (lo + imm) | 0;
            npcHi = (hi + (imm >> 31) + (npcLo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
          }
          break;
        case 11 /* LB */:
        case 12 /* LH */:
        case 13 /* LW */:
        case 15 /* LBU */:
        case 16 /* LHU */:
        case 17 /* LWU */: {
          const al = x[a];
          const vl = (al + imm) | 0;
          const vh = (x[a + 1] + (imm >> 31) + (vl >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          const size = LOAD_SIZE[op];
          let o = -1;
          if ((vl & 0xfff) + size <= 4096) {
            const i = this.rBase + ((vl >>> 12) & 255);
            if (tag[i] === vh * 1048576 + (vl >>> 12)) o = toff[i] + (vl & 0xfff);
          }
          if (o < 0) {
            this.pcLo = lo;
            this.pcHi = hi;
            if (!loadSlow(this, LOAD_SIZE[op], LOAD_SIGNED[op] === 1, vl, vh, d)) {
              pcLo = this.pcLo;
              pcHi = this.pcHi;
              fpLo = this.fpLo;
              fpHi = this.fpHi;
              fdp = this.fdp;
              limit = this.limit;
              continue;
            }
            break;
          }
          let v: number;
          if (op === 13 /* LW */) v = view.getInt32(o, true);
          else if (op === 17 /* LWU */) v = view.getUint32(o, true);
          else if (op === 11 /* LB */) v = view.getInt8(o);
          else if (op === 15 /* LBU */) v = view.getUint8(o);
          else if (op === 12 /* LH */) v = view.getInt16(o, true);
          else v = view.getUint16(o, true);
          x[d] = v | 0;
          x[d + 1] = op === 17 /* LWU */ ? 0 : v < 0 ? -1 : 0;
          break;
        }
        case 14 /* LD */: {
          const al = x[a];
          const vl = (al + imm) | 0;
          const vh = (x[a + 1] + (imm >> 31) + (vl >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          let o = -1;
          if ((vl & 0xfff) <= 4088) {
            const i = this.rBase + ((vl >>> 12) & 255);
            if (tag[i] === vh * 1048576 + (vl >>> 12)) o = toff[i] + (vl & 0xfff);
          }
          if (o < 0) {
            this.pcLo = lo;
            this.pcHi = hi;
            if (!loadSlow(this, LOAD_SIZE[op], LOAD_SIGNED[op] === 1, vl, vh, d)) {
              pcLo = this.pcLo;
              pcHi = this.pcHi;
              fpLo = this.fpLo;
              fpHi = this.fpHi;
              fdp = this.fdp;
              limit = this.limit;
              continue;
            }
            break;
          }
          if ((o & 3) === 0) {
            x[d] = i32[o >> 2];
            x[d + 1] = i32[(o >> 2) + 1];
          } else {
            x[d] = view.getInt32(o, true);
            x[d + 1] = view.getInt32(o + 4, true);
          }
          break;
        }
        case 18 /* SB */:
        case 19 /* SH */:
        case 20 /* SW */:
        case 21 /* SD */: {
          const al = x[a];
          const vl = (al + imm) | 0;
          const vh = (x[a + 1] + (imm >> 31) + (vl >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          const size = STORE_SIZE[op];
          let o = -1;
          if ((vl & 0xfff) + size <= 4096) {
            const i = this.wBase + ((vl >>> 12) & 255);
            if (tag[i] === vh * 1048576 + (vl >>> 12)) o = toff[i] + (vl & 0xfff);
          }
          if (o < 0) {
            this.pcLo = lo;
            this.pcHi = hi;
            const ok = storeSlow(this, size, vl, vh, b);
            limit = this.limit; // a CLINT store ends the slice
            if (!ok) {
              pcLo = this.pcLo;
              pcHi = this.pcHi;
              fpLo = this.fpLo;
              fpHi = this.fpHi;
              fdp = this.fdp;
              limit = this.limit;
              continue;
            }
            break;
          }
          if (size === 8) {
            if ((o & 3) === 0) {
              i32[o >> 2] = x[b];
              i32[(o >> 2) + 1] = x[b + 1];
            } else {
              view.setInt32(o, x[b], true);
              view.setInt32(o + 4, x[b + 1], true);
            }
          } else if (size === 4) view.setInt32(o, x[b], true);
          else if (size === 1) view.setInt8(o, x[b]);
          else view.setInt16(o, x[b], true);
          if (flags[o >>> 12] !== 0 || flags[(o + size - 1) >>> 12] !== 0) {
            this.mem.storeSideEffects(o, size, this.id);
            limit = this.limit; // a watcher may have stopped the machine
          }
          break;
        }
        case 22 /* ADDI */: {
          const al = x[a];
          const r = (al + imm) | 0;
          x[d + 1] = (x[a + 1] + (imm >> 31) + (r >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          x[d] = r;
          break;
        }
        case 23 /* SLTI */: {
          const ih = imm >> 31;
          x[d] = x[a + 1] < ih || (x[a + 1] === ih && x[a] >>> 0 < imm >>> 0) ? 1 : 0;
          x[d + 1] = 0;
          break;
        }
        case 24 /* SLTIU */: {
          const ih = imm >> 31;
          x[d] = x[a + 1] >>> 0 < ih >>> 0 || (x[a + 1] === ih && x[a] >>> 0 < imm >>> 0) ? 1 : 0;
          x[d + 1] = 0;
          break;
        }
        case 25 /* XORI */:
          x[d + 1] = x[a + 1] ^ (imm >> 31);
          x[d] = x[a] ^ imm;
          break;
        case 26 /* ORI */:
          x[d + 1] = x[a + 1] | (imm >> 31);
          x[d] = x[a] | imm;
          break;
        case 27 /* ANDI */:
          x[d + 1] = x[a + 1] & (imm >> 31);
          x[d] = x[a] & imm;
          break;
        case 28 /* SLLI */:
          shl(x, d, x[a], x[a + 1], imm);
          break;
        case 29 /* SRLI */:
          shr(x, d, x[a], x[a + 1], imm, false);
          break;
        case 30 /* SRAI */:
          shr(x, d, x[a], x[a + 1], imm, true);
          break;
        case 31 /* ADD */: {
          const al = x[a];
          const r = (al + x[b]) | 0;
          x[d + 1] = (x[a + 1] + x[b + 1] + (r >>> 0 < al >>> 0 ? 1 : 0)) | 0;
          x[d] = r;
          break;
        }
        case 32 /* SUB */: {
          const al = x[a],
            bl = x[b];
          x[d + 1] = (x[a + 1] - x[b + 1] - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
          x[d] = (al - bl) | 0;
          break;
        }
        case 33 /* SLL */:
          shl(x, d, x[a], x[a + 1], x[b] & 63);
          break;
        case 34 /* SLT */:
          x[d] = x[a + 1] < x[b + 1] || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0) ? 1 : 0;
          x[d + 1] = 0;
          break;
        case 35 /* SLTU */:
          x[d] = x[a + 1] >>> 0 < x[b + 1] >>> 0 || (x[a + 1] === x[b + 1] && x[a] >>> 0 < x[b] >>> 0) ? 1 : 0;
          x[d + 1] = 0;
          break;
        case 36 /* XOR */:
          x[d] = x[a] ^ x[b];
          x[d + 1] = x[a + 1] ^ x[b + 1];
          break;
        case 37 /* SRL */:
          shr(x, d, x[a], x[a + 1], x[b] & 63, false);
          break;
        case 38 /* SRA */:
          shr(x, d, x[a], x[a + 1], x[b] & 63, true);
          break;
        case 39 /* OR */:
          x[d] = x[a] | x[b];
          x[d + 1] = x[a + 1] | x[b + 1];
          break;
        case 40 /* AND */:
          x[d] = x[a] & x[b];
          x[d + 1] = x[a + 1] & x[b + 1];
          break;
        case 41 /* ADDIW */: {
          const r = (x[a] + imm) | 0;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 42 /* SLLIW */: {
          const r = x[a] << imm;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 43 /* SRLIW */: {
          const r = (x[a] >>> imm) | 0;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 44 /* SRAIW */: {
          const r = x[a] >> imm;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 45 /* ADDW */: {
          const r = (x[a] + x[b]) | 0;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 46 /* SUBW */: {
          const r = (x[a] - x[b]) | 0;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 47 /* SLLW */: {
          const r = x[a] << (x[b] & 31);
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 48 /* SRLW */: {
          const r = (x[a] >>> (x[b] & 31)) | 0;
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 49 /* SRAW */: {
          const r = x[a] >> (x[b] & 31);
          x[d] = r;
          x[d + 1] = r >> 31;
          break;
        }
        case 50 /* FENCE */:
          break;
        case 51 /* FENCE_I */:
          this.fpLo = NO_PAGE; // decoded code is kept coherent on every store; refetch anyway
          break;
        case 65 /* MULH */:
        case 66 /* MULHSU */:
        case 67 /* MULHU */:
        case 68 /* DIV */:
        case 69 /* DIVU */:
        case 70 /* REM */:
        case 71 /* REMU */:
        case 72 /* MULW */:
        case 73 /* DIVW */:
        case 74 /* DIVUW */:
        case 75 /* REMW */:
        case 76 /* REMUW */:
          mulDiv(op, x, d, a, b);
          break;
        case 64 /* MUL */:
          mul64(x, d, a, b);
          break;
        case 99 /* CBO_ZERO */: {
          // Zicboz: the TLB fast path here; permission, translation and traps in the rare path below
          const vl = x[a] & -CBOZ_BLOCK;
          const vh = x[a + 1];
          const i = this.wBase + ((vl >>> 12) & 255);
          if (tag[i] === vh * 1048576 + (vl >>> 12) && cboZeroEnabled(this)) {
            zeroBlock(this, toff[i] + (vl & 0xfff));
            limit = this.limit; // a watcher may have stopped the machine
            break;
          }
        }
        // falls through
        default: {
          // system, CSR and atomic instructions: rare, handled out of line
          this.inSlice = n - 1;
          this.pcLo = lo;
          this.pcHi = hi;
          const r = execRare(this, op, d, a, b, imm, dp[e + 3], lo, hi);
          this.inSlice = 0;
          if (r === RARE_TRAPPED) {
            pcLo = this.pcLo;
            pcHi = this.pcHi;
            fpLo = this.fpLo;
            fpHi = this.fpHi;
            fdp = this.fdp;
            limit = this.limit;
            continue;
          }
          if (r === RARE_JUMPED) {
            npcLo = this.pcLo;
            npcHi = this.pcHi;
          }
          if (r !== RARE_NEXT) {
            // state that affects interrupts or translation changed: end the slice
            limit = n;
            fpLo = this.fpLo;
            fpHi = this.fpHi;
            fdp = this.fdp;
          }
          break;
        }
      }
      pcLo = npcLo;
      pcHi = npcHi;
    }
    this.pcLo = pcLo;
    this.pcHi = pcHi;
    this.steps += n;
    return n;
  }

  // ---- fetch & decode (slow paths) ---------------------------------------------------------

  /**
   * pc left the current fetch page: translate it, pick (or create) the decoded page and return the
   * slot index, or -1 after a fetch fault. Pages PMP does not allow as a whole are not cached.
   */
  private fetchSlow(lo: number, hi: number): number {
    const key = hi * 1048576 + (lo >>> 12);
    const i = this.xBase + ((lo >>> 12) & 255);
    let pageOff: number;
    if (this.tlb.tag[i] === key) pageOff = this.tlb.off[i];
    else {
      const o = fetchAccess(this, lo, hi);
      if (o < 0) return -1;
      pageOff = o - (lo & 0xfff);
      if (this.tlb.tag[i] !== key) {
        // not cacheable as a whole page: decode this one instruction without keeping the page
        this.fpLo = NO_PAGE;
        this.fdp = this.decodedPage(pageOff >>> 12);
        this.fpOff = pageOff;
        return (lo & 0xfff) << 1;
      }
    }
    this.fdp = this.decodedPage(pageOff >>> 12);
    this.fpOff = pageOff;
    if (this.tracer !== null) {
      // tracing: no current fetch page, so every instruction comes through here (the hot loop stays clean)
      this.fpLo = NO_PAGE;
      const o = pageOff + (lo & 0xfff);
      const lo16 = this.mem.view.getUint16(o, true);
      const raw = (lo16 & 3) !== 3 || (lo & 0xfff) === 0xffe ? lo16 : this.mem.view.getUint32(o, true);
      this.tracer(this.id, vaOf(lo, hi), raw >>> 0, this.priv);
      return (lo & 0xfff) << 1;
    }
    this.fpLo = lo >>> 12;
    this.fpHi = hi;
    return (lo & 0xfff) << 1;
  }

  private decodedPage(p: number): Int32Array {
    let dp = this.ctx.decoded[p];
    if (dp === undefined) {
      dp = new Int32Array(SLOTS_PER_PAGE * ENTRY_STRIDE);
      this.ctx.decoded[p] = dp;
      this.mem.pageFlags[p] |= PAGE_HAS_CODE;
    }
    return dp;
  }

  /**
   * Decode the instruction in slot e of decoded page dp, at pc (lo, hi). A 32-bit instruction whose
   * second half lies on the next page is fetched through translation (its fault reports the VA of
   * that half) and decoded into the scratch entry, never cached. Returns the op or -1 (trapped).
   */
  private decodeSlot(dp: Int32Array, e: number, lo: number, hi: number): number {
    const off = this.fpOff + (lo & 0xfff);
    const lo16 = this.mem.view.getUint16(off, true);
    if ((lo16 & 3) !== 3) return decodeInto(dp, e, lo16, 0);
    if ((lo & 0xfff) !== 0xffe) return decodeInto(dp, e, lo16, this.mem.view.getUint16(off + 2, true));
    const nl = (lo + 2) | 0;
    const nh = nl >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
    const o2 = fetchAccess(this, nl, nh);
    if (o2 < 0) return -1;
    this.fpLo = NO_PAGE; // fetchAccess may have switched TLB state; re-validate the page next time
    return decodeInto(this.scratch, 0, lo16, this.mem.view.getUint16(o2, true));
  }
}

const LOAD_SIZE: number[] = [];
LOAD_SIZE[Op.LB] = 1;
LOAD_SIZE[Op.LBU] = 1;
LOAD_SIZE[Op.LH] = 2;
LOAD_SIZE[Op.LHU] = 2;
LOAD_SIZE[Op.LW] = 4;
LOAD_SIZE[Op.LWU] = 4;
LOAD_SIZE[Op.LD] = 8;
/** 1 for the sign-extending loads. */
const LOAD_SIGNED: number[] = [];
LOAD_SIGNED[Op.LB] = 1;
LOAD_SIGNED[Op.LH] = 1;
LOAD_SIGNED[Op.LW] = 1;
LOAD_SIGNED[Op.LD] = 1;
const STORE_SIZE: number[] = [];
STORE_SIZE[Op.SB] = 1;
STORE_SIZE[Op.SH] = 2;
STORE_SIZE[Op.SW] = 4;
STORE_SIZE[Op.SD] = 8;
