/**
 * fast-check arbitraries for differential programs (riscv.md §2). Every choice here avoids a
 * behaviour the spec leaves implementation-defined or QEMU 7.2 is known to get wrong
 * (impl/riscv/tests/src/qemu_deviations.S), so any difference in the dumps is a bug candidate:
 * no mcycle/time/instret values (counters are only read into x0, which still checks
 * mcounteren/scounteren), no misaligned AMOs and no AMOs to device-less addresses, no
 * medeleg[11], no MTIE (mtimecmp resets to 0 in QEMU), no WFI outside U-mode, no satp/PTE/PMP change
 * without `sfence.vma x0, x0`, SC only to the address of the preceding LR, MPP never written 2, no
 * `time` CSR (QEMU's spike machine has no rdtime: reads are illegal there, as firmware emulates
 * them — riscv.md §3.7 allows that).
 */
import fc from "fast-check";
import * as L from "./layout.ts";
import {
  ALU_C, ALU_I, ALU_R, AMOS, type Addr, type Block, CMEM, LOADS, type Mode, type Op, type PmpEntry, type Program,
  RD, STORES, type Window,
} from "./program.ts";

const rd = fc.constantFrom(...RD);
const rs = fc.integer({ min: 0, max: 31 });

/** 64-bit values biased towards edge cases. */
export const value64: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: -64n, max: 64n }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 63 }).map((k) => 1n << BigInt(k)) },
  { weight: 1, arbitrary: fc.constantFrom(-1n, 1n << 63n, (1n << 63n) - 1n, 0xffff_ffffn, 0x8000_0000n, -(1n << 31n)) },
);

const offset = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 1, arbitrary: fc.integer({ min: 4080, max: 4095 }) });

function addrArb(mode: Mode | "MPRV"): fc.Arbitrary<Addr> {
  const wins: Window[] = mode === "M"
    ? ["phys", "phys", "phys", "phys", "nodev", "noncanon"]
    : ["phys", "ualias", "ualias", "t0", "t0", "t0", "mega", "giga", "noncanon", "nodev"];
  return fc.record({ win: fc.constantFrom(...wins), page: fc.integer({ min: 0, max: 7 }), off: offset });
}

/**
 * A CSR random code may access. rwOnly: only csrrw/csrrwi (WLRL fields); readOnly: only
 * `csrrs rd, csr, x0`; regOnly: no immediate forms; noRead: rd = x0 (the old value is one QEMU
 * reports differently after some traps — see dump.ts allowances — and the dump shows it anyway).
 */
interface CsrSpec { csr: number; values: fc.Arbitrary<bigint>; rwOnly?: boolean; readOnly?: boolean; regOnly?: boolean; noRead?: boolean }
const masked = (m: bigint) => value64.map((v) => BigInt.asUintN(64, v) & m);
const any = value64.map((v) => BigInt.asUintN(64, v));
/** xepc values: bit 0 is read-only 0 (riscv.md §3.1), which QEMU 7.2 does not implement. */
const even = value64.map((v) => BigInt.asUintN(64, v) & ~1n);
/**
 * medeleg values keep bits 4/6, 5/7 and 13/15 equal: QEMU 7.2 raises load faults for AMOs where the
 * spec raises store/AMO faults (qemu_deviations.S), and with equal bits both go to the same handler.
 */
const medelegValues = masked(0xa1fdn).map((v) => {
  const pair = (lo: bigint, hi: bigint) => ((v >> lo) & 1n ? (1n << lo) | (1n << hi) : 0n);
  return (v & ~0xa0f0n) | pair(4n, 6n) | pair(5n, 7n) | pair(13n, 15n);
});
/** mip write values: no pending S-level interrupt or exactly one (see CSR_M). */
const oneIrq = fc.constantFrom(0n, 0x2n, 0x20n, 0x200n);
const causes = fc.constantFrom(0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 11n, 12n, 13n, 15n, (1n << 63n) | 1n, (1n << 63n) | 5n, (1n << 63n) | 9n);
/** mstatus bits random code may flip: SIE SPIE MPIE SPP MIE SUM MXR TVM TW TSR (not MPP, not MPRV). */
export const MSTATUS_RANDOM = 0x7c01aan;
const SSTATUS_RANDOM = 0xc0122n;
const satpValues = fc.constantFrom(0n, L.satpSv39(L.ROOT), L.satpSv39(L.ALT), (5n << 60n) | (L.ROOT >> 12n));

const CSR_M: CsrSpec[] = [
  { csr: 0x340, values: any }, { csr: 0x140, values: any }, { csr: 0x341, values: even }, { csr: 0x141, values: even },
  { csr: 0x343, values: any, rwOnly: true, noRead: true }, { csr: 0x143, values: any, rwOnly: true, noRead: true },
  { csr: 0x342, values: causes, rwOnly: true, noRead: true }, { csr: 0x142, values: causes, rwOnly: true, noRead: true },
  { csr: 0x304, values: masked(0xa2an) }, { csr: 0x104, values: masked(0x222n) },
  { csr: 0x302, values: medelegValues, regOnly: true }, { csr: 0x303, values: masked(0x222n) },
  { csr: 0x306, values: masked(7n) }, { csr: 0x106, values: masked(7n) },
  { csr: 0x300, values: masked(MSTATUS_RANDOM) }, { csr: 0x100, values: masked(SSTATUS_RANDOM) },
  { csr: 0x301, values: any, readOnly: true }, { csr: 0xf14, values: any, readOnly: true },
  { csr: 0x144, values: any, readOnly: true }, { csr: 0x105, values: any, readOnly: true },
  // software-writable pending bits SSIP/STIP/SEIP: interrupts (riscv.md §3.2); mip.MTIP depends on
  // the CLINT's reset mtimecmp, so the old value is not read into a register. At most one of them is
  // pending at a time: QEMU 7.2 takes the lowest-numbered pending interrupt instead of the spec's
  // SEI > SSI > STI (qemu_deviations.S), so csrrw with one bit only.
  { csr: 0x344, values: oneIrq, rwOnly: true, noRead: true },
];
const CSR_S: CsrSpec[] = [
  { csr: 0x140, values: any }, { csr: 0x141, values: even }, { csr: 0x143, values: any, rwOnly: true, noRead: true },
  { csr: 0x142, values: causes, rwOnly: true, noRead: true }, { csr: 0x100, values: masked(SSTATUS_RANDOM) },
  { csr: 0x104, values: masked(0x222n) }, { csr: 0x106, values: masked(7n) },
  { csr: 0x105, values: any, readOnly: true }, { csr: 0x144, values: any, readOnly: true },
  { csr: 0x180, values: any, readOnly: true },
  // M-level CSRs from S: illegal instruction (riscv.md §3.1)
  { csr: 0x300, values: any, readOnly: true }, { csr: 0x340, values: any },
];
const CSR_U: CsrSpec[] = [
  { csr: 0x140, values: any }, { csr: 0x100, values: any, readOnly: true }, { csr: 0x001, values: any, readOnly: true },
];

function csrOp(mode: Mode): fc.Arbitrary<Op> {
  const list = mode === "M" ? CSR_M : mode === "S" ? CSR_S : CSR_U;
  return fc.constantFrom(...list).chain((spec) =>
    fc.record({
      k: fc.constant("csr" as const),
      f3: spec.readOnly ? fc.constant(2 as const) : spec.rwOnly ? fc.constantFrom(1 as const, 5 as const)
        : spec.regOnly ? fc.constantFrom(1 as const, 2 as const, 3 as const)
        : fc.constantFrom(1 as const, 2 as const, 3 as const, 5 as const, 6 as const, 7 as const),
      csr: fc.constant(spec.csr),
      rd: spec.noRead ? fc.constant(0) : rd,
      src: spec.readOnly ? fc.constant(0) : fc.constantFrom(...RD),
      value: spec.values,
    }).map((o) => (spec.rwOnly && o.f3 === 5 ? { ...o, value: o.value & 31n } : o)),
  );
}

function satpOp(): fc.Arbitrary<Op[]> {
  // satp write then sfence.vma x0,x0 (TLB contents after a bare satp write are implementation-defined)
  return satpValues.map((v) => [
    { k: "csr", f3: 1, csr: 0x180, rd: 0, src: 5, value: v } as Op,
    { k: "trap", t: "sfence" } as Op,
  ]);
}

const traps: Record<Mode, Array<Extract<Op, { k: "trap" }>["t"]>> = {
  M: ["ecall", "ebreak", "c.ebreak", "c.illegal", "fence.i", "fence", "mhartid.write", "nocsr", "hcsr", "sfence", "pmpcfg1"],
  S: ["ecall", "ebreak", "c.ebreak", "c.illegal", "mret", "sfence", "fence.i", "nocsr", "hcsr", "mhartid.write"],
  U: ["ecall", "ebreak", "c.ebreak", "c.illegal", "wfi", "mret", "sret", "sfence", "fence.i", "nocsr"],
};

function memOps(mode: Mode | "MPRV"): fc.Arbitrary<Op> {
  const addr = addrArb(mode);
  const amoAddr = addr.filter((a) => a.win !== "nodev" && !(mode === "M" && a.win === "noncanon"));
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ k: fc.constant("load" as const), name: fc.constantFrom(...LOADS), rd, base: rd, addr }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant("store" as const), name: fc.constantFrom(...STORES), rs2: rs, base: rd, addr }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("cmem" as const), name: fc.constantFrom(...CMEM), r: rs, base: rs, addr }) },
    { weight: 2, arbitrary: fc.record({
      k: fc.constant("amo" as const), op: fc.constantFrom(...AMOS), w: fc.constantFrom("w" as const, "d" as const), rd,
      rs2: rs, base: rd, addr: amoAddr, aq: fc.boolean(), rl: fc.boolean(),
    }) },
    { weight: 1, arbitrary: fc.record({
      k: fc.constant("lrsc" as const), w: fc.constantFrom("w" as const, "d" as const), rd, rd2: rd, rs2: rs, addr: amoAddr,
      mid: fc.array(aluOp, { maxLength: 3 }),
    }) },
  );
}

const aluOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant("alu" as const), name: fc.constantFrom(...ALU_R), rd, rs1: rs, rs2: rs }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("alui" as const), name: fc.constantFrom(...ALU_I), rd, rs1: rs, imm: fc.integer({ min: -2048, max: 2047 }) }) },
);

function simpleOp(mode: Mode): fc.Arbitrary<Op> {
  const arr: Array<fc.WeightedArbitrary<Op>> = [
    { weight: 6, arbitrary: aluOp },
    { weight: 3, arbitrary: fc.record({ k: fc.constant("c" as const), name: fc.constantFrom(...ALU_C), a: fc.nat(), b: fc.nat(), imm: fc.integer() }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("li" as const), rd, value: value64 }) },
    { weight: 6, arbitrary: memOps(mode) },
    { weight: 3, arbitrary: csrOp(mode) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("counter" as const), csr: fc.constantFrom(0xc00, 0xc02) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("trap" as const), t: fc.constantFrom(...traps[mode]) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("jumpbad" as const), target: fc.constantFrom(0x3000_0000n, 0x80_0000_0000n, 0x9000_0000n), link: rd }) },
  ];
  return fc.oneof(...arr);
}

function opArb(mode: Mode): fc.Arbitrary<Op[]> {
  const s = simpleOp(mode);
  const one: fc.Arbitrary<Op[]> = fc.oneof(
    { weight: 10, arbitrary: s.map((o) => [o]) },
    { weight: 1, arbitrary: fc.record({
      k: fc.constant("branch" as const), name: fc.constantFrom("beq" as const, "bne" as const, "blt" as const, "bge" as const, "bltu" as const, "bgeu" as const),
      rs1: rs, rs2: rs, over: s,
    }).map((o) => [o as Op]) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("jal" as const), rd: fc.constantFrom(0, ...RD), over: s }).map((o) => [o as Op]) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("cbranch" as const), name: fc.constantFrom("c.beqz" as const, "c.bnez" as const), rs1: rs, over: s }).map((o) => [o as Op]) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("cj" as const), over: s }).map((o) => [o as Op]) },
    ...(mode === "M" ? [] : [{ weight: 1, arbitrary: satpOp() }]),
  );
  return fc.array(one, { minLength: 1, maxLength: 8 }).map((xs) => xs.flat());
}

/** Leaf PTE flags: mostly sensible, sometimes arbitrary, sometimes with a reserved bit set. */
const leafFlags: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ r: fc.boolean(), w: fc.boolean(), x: fc.boolean(), u: fc.boolean(), g: fc.boolean(), a: fc.boolean(), d: fc.boolean() })
    .map((f) => L.PTE.V | (f.r || (!f.x && !f.w) ? L.PTE.R : 0n) | (f.w ? L.PTE.W : 0n) | (f.x ? L.PTE.X : 0n) | (f.u ? L.PTE.U : 0n) |
      (f.g ? L.PTE.G : 0n) | (f.a ? L.PTE.A : 0n) | (f.d ? L.PTE.D : 0n)) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 255n }) },
  { weight: 1, arbitrary: fc.tuple(fc.bigInt({ min: 0n, max: 255n }), fc.integer({ min: 54, max: 63 })).map(([f, b]) => f | 1n | (1n << BigInt(b))) },
);
const uFlags = fc.oneof({ weight: 4, arbitrary: fc.constant(0xdfn) }, { weight: 1, arbitrary: leafFlags });

const pmpEntry: fc.Arbitrary<PmpEntry> = fc.record({
  idx: fc.integer({ min: 0, max: 7 }), a: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
  r: fc.boolean(), w: fc.boolean(), x: fc.boolean(), l: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  page: fc.integer({ min: 0, max: 3 }), off: fc.integer({ min: 0, max: 4095 }), log2: fc.integer({ min: 0, max: 9 }),
  pt: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

const blockArb: fc.Arbitrary<Block> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant("body" as const), mode: fc.constant("S" as const), ops: opArb("S"), thenU: fc.option(opArb("U"), { nil: undefined, freq: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("body" as const), mode: fc.constant("U" as const), ops: opArb("U") }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("body" as const), mode: fc.constant("M" as const), ops: opArb("M") }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("deleg" as const), medeleg: medelegValues, mideleg: masked(0x222n) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("irq" as const), mie: masked(0xa2an), mideleg: masked(0x222n), mip: oneIrq }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("mstatus" as const), set: masked(MSTATUS_RANDOM), clear: masked(MSTATUS_RANDOM) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("satp" as const), which: fc.constantFrom(0 as const, 1 as const, 1 as const, 2 as const, 3 as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("pmp" as const), entries: fc.array(pmpEntry, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({
    k: fc.constant("pte" as const), target: fc.constantFrom("t0" as const, "t0" as const, "mega" as const, "giga" as const, "ualias" as const),
    idx: fc.integer({ min: 0, max: 7 }), flags: leafFlags, misaligned: fc.boolean(),
  }) },
  { weight: 1, arbitrary: fc.record({
    k: fc.constant("mprv" as const), mpp: fc.constantFrom(0 as const, 1 as const), sum: fc.boolean(), mxr: fc.boolean(),
    ops: fc.array(memOps("MPRV"), { minLength: 1, maxLength: 4 }),
  }) },
);

/** A whole random program. */
export const programArb: fc.Arbitrary<Program> = fc.record({
  regs: fc.array(value64, { minLength: 28, maxLength: 28 }),
  dataSeed: fc.integer({ min: 1, max: 0x7fffffff }),
  t0Flags: fc.array(leafFlags, { minLength: 8, maxLength: 8 }),
  megaFlags: leafFlags,
  gigaFlags: leafFlags,
  ualiasFlags: uFlags,
  altUaliasFlags: uFlags,
  blocks: fc.array(blockArb, { minLength: 1, maxLength: 12 }),
});
