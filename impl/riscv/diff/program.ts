/**
 * The random-program model of the differential suite and its assembly into an ELF (riscv.md §2).
 *
 * A program is plain data (so fast-check can shrink it): initial register values, page-table
 * flags, data-page contents (from a seed) and a list of blocks. Every block starts and ends in
 * M-mode and first stores the address of its end into the harness "resume" slot; the M trap
 * handler logs every trap (mcause/mepc/mtval/mstatus/scause/sepc/stval) and resumes there, so any
 * trap anywhere just ends the current block. The S trap handler is a single `ecall` (ecall from S is
 * never delegated), so delegated traps are logged by M too. Harness registers: x3 = harness page,
 * x4 = scratch; random code never writes them.
 */
import { Asm } from "../asm/asm.ts";
import type { AmoOp } from "../asm/encode.ts";
import { htifElf, emitPutc } from "../asm/htif.ts";
import type { Name32, NameC } from "../asm/table.ts";
import * as L from "./layout.ts";

/** Privilege mode of a body block. */
export type Mode = "M" | "S" | "U";
/** Address window of a memory operand (see layout.ts). */
export type Window = "phys" | "ualias" | "t0" | "mega" | "giga" | "noncanon" | "nodev";
/** A memory operand: window, page (0..7 for t0, else 0..3) and byte offset within the page. */
export interface Addr { win: Window; page: number; off: number }

/** R-type ALU/M mnemonics used by the generator. */
export const ALU_R = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw",
  "sraw", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw"] as const;
/** I-type ALU mnemonics used by the generator (shift amounts are reduced at assembly). */
export const ALU_I = ["addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai", "addiw", "slliw", "srliw", "sraiw"] as const;
/** Compressed ALU mnemonics used by the generator. */
export const ALU_C = ["c.addi", "c.addiw", "c.li", "c.lui", "c.slli", "c.srli", "c.srai", "c.andi", "c.sub", "c.xor", "c.or",
  "c.and", "c.subw", "c.addw", "c.mv", "c.add", "c.addi4spn", "c.nop"] as const;
export const LOADS = ["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"] as const;
export const STORES = ["sb", "sh", "sw", "sd"] as const;
export const CMEM = ["c.ld", "c.sd", "c.lw", "c.sw", "c.ldsp", "c.sdsp", "c.lwsp", "c.swsp"] as const;
export const AMOS = ["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"] as const;
/** Trap-raising or privileged single instructions. */
export const TRAPS = ["ecall", "ebreak", "c.ebreak", "c.illegal", "wfi", "mret", "sret", "sfence", "fence.i", "fence",
  "mhartid.write", "nocsr", "hcsr", "pmpcfg1"] as const;

/** One generated operation inside a block. */
export type Op =
  | { k: "alu"; name: (typeof ALU_R)[number]; rd: number; rs1: number; rs2: number }
  | { k: "alui"; name: (typeof ALU_I)[number]; rd: number; rs1: number; imm: number }
  | { k: "c"; name: (typeof ALU_C)[number]; a: number; b: number; imm: number }
  | { k: "li"; rd: number; value: bigint }
  | { k: "load"; name: (typeof LOADS)[number]; rd: number; base: number; addr: Addr }
  | { k: "store"; name: (typeof STORES)[number]; rs2: number; base: number; addr: Addr }
  | { k: "cmem"; name: (typeof CMEM)[number]; r: number; base: number; addr: Addr }
  | { k: "amo"; op: (typeof AMOS)[number]; w: "w" | "d"; rd: number; rs2: number; base: number; addr: Addr; aq: boolean; rl: boolean }
  | { k: "lrsc"; w: "w" | "d"; rd: number; rd2: number; rs2: number; addr: Addr; mid: Op[] }
  | { k: "csr"; f3: 1 | 2 | 3 | 5 | 6 | 7; csr: number; rd: number; src: number; value: bigint }
  | { k: "counter"; csr: number }
  | { k: "trap"; t: (typeof TRAPS)[number] }
  | { k: "jumpbad"; target: bigint; link: number }
  | { k: "branch"; name: "beq" | "bne" | "blt" | "bge" | "bltu" | "bgeu"; rs1: number; rs2: number; over: Op }
  | { k: "cbranch"; name: "c.beqz" | "c.bnez"; rs1: number; over: Op }
  | { k: "jal"; rd: number; over: Op }
  | { k: "cj"; over: Op };

/** One PMP entry update. */
/**
 * One PMP entry update: a region in a data page (or, with `pt`, NAPOT over one page-table page),
 * address-matching mode A and permissions.
 */
export interface PmpEntry { idx: number; a: 0 | 1 | 2 | 3; r: boolean; w: boolean; x: boolean; l: boolean; page: number; off: number; log2: number; pt?: boolean }

/** One block of the program. */
export type Block =
  | { k: "body"; mode: Mode; ops: Op[]; thenU?: Op[] }
  | { k: "deleg"; medeleg: bigint; mideleg: bigint }
  | { k: "irq"; mie: bigint; mideleg: bigint; mip: bigint }
  | { k: "mstatus"; set: bigint; clear: bigint }
  | { k: "satp"; which: 0 | 1 | 2 | 3 }
  | { k: "pmp"; entries: PmpEntry[] }
  | { k: "pte"; target: "t0" | "mega" | "giga" | "ualias"; idx: number; flags: bigint; misaligned: boolean }
  | { k: "mprv"; mpp: 0 | 1; sum: boolean; mxr: boolean; ops: Op[] };

/** A whole generated program. */
export interface Program {
  regs: bigint[]; // initial x5..x31 and x1 (28 values)
  dataSeed: number;
  t0Flags: bigint[]; // 8 leaf flags for T0
  megaFlags: bigint; gigaFlags: bigint; ualiasFlags: bigint; altUaliasFlags: bigint;
  blocks: Block[];
}

/** Registers random code may write: x1 and x5..x31 (x2 = sp, x3/x4 = harness). */
export const RD = [1, ...Array.from({ length: 27 }, (_, i) => i + 5)];

const MSTATUS_MPP = 0x1800n;
const MSTATUS_MPRV = 1n << 17n;

function winBase(w: Window): bigint {
  const dataOff = L.DATA - L.CODE;
  switch (w) {
    case "phys": return L.DATA;
    case "ualias": return L.VA_UALIAS + dataOff;
    case "t0": return L.VA_T0;
    case "mega": return L.VA_MEGA + dataOff;
    case "giga": return L.VA_GIGA + dataOff;
    case "noncanon": return 0x80_0000_0000n;
    case "nodev": return 0x3000_0000n;
  }
}

/** The (virtual or physical) address an operand denotes. */
export function addrOf(a: Addr, align = 1): bigint {
  const pages = a.win === "t0" ? 8 : 4;
  const off = a.off - (a.off % align);
  return winBase(a.win) + BigInt((a.page % pages) * 4096 + off);
}

/** Physical address of data byte 0 of page p. */
const dataPage = (p: number) => L.DATA + BigInt(p * 4096);

/** xorshift32 fill for the data pages. */
function fillData(seed: number): Uint8Array {
  const out = new Uint8Array(L.DATA_PAGES * 4096);
  let s = (seed >>> 0) || 1;
  for (let i = 0; i < out.length; i += 4) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s & 0xff; out[i + 1] = (s >>> 8) & 0xff; out[i + 2] = (s >>> 16) & 0xff; out[i + 3] = s >>> 24;
  }
  return out;
}

const creg = (v: number) => 8 + (Math.abs(v) % 8);
const rdOf = (v: number) => RD[Math.abs(v) % RD.length];

/** Emit one op. `uniq` makes labels unique. */
function emitOp(a: Asm, op: Op, mode: Mode, uniq: () => string): void {
  switch (op.k) {
    case "alu": a.i(op.name as Name32, op.rd, op.rs1, op.rs2); return;
    case "alui": {
      const n = op.name;
      const imm = n.startsWith("sl") || n.startsWith("sr")
        ? Math.abs(op.imm) % (n.endsWith("w") ? 32 : 64)
        : op.imm;
      a.i(n as Name32, op.rd, op.rs1, imm);
      return;
    }
    case "c": {
      const n = op.name;
      const s6 = ((op.imm % 64) + 64) % 64 - 32;
      const nz6 = s6 === 0 ? 1 : s6;
      const sh = 1 + (Math.abs(op.imm) % 63);
      switch (n) {
        case "c.nop": a.c(n); return;
        case "c.addi": a.c(n, rdOf(op.a), nz6); return;
        case "c.addiw": case "c.li": a.c(n, rdOf(op.a), s6); return;
        case "c.lui": a.c(n, rdOf(op.a), nz6); return;
        case "c.slli": a.c(n, rdOf(op.a), sh); return;
        case "c.srli": case "c.srai": a.c(n, creg(op.a), sh); return;
        case "c.andi": a.c(n, creg(op.a), s6); return;
        case "c.mv": case "c.add": a.c(n, rdOf(op.a), rdOf(op.b)); return;
        case "c.addi4spn": a.c(n, creg(op.a), 4 * (1 + (Math.abs(op.imm) % 255))); return;
        default: a.c(n, creg(op.a), creg(op.b)); return;
      }
    }
    case "li": a.li(op.rd, op.value); return;
    case "load": {
      a.li(op.base, addrOf(op.addr));
      a.i(op.name, op.rd, op.base, 0);
      return;
    }
    case "store": {
      a.li(op.base, addrOf(op.addr));
      a.i(op.name, op.rs2, op.base, 0);
      return;
    }
    case "cmem": {
      // sp-relative forms use sp (= DATA + 0x80, set at init); the others load x8..x15 as base
      const n = op.name;
      const sp = n.endsWith("sp");
      const scale = n.includes("d") ? 8 : 4;
      if (sp) {
        const r = n.startsWith("c.l") ? rdOf(op.r) : Math.abs(op.r) % 32;
        a.c(n, r, scale * (Math.abs(op.addr.off) % 64));
      } else {
        const base = creg(op.base);
        a.li(base, addrOf(op.addr));
        a.c(n, creg(op.r), base, scale * (Math.abs(op.addr.off) % 32));
      }
      return;
    }
    case "amo": {
      a.li(op.base, addrOf(op.addr, op.w === "w" ? 4 : 8));
      a.amo(op.op as AmoOp, op.w, op.rd, op.base, op.rs2, op.aq, op.rl);
      return;
    }
    case "lrsc": {
      // base x30 is never written between the LR and the SC (reservation-set size is
      // implementation-defined, so the SC must target exactly the LR address).
      const fix = (r: number) => (r === 30 ? 29 : r);
      a.li(30, addrOf(op.addr, op.w === "w" ? 4 : 8));
      a.amo("lr", op.w, fix(op.rd), 30, 0);
      for (const m of op.mid) {
        if (m.k === "alu") emitOp(a, { ...m, rd: fix(m.rd) }, mode, uniq);
        else if (m.k === "alui") emitOp(a, { ...m, rd: fix(m.rd) }, mode, uniq);
      }
      a.amo("sc", op.w, fix(op.rd2), 30, op.rs2);
      return;
    }
    case "csr": {
      const names: Name32[] = ["csrrw", "csrrw", "csrrs", "csrrc", "csrrw", "csrrwi", "csrrsi", "csrrci"];
      if (op.f3 <= 3) {
        if (op.src !== 0) a.li(op.src, op.value);
        a.i(names[op.f3], op.rd, op.csr, op.src);
      } else {
        a.i(names[op.f3], op.rd, op.csr, Number(op.value & 31n));
      }
      return;
    }
    case "counter": a.i("csrrs", 0, op.csr, 0); return;
    case "trap":
      switch (op.t) {
        case "ecall": a.i("ecall"); return;
        case "ebreak": a.i("ebreak"); return;
        case "c.ebreak": a.c("c.ebreak"); return;
        case "c.illegal": a.half16(0, ".half 0x0000  # illegal"); return;
        case "wfi": a.i("wfi"); return;
        case "mret": a.i("mret"); return;
        case "sret": a.i("sret"); return;
        case "sfence": a.i("sfence.vma", 0, 0); return;
        case "fence.i": a.i("fence.i"); return;
        case "fence": a.fence(); return;
        case "mhartid.write": a.i("csrrw", 0, 0xf14, 0); return;
        case "nocsr": a.i("csrrs", 5, 0x801, 0); return;
        case "hcsr": a.i("csrrs", 5, 0x600, 0); return;
        case "pmpcfg1": a.i("csrrs", 5, 0x3a1, 0); return;
      }
      return;
    case "jumpbad": a.li(5, op.target).i("jalr", op.link, 5, 0); return;
    case "branch": {
      const l = `br_${uniq()}`;
      a.br(op.name, op.rs1, op.rs2, l);
      emitOp(a, op.over, mode, uniq);
      a.label(l);
      return;
    }
    case "jal": {
      const l = `jal_${uniq()}`;
      a.jal(op.rd, l);
      emitOp(a, op.over, mode, uniq);
      a.label(l);
      return;
    }
    case "cbranch": {
      const l = `cbr_${uniq()}`;
      a.cb(op.name, creg(op.rs1), l);
      emitOp(a, op.over, mode, uniq);
      a.label(l);
      return;
    }
    case "cj": {
      const l = `cj_${uniq()}`;
      a.cj(l);
      emitOp(a, op.over, mode, uniq);
      a.label(l);
      return;
    }
  }
}

/** Value written to a pmpaddr register for an entry description. */
export function pmpAddrOf(e: PmpEntry): bigint {
  if (e.pt) return (L.PT_PAGES[e.page % L.PT_PAGES.length] >> 2n) | 0x1ffn;
  const base = dataPage(e.page % L.DATA_PAGES) + BigInt(e.off % 4096);
  if (e.a === 3) {
    const log2 = 3 + (e.log2 % 10); // 8 B .. 4 KiB
    const size = 1n << BigInt(log2);
    const b = dataPage(e.page % L.DATA_PAGES) + ((BigInt(e.off % 4096) / size) * size);
    return (b >> 2n) | ((size >> 3n) - 1n);
  }
  return base >> 2n;
}

/**
 * pmpNcfg byte for an entry (R=0/W=1 is reserved: W is dropped then — QEMU 7.2 would store it;
 * L only with R and NA4/NAPOT, so M-mode can always read the data pages it dumps).
 */
export function pmpCfgOf(e: PmpEntry): number {
  if (e.pt) return (3 << 3) | (e.x ? 4 : 0) | (e.r ? 3 : 0); // NAPOT, never locked, R only with W (layout.ts)
  const w = e.w && e.r;
  const l = e.l && e.r && (e.a === 2 || e.a === 3);
  return (l ? 0x80 : 0) | (e.a << 3) | (e.x ? 4 : 0) | (w ? 2 : 0) | (e.r ? 1 : 0);
}

/** Result of {@link assemble}. */
export interface Assembled { elf: Uint8Array; listing: string; asm: Asm }

/** Assemble a program into an ELF (tohost at the harness page). */
export function assemble(p: Program): Assembled {
  const a = new Asm(L.CODE);
  let n = 0;
  const uniq = () => String(n++);
  let sv39 = false; // statically tracked satp mode (satp is only written by M-mode satp blocks)

  // ---- init (M-mode) ----
  a.la(3, "harness");
  a.la(4, "mtrap").i("csrrw", 0, 0x305, 4);
  a.la(4, "strap").i("csrrw", 0, 0x105, 4);
  for (const c of [0x300, 0x302, 0x303, 0x304, 0x306, 0x340, 0x341, 0x342, 0x343, 0x106, 0x140, 0x141, 0x142, 0x143, 0x180]) {
    a.i("csrrw", 0, c, 0);
  }
  // PMP background entry 15: NAPOT over everything, RWX (riscv.md §3.4: with entries implemented,
  // S/U accesses matching no entry fail, so random entries 0..7 are carved out of this).
  a.li(4, (1n << 54n) - 1n).i("csrrw", 0, 0x3bf, 4);
  a.li(4, 0x1fn << 56n).i("csrrw", 0, 0x3a2, 4);
  a.i("sfence.vma", 0, 0);
  a.li(2, L.DATA + 0x80n);
  p.regs.forEach((v, i) => a.li(i === 27 ? 1 : i + 5, v));
  a.jal(0, "blocks");

  // ---- M trap handler: log and resume (riscv.md §3.2) ----
  a.label("mtrap");
  a.i("sd", 5, 3, L.H_SAVE);
  a.i("lui", 4, 0x20).i("csrrc", 0, 0x300, 4); // MPRV off: the handler's own stores are untranslated
  a.i("ld", 4, 3, L.H_COUNT);
  a.i("addi", 5, 4, -L.TRAP_LIMIT).br("bge", 5, 0, "mtrap_overflow");
  a.i("addi", 5, 4, 1).i("sd", 5, 3, L.H_COUNT);
  a.i("slli", 4, 4, 6).i("add", 4, 4, 3);
  const logged: number[] = [0x342, 0x341, 0x343, 0x300, 0x142, 0x141, 0x143];
  logged.forEach((c, k) => a.i("csrrs", 5, c, 0).i("sd", 5, 4, L.H_LOG + 8 * k));
  a.i("ld", 4, 3, L.H_RESUME).i("csrrw", 0, 0x341, 4);
  a.li(4, MSTATUS_MPP).i("csrrs", 0, 0x300, 4);
  a.i("ld", 5, 3, L.H_SAVE);
  a.i("mret");
  a.label("mtrap_overflow").i("ld", 5, 3, L.H_SAVE).jal(0, "dump");

  // ---- S trap handler: hand everything to M (ecall from S is never delegated) ----
  a.label("strap").i("ecall").jal(0, "strap");

  // ---- blocks ----
  a.label("blocks");
  p.blocks.forEach((b, bi) => {
    const next = `b${bi}_end`;
    a.la(4, next).i("sd", 4, 3, L.H_RESUME);
    switch (b.k) {
      case "body": {
        if (b.mode === "M") {
          for (const op of b.ops) emitOp(a, op, "M", uniq);
          break;
        }
        const body = `b${bi}_body`;
        a.li(4, MSTATUS_MPP).i("csrrc", 0, 0x300, 4);
        if (b.mode === "S") a.li(4, 0x800n).i("csrrs", 0, 0x300, 4);
        const alias = b.mode === "U" && sv39 ? -Number(L.CODE - L.VA_UALIAS) : 0;
        a.la(4, body, alias).i("csrrw", 0, 0x341, 4).i("mret");
        a.label(body);
        for (const op of b.ops) emitOp(a, op, b.mode, uniq);
        if (b.mode === "S" && b.thenU) {
          const ub = `b${bi}_ubody`;
          a.li(4, 0x100n).i("csrrc", 0, 0x100, 4);
          a.la(4, ub, sv39 ? -Number(L.CODE - L.VA_UALIAS) : 0).i("csrrw", 0, 0x141, 4).i("sret");
          a.label(ub);
          for (const op of b.thenU) emitOp(a, op, "U", uniq);
        }
        a.i("ecall");
        break;
      }
      case "deleg":
        a.li(4, b.medeleg).i("csrrw", 0, 0x302, 4);
        a.li(4, b.mideleg).i("csrrw", 0, 0x303, 4);
        break;
      case "irq":
        // software-pending S-level interrupts (riscv.md §3.2): taken at once if enabled, else later
        a.li(4, b.mie).i("csrrw", 0, 0x304, 4);
        a.li(4, b.mideleg).i("csrrw", 0, 0x303, 4);
        a.li(4, b.mip).i("csrrw", 0, 0x344, 4); // replaces: at most one pending (arb.ts oneIrq)
        break;
      case "mstatus":
        if (b.set) a.li(4, b.set).i("csrrs", 0, 0x300, 4);
        if (b.clear) a.li(4, b.clear).i("csrrc", 0, 0x300, 4);
        break;
      case "satp": {
        const v = [0n, L.satpSv39(L.ROOT), L.satpSv39(L.ALT), (5n << 60n) | (L.ROOT >> 12n)][b.which];
        a.li(4, v).i("csrrw", 0, 0x180, 4).i("sfence.vma", 0, 0);
        if (b.which === 0) sv39 = false;
        if (b.which === 1 || b.which === 2) sv39 = true;
        break;
      }
      case "pmp": {
        let clear = 0n;
        let set = 0n;
        for (const e of b.entries) {
          const i = e.idx % 8;
          a.li(4, pmpAddrOf(e)).i("csrrw", 0, 0x3b0 + i, 4);
          clear |= 0xffn << BigInt(8 * i);
          set = (set & ~(0xffn << BigInt(8 * i))) | (BigInt(pmpCfgOf(e)) << BigInt(8 * i));
        }
        a.i("csrrs", 5, 0x3a0, 0).li(4, ~clear).i("and", 5, 5, 4).li(4, set).i("or", 5, 5, 4).i("csrrw", 0, 0x3a0, 5);
        a.i("sfence.vma", 0, 0);
        break;
      }
      case "pte": {
        let at: bigint;
        let pa: bigint;
        if (b.target === "t0") { at = L.T0 + BigInt(8 * (b.idx % 8)); pa = dataPage(b.idx % 4); }
        else if (b.target === "mega") { at = L.T1 + 8n; pa = b.misaligned ? L.CODE + 0x1000n : L.CODE; }
        else if (b.target === "giga") { at = L.ROOT + 24n; pa = b.misaligned ? L.CODE + 0x20_0000n : L.CODE; }
        else { at = L.ROOT + 8n; pa = L.CODE; }
        a.li(5, at).li(4, L.pte(pa, b.flags)).i("sd", 4, 5, 0);
        a.i("sfence.vma", 0, 0);
        break;
      }
      case "mprv": {
        a.li(4, MSTATUS_MPP).i("csrrc", 0, 0x300, 4);
        const bits = MSTATUS_MPRV | (BigInt(b.mpp) << 11n) | (b.sum ? 1n << 18n : 0n) | (b.mxr ? 1n << 19n : 0n);
        a.li(4, bits).i("csrrs", 0, 0x300, 4);
        for (const op of b.ops) emitOp(a, op, "M", uniq);
        a.li(4, MSTATUS_MPRV).i("csrrc", 0, 0x300, 4);
        break;
      }
    }
    a.label(next);
  });

  // ---- dump (riscv.md §1 console) ----
  a.label("dump");
  // Any trap from here on ends the run with "A" and tohost = 3 instead of restarting the dump.
  a.la(4, "dump_abort").i("sd", 4, 3, L.H_RESUME);
  RD.forEach((r) => a.i("sd", r, 3, L.H_REGS + 8 * r));
  a.i("sd", 2, 3, L.H_REGS + 16);
  a.i("lui", 4, 0x20).i("csrrc", 4, 0x300, 4).i("sd", 4, 3, L.H_MSTATUS);
  a.i("sd", 3, 3, L.H_REGS + 24);
  a.i("sd", 4, 3, L.H_REGS + 32);
  a.li(11, 0x44n).jal(1, "putc").li(11, 10n).jal(1, "putc");
  for (let r = 1; r < 32; r++) a.i("ld", 10, 3, L.H_REGS + 8 * r).jal(1, "puthex");
  for (const [, c] of L.DUMP_CSRS) {
    if (c < 0) a.i("ld", 10, 3, L.H_MSTATUS);
    else a.i("csrrs", 10, c, 0);
    a.jal(1, "puthex");
  }
  const dumpRange = (addrReg: () => void, countReg: () => void) => {
    const l = `dr_${uniq()}`;
    const e = `dre_${uniq()}`;
    addrReg(); countReg();
    a.br("beq", 21, 0, e);
    // two 4-byte loads: PMP NA4/TOR boundaries are 4-byte granular, so an 8-byte load could
    // partially match an entry and fault even in M-mode (riscv.md §3.4)
    a.label(l).i("lwu", 10, 20, 4).i("slli", 10, 10, 32).i("lwu", 11, 20, 0).i("or", 10, 10, 11).jal(1, "puthex").i("addi", 20, 20, 8).i("addi", 21, 21, -1).br("bne", 21, 0, l);
    a.label(e);
  };
  for (const r of L.SIG_REGIONS) dumpRange(() => a.li(20, r.addr), () => a.li(21, BigInt(r.dwords)));
  a.i("ld", 10, 3, L.H_COUNT).jal(1, "puthex");
  dumpRange(() => a.i("addi", 20, 3, L.H_LOG), () => a.i("ld", 21, 3, L.H_COUNT).i("slli", 21, 21, 3));
  a.li(11, 0x45n).jal(1, "putc").li(11, 10n).jal(1, "putc");
  a.li(4, 1n).i("sd", 4, 3, 0);
  a.label("halt").jal(0, "halt");
  a.label("dump_abort").li(11, 0x41n).jal(1, "putc").li(11, 10n).jal(1, "putc");
  a.li(4, 3n).i("sd", 4, 3, 0).jal(0, "halt");

  // puthex: x10 → 16 hex digits + '\n'; clobbers x10..x14, returns via x1 (x15 holds the link)
  a.label("puthex").i("addi", 15, 1, 0).i("addi", 14, 0, 16);
  a.label("ph_loop").i("srli", 11, 10, 60).i("slli", 10, 10, 4).i("addi", 11, 11, 48).i("addi", 12, 0, 58)
    .br("blt", 11, 12, "ph_digit").i("addi", 11, 11, 39);
  a.label("ph_digit").jal(1, "putc").i("addi", 14, 14, -1).br("bne", 14, 0, "ph_loop");
  a.i("addi", 11, 0, 10).jal(1, "putc").i("jalr", 0, 15, 0);
  a.label("putc");
  emitPutc(a, 3, 11, 12, "p");
  a.i("jalr", 0, 1, 0);

  if (a.offset > L.CODE_SIZE) throw new Error(`program too large: ${a.offset} bytes of code`);

  // ---- harness page ----
  a.padTo(Number(L.HARN - L.CODE)).label("harness").label("tohost").dword(0n).dword(0n);
  a.padTo(Number(L.DATA - L.CODE)).bytes(fillData(p.dataSeed));
  // ---- page tables ----
  const T = (pa: bigint) => L.pte(pa, L.PTE.V);
  a.padTo(Number(L.ROOT - L.CODE));
  for (const v of [T(L.T1), L.pte(L.CODE, p.ualiasFlags), L.pte(L.CODE, 0xcfn), L.pte(L.CODE, p.gigaFlags)]) a.dword(v);
  a.padTo(Number(L.T1 - L.CODE)).dword(0n).dword(L.pte(L.CODE, p.megaFlags));
  a.padTo(Number(L.T1 - L.CODE) + 8 * L.T1_T0_INDEX).dword(T(L.T0));
  a.padTo(Number(L.T0 - L.CODE));
  p.t0Flags.forEach((f, k) => a.dword(L.pte(dataPage(k % 4), f)));
  a.padTo(Number(L.ALT - L.CODE));
  for (const v of [0n, L.pte(L.CODE, p.altUaliasFlags), L.pte(L.CODE, 0xcfn), L.pte(L.CODE, p.gigaFlags)]) a.dword(v);
  a.padTo(Number(L.IMAGE_END - L.CODE));
  const image = a.finish();
  // The listing shows the generated part (blocks); init, handlers and dump are fixed harness code.
  const from = a.addr("blocks");
  const to = a.addr("dump");
  const listing = a.listing
    .filter((l) => l.addr >= from && l.addr < to)
    .map((l) => `${l.addr.toString(16).padStart(8, "0")}: ${l.text}`);
  const pt = `page tables: ualias=0x${p.ualiasFlags.toString(16)} altUalias=0x${p.altUaliasFlags.toString(16)} ` +
    `mega=0x${p.megaFlags.toString(16)} giga=0x${p.gigaFlags.toString(16)} t0=[${p.t0Flags.map((f) => `0x${f.toString(16)}`).join(",")}]`;
  return { elf: htifElf(a, image, L.HARN), listing: [pt, ...listing].join("\n"), asm: a };
}
