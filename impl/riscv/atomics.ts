/**
 * The A extension: LR/SC with a per-hart reservation (broken by other harts' stores, see
 * Machine) and AMOs as read-modify-write (the machine is sequentially consistent, so aq/rl are
 * satisfied trivially). Addresses must be naturally aligned, else an address-misaligned exception
 * (load for LR, store/AMO otherwise); AMOs need read and write permission and fault as stores.
 */
import type { Hart } from "./hart.ts";
import { Op } from "./opcodes.ts";
import { ACC_R, ACC_W } from "./tlb.ts";
import { dataAccess, MMIO, TRAPPED } from "./mmu.ts";
import { readBytes, writeBytes } from "./dataSlowPath.ts";
import { readPair, vaOf, writePair } from "./regPair.ts";
import { Cause } from "./csrNumbers.ts";

const U64 = (1n << 64n) - 1n;

/** Execute atomic `op` (rd slot d, rs1 slot a, rs2 slot b); false after a trap. */
export function atomic(h: Hart, op: number, d: number, a: number, b: number): boolean {
  const word = op >= Op.LR_W && op <= Op.AMOMAXU_W;
  const size = word ? 4 : 8;
  const bits = size * 8;
  const vl = h.regs[a];
  const vh = h.regs[a + 1];
  const isLr = op === Op.LR_W || op === Op.LR_D;
  if (vl & (size - 1)) {
    h.raise(isLr ? Cause.loadMisaligned : Cause.storeMisaligned, vaOf(vl, vh));
    return false;
  }
  const ext = (v: bigint): bigint => (word ? BigInt.asIntN(32, v) : v);
  if (isLr) {
    const v = readBytes(h, vl, vh, size);
    if (v === null) return false;
    // re-resolving cannot fault now (the load just succeeded and set A)
    h.reserve(dataAccess(h, vl, vh, 1, ACC_R, false));
    writePair(h.regs, d, ext(v));
    return true;
  }
  if (op === Op.SC_W || op === Op.SC_D) {
    const o = dataAccess(h, vl, vh, size, ACC_W, true);
    if (o === TRAPPED) return false;
    if (o === MMIO) {
      h.raise(Cause.storeAccess, vaOf(vl, vh));
      return false;
    }
    const ok = h.reservation() === o;
    h.reserve(-1);
    if (!ok) {
      writePair(h.regs, d, 1n);
      return true;
    }
    if (!writeBytes(h, vl, vh, size, readPair(h.regs, b) & (word ? 0xffffffffn : U64), true)) return false;
    writePair(h.regs, d, 0n);
    return true;
  }
  const old = readBytes(h, vl, vh, size, true);
  if (old === null) return false;
  const A = ext(old);
  const B = ext(readPair(h.regs, b));
  const r = amoResult(op, A, B, bits);
  if (!writeBytes(h, vl, vh, size, BigInt.asUintN(bits, r), true)) return false;
  writePair(h.regs, d, A);
  return true;
}

function amoResult(op: number, A: bigint, B: bigint, bits: number): bigint {
  const sA = BigInt.asIntN(bits, A),
    sB = BigInt.asIntN(bits, B);
  const uA = BigInt.asUintN(bits, A),
    uB = BigInt.asUintN(bits, B);
  switch (op) {
    case Op.AMOSWAP_W:
    case Op.AMOSWAP_D:
      return B;
    case Op.AMOADD_W:
    case Op.AMOADD_D:
      return A + B;
    case Op.AMOXOR_W:
    case Op.AMOXOR_D:
      return A ^ B;
    case Op.AMOAND_W:
    case Op.AMOAND_D:
      return A & B;
    case Op.AMOOR_W:
    case Op.AMOOR_D:
      return A | B;
    case Op.AMOMIN_W:
    case Op.AMOMIN_D:
      return sA < sB ? sA : sB;
    case Op.AMOMAX_W:
    case Op.AMOMAX_D:
      return sA > sB ? sA : sB;
    case Op.AMOMINU_W:
    case Op.AMOMINU_D:
      return uA < uB ? uA : uB;
    case Op.AMOMAXU_W:
    case Op.AMOMAXU_D:
    default:
      return uA > uB ? uA : uB;
  }
}
