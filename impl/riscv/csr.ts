/**
 * The CSR file: permission rules (riscv.md §6.1, §6.5), reads and WARL writes, one case per CSR
 * behaviour. `csrRead`/`csrWrite` are the raw M-level accessors (also used by firmware);
 * `csrInstruction` implements CSRRW/RS/RC[I] with every access rule.
 */
import { ENVCFG_CBZE } from "./zicboz.ts";
import type { Hart } from "./hart.ts";
import {
  ALL_INTERRUPTS,
  CSR,
  DELEGABLE_EXCEPTIONS,
  MIP_SEIP,
  MIP_SSIP,
  MIP_STIP,
  MISA,
  MSTATUS_HI,
  MSTATUS_WRITABLE,
  MS_MPP,
  MS_MPP_SHIFT,
  MS_TVM,
  PRIV_M,
  PRIV_S,
  SSTATUS_HI,
  SSTATUS_MASK,
  S_INTERRUPTS,
} from "./csrNumbers.ts";
import { PMP_ENTRIES } from "./pmp.ts";

const U64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & U64;

/** Does CSR `addr` exist on this hart? */
export function csrExists(addr: number): boolean {
  return csrRead(null, addr) !== undefined;
}

/** Raw read (no privilege checks). `undefined` for a non-existent CSR. */
export function csrRead(h: Hart | null, addr: number): bigint | undefined {
  if (addr >= CSR.pmpaddr0 && addr < CSR.pmpaddr0 + 64) {
    const i = addr - CSR.pmpaddr0;
    return h === null ? 0n : i < PMP_ENTRIES ? h.pmp.readAddr(i) : 0n;
  }
  if (addr >= CSR.pmpcfg0 && addr < CSR.pmpcfg0 + 16) {
    if (addr & 1) return undefined; // RV64: odd pmpcfg are illegal (§6.1)
    return h === null ? 0n : h.pmp.readCfg(addr - CSR.pmpcfg0);
  }
  // hpmcounter3..31 / mhpmcounter3..31 / mhpmevent3..31: implemented as read-only zero
  if ((addr >= 0xc03 && addr <= 0xc1f) || (addr >= 0xb03 && addr <= 0xb1f) || (addr >= 0x323 && addr <= 0x33f)) return 0n;
  if (h === null) return KNOWN.has(addr) ? 0n : undefined;
  switch (addr) {
    case CSR.cycle:
    case CSR.mcycle:
      return h.readCycle();
    case CSR.instret:
    case CSR.minstret:
      return h.readInstret();
    case CSR.time:
      return h.clint.mtime();
    case CSR.sstatus:
      return BigInt(h.mstatus & SSTATUS_MASK) | SSTATUS_HI;
    case CSR.sie:
      return BigInt(h.mie & h.mideleg);
    case CSR.stvec:
      return h.stvec;
    case CSR.scounteren:
      return BigInt(h.scounteren >>> 0);
    case CSR.senvcfg:
      return h.senvcfg;
    case CSR.sscratch:
      return h.sscratch;
    case CSR.sepc:
      return h.sepc;
    case CSR.scause:
      return h.scause;
    case CSR.stval:
      return h.stval;
    case CSR.sip:
      return BigInt(h.mipValue() & h.mideleg);
    case CSR.satp:
      return h.satp;
    case CSR.mvendorid:
    case CSR.marchid:
    case CSR.mimpid:
    case CSR.mconfigptr:
      return 0n;
    case CSR.mhartid:
      return BigInt(h.id);
    case CSR.mstatus:
      return BigInt(h.mstatus >>> 0) | MSTATUS_HI;
    case CSR.misa:
      return MISA;
    case CSR.medeleg:
      return BigInt(h.medeleg);
    case CSR.mideleg:
      return BigInt(h.mideleg);
    case CSR.mie:
      return BigInt(h.mie);
    case CSR.mtvec:
      return h.mtvec;
    case CSR.mcounteren:
      return BigInt(h.mcounteren >>> 0);
    case CSR.menvcfg:
      return h.menvcfg;
    case CSR.mcountinhibit:
      return BigInt(h.mcountinhibit);
    case CSR.mscratch:
      return h.mscratch;
    case CSR.mepc:
      return h.mepc;
    case CSR.mcause:
      return h.mcause;
    case CSR.mtval:
      return h.mtval;
    case CSR.mip:
      return BigInt(h.mipValue());
    default:
      return undefined;
  }
}

const KNOWN = new Set<number>(Object.values(CSR));

/** Raw write with WARL legalisation and side effects (no privilege checks). */
export function csrWrite(h: Hart, addr: number, v: bigint): void {
  v = u64(v);
  const lo = Number(v & 0xffffffffn) | 0;
  if (addr >= CSR.pmpaddr0 && addr < CSR.pmpaddr0 + PMP_ENTRIES) {
    h.pmp.writeAddr(addr - CSR.pmpaddr0, v);
    h.flushTranslations();
    return;
  }
  if (addr === CSR.pmpcfg0 || addr === CSR.pmpcfg0 + 2) {
    h.pmp.writeCfg(addr - CSR.pmpcfg0, v);
    h.flushTranslations();
    return;
  }
  switch (addr) {
    case CSR.mcycle:
      h.writeCycle(v);
      return;
    case CSR.minstret:
      h.writeInstret(v);
      return;
    case CSR.sstatus:
      h.setMstatus((h.mstatus & ~SSTATUS_MASK) | (lo & SSTATUS_MASK));
      return;
    case CSR.sie:
      h.mie = (h.mie & ~h.mideleg) | (lo & h.mideleg);
      return;
    case CSR.stvec:
      if ((v & 3n) < 2n) h.stvec = v; // MODE ≥ 2 reserved: the write is ignored (as QEMU)
      return;
    case CSR.scounteren:
      h.scounteren = lo;
      return;
    case CSR.senvcfg:
      h.senvcfg = v & (1n | ENVCFG_CBZE); // FIOM, CBZE (zicboz.ts)
      return;
    case CSR.sscratch:
      h.sscratch = v;
      return;
    case CSR.sepc:
      h.sepc = v & ~1n;
      return;
    case CSR.scause:
      h.scause = v;
      return;
    case CSR.stval:
      h.stval = v;
      return;
    case CSR.sip:
      // only SSIP is writable through sip, and only if delegated
      h.mip = (h.mip & ~(MIP_SSIP & h.mideleg)) | (lo & MIP_SSIP & h.mideleg);
      return;
    case CSR.satp:
      h.writeSatp(v);
      return;
    case CSR.mstatus: {
      let s = (h.mstatus & ~MSTATUS_WRITABLE) | (lo & MSTATUS_WRITABLE);
      if ((s & MS_MPP) >>> MS_MPP_SHIFT === 2) s &= ~MS_MPP; // MPP cannot hold 2: legalised to U
      h.setMstatus(s);
      return;
    }
    case CSR.misa:
      return; // WARL, read-only here
    case CSR.medeleg:
      h.medeleg = lo & DELEGABLE_EXCEPTIONS;
      return;
    case CSR.mideleg:
      h.mideleg = lo & S_INTERRUPTS;
      return;
    case CSR.mie:
      h.mie = lo & ALL_INTERRUPTS;
      return;
    case CSR.mtvec:
      if ((v & 3n) < 2n) h.mtvec = v;
      return;
    case CSR.mcounteren:
      h.mcounteren = lo;
      return;
    case CSR.menvcfg:
      h.menvcfg = v & (1n | ENVCFG_CBZE); // FIOM, CBZE (zicboz.ts)
      return;
    case CSR.mcountinhibit:
      h.setCountInhibit(lo & 5); // CY and IR
      return;
    case CSR.mscratch:
      h.mscratch = v;
      return;
    case CSR.mepc:
      h.mepc = v & ~1n; // IALIGN = 16: mepc[0] = 0
      return;
    case CSR.mcause:
      h.mcause = v;
      return;
    case CSR.mtval:
      h.mtval = v;
      return;
    case CSR.mip:
      // MEIP/MTIP/MSIP are read-only; M may write SSIP, STIP, SEIP (no Sstc)
      h.mip = (h.mip & ~(MIP_SSIP | MIP_STIP | MIP_SEIP)) | (lo & (MIP_SSIP | MIP_STIP | MIP_SEIP));
      return;
    default:
      return; // read-only-zero CSRs (hpm counters, …) ignore writes
  }
}

/** May the hart at its current privilege access `addr` (write: a write is attempted)? §6.1, §6.5 */
export function csrPermitted(h: Hart, addr: number, write: boolean): boolean {
  if (!csrExists(addr)) return false;
  if (write && addr >>> 10 === 3) return false; // read-only CSR
  const needed = (addr >>> 8) & 3;
  if (h.priv < needed) return false;
  if (addr === CSR.satp && h.priv === PRIV_S && h.mstatus & MS_TVM) return false; // TVM
  if (addr >= 0xc00 && addr <= 0xc1f) {
    // counters: S needs mcounteren bit; U needs mcounteren and scounteren bits
    const bit = 1 << (addr - 0xc00);
    if (h.priv < PRIV_M && !(h.mcounteren & bit)) return false;
    if (h.priv < PRIV_S && !(h.scounteren & bit)) return false;
  }
  return true;
}
