/** 64-bit register values as pairs of Int32 halves (x[r] low, x[r+1] high) ⇄ bigint. */

const TWO32 = 4294967296;
/** 2^53: integers of at most this magnitude are exact as doubles. */
const EXACT = 9007199254740992n;

/** Unsigned 64-bit value of the pair at slot r. */
export function readPair(x: Int32Array, r: number): bigint {
  return vaOf(x[r]!, x[r + 1]!);
}

/** Store v (any sign; taken mod 2^64) into the pair at slot d. */
export function writePair(x: Int32Array, d: number, v: bigint): void {
  x[d] = lowHalf(v);
  x[d + 1] = highHalf(v);
}

/**
 * The 64-bit value (lo, hi) as an unsigned bigint. Below 2^53 (every address, most values) it is
 * converted from one exact double: no intermediate bigints.
 */
export function vaOf(lo: number, hi: number): bigint {
  if (hi >>> 0 < 0x200000) return BigInt((hi >>> 0) * TWO32 + (lo >>> 0));
  return BigInt.asUintN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
}

/** Bits 31..0 of v mod 2^64, as an Int32 (ToInt32 of an exact double is that residue). */
export function lowHalf(v: bigint): number {
  if (v >= -EXACT && v <= EXACT) return Number(v) | 0;
  return Number(BigInt.asUintN(32, v)) | 0;
}

/** Bits 63..32 of v mod 2^64, as an Int32. */
export function highHalf(v: bigint): number {
  if (v >= -EXACT && v <= EXACT) return Math.floor(Number(v) / TWO32) | 0;
  return Number(BigInt.asUintN(32, v >> 32n)) | 0;
}
