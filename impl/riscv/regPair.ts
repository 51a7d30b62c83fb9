/** 64-bit register values as pairs of Int32 halves (x[r] low, x[r+1] high) ⇄ bigint. */

/** Unsigned 64-bit value of the pair at slot r. */
export function readPair(x: Int32Array, r: number): bigint {
  return BigInt.asUintN(64, (BigInt(x[r + 1]) << 32n) | BigInt(x[r] >>> 0));
}

/** Store v (any sign; taken mod 2^64) into the pair at slot d. */
export function writePair(x: Int32Array, d: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  x[d] = Number(u & 0xffffffffn) | 0;
  x[d + 1] = Number(u >> 32n) | 0;
}

/** A virtual address (lo, hi) as an unsigned bigint. */
export function vaOf(lo: number, hi: number): bigint {
  return BigInt.asUintN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
}
