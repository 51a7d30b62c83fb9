/** Small byte helpers shared by the attestation files (little-endian, as RV64 stores words). */

/** `v` as 8 bytes little-endian (PGL §5.1: entry point, VAs and nonces are absorbed this way). */
export function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return out;
}

/** The concatenation of `parts`, in a new buffer. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Lower-case hex of `b`. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Bytes of an even-length hex string; throws a RangeError on anything else. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`not a hex string: ${hex}`);
  return new Uint8Array(Buffer.from(hex, "hex"));
}

/** Big-endian unsigned integer of `b`. */
export function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt("0x" + toHex(b));
}

/** `v` as `len` bytes big-endian; throws a RangeError if it does not fit. */
export function bigintToBytes(v: bigint, len: number): Uint8Array {
  if (v < 0n || v >= 1n << BigInt(8 * len)) throw new RangeError(`${v} does not fit in ${len} bytes`);
  return len === 0 ? new Uint8Array(0) : fromHex(v.toString(16).padStart(2 * len, "0"));
}

/** True iff `a` and `b` hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
