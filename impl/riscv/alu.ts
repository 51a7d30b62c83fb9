/**
 * The M extension on 64-bit values held as (lo, hi) Int32 halves. Multiplication and division are
 * rare next to the base ISA, so they go through BigInt; results follow the spec's division-by-zero
 * and overflow rules ("M" Extension, Table "Semantics for division by zero and division overflow").
 */
import { Op } from "./opcodes.ts";
import { vaOf, writePair } from "./regPair.ts";

const M64 = (1n << 64n) - 1n;
const toS64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/**
 * MUL without BigInt (the hot one: LCGs, hashing, indexing): the low 64 bits of the product are
 * lo = al·bl mod 2^32 and hi = mulhu32(al, bl) + al·bh + ah·bl mod 2^32.
 */
export function mul64(x: Int32Array, d: number, a: number, b: number): void {
  const al = x[a],
    bl = x[b];
  const a0 = al & 0xffff,
    a1 = al >>> 16,
    b0 = bl & 0xffff,
    b1 = bl >>> 16;
  const p00 = a0 * b0,
    p01 = a0 * b1,
    p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const mulhu = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16); // < 2^32: exact
  const hi = (mulhu + Math.imul(al, x[b + 1]) + Math.imul(x[a + 1], bl)) | 0;
  x[d] = Math.imul(al, bl);
  x[d + 1] = hi;
}

/** Compute M-extension `op` of (aLo,aHi),(bLo,bHi) into x[d], x[d+1]. */
export function mulDiv(op: number, x: Int32Array, d: number, a: number, b: number): void {
  const al = x[a],
    ah = x[a + 1],
    bl = x[b],
    bh = x[b + 1];
  let r: bigint;
  switch (op) {
    case Op.MUL:
      r = toS64(al, ah) * toS64(bl, bh);
      break;
    case Op.MULH:
      r = (toS64(al, ah) * toS64(bl, bh)) >> 64n;
      break;
    case Op.MULHSU:
      r = (toS64(al, ah) * vaOf(bl, bh)) >> 64n;
      break;
    case Op.MULHU:
      r = (vaOf(al, ah) * vaOf(bl, bh)) >> 64n;
      break;
    case Op.DIV: {
      const n = toS64(al, ah),
        m = toS64(bl, bh);
      r = m === 0n ? -1n : n === -(1n << 63n) && m === -1n ? n : n / m;
      break;
    }
    case Op.DIVU: {
      const m = vaOf(bl, bh);
      r = m === 0n ? M64 : vaOf(al, ah) / m;
      break;
    }
    case Op.REM: {
      const n = toS64(al, ah),
        m = toS64(bl, bh);
      r = m === 0n ? n : n === -(1n << 63n) && m === -1n ? 0n : n % m;
      break;
    }
    case Op.REMU: {
      const n = vaOf(al, ah),
        m = vaOf(bl, bh);
      r = m === 0n ? n : n % m;
      break;
    }
    case Op.MULW:
      r = s32(BigInt(Math.imul(al, bl)));
      break;
    case Op.DIVW: {
      const n = BigInt(al),
        m = BigInt(bl);
      r = m === 0n ? -1n : n === -(1n << 31n) && m === -1n ? n : s32(n / m);
      break;
    }
    case Op.DIVUW: {
      const n = BigInt(al >>> 0),
        m = BigInt(bl >>> 0);
      r = m === 0n ? -1n : s32(n / m);
      break;
    }
    case Op.REMW: {
      const n = BigInt(al),
        m = BigInt(bl);
      r = m === 0n ? n : n === -(1n << 31n) && m === -1n ? 0n : s32(n % m);
      break;
    }
    default: {
      // REMUW
      const n = BigInt(al >>> 0),
        m = BigInt(bl >>> 0);
      r = s32(m === 0n ? n : n % m);
      break;
    }
  }
  writePair(x, d, r);
}

/** x[d] ← (lo, hi) << s, 0 ≤ s < 64 */
export function shl(x: Int32Array, d: number, lo: number, hi: number, s: number): void {
  if (s === 0) {
    x[d] = lo;
    x[d + 1] = hi;
  } else if (s < 32) {
    x[d + 1] = (hi << s) | (lo >>> (32 - s));
    x[d] = lo << s;
  } else {
    x[d + 1] = lo << (s - 32);
    x[d] = 0;
  }
}

/** x[d] ← (lo, hi) >> s (arithmetic when `arith`), 0 ≤ s < 64 */
export function shr(x: Int32Array, d: number, lo: number, hi: number, s: number, arith: boolean): void {
  if (s === 0) {
    x[d] = lo;
    x[d + 1] = hi;
  } else if (s < 32) {
    x[d] = (lo >>> s) | (hi << (32 - s));
    x[d + 1] = arith ? hi >> s : (hi >>> s) | 0;
  } else {
    x[d] = arith ? hi >> (s - 32) : (hi >>> (s - 32)) | 0;
    x[d + 1] = arith ? hi >> 31 : 0;
  }
}
