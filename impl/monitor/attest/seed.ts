/**
 * The configurable per-run seed every monitor secret is derived from (design.md: "keys derived from a
 * configurable seed", replacing the hard-coded keys and LCG of PGL §5.4–§5.5, §9.6; AT-5, M37).
 */
import { hkdfSync } from "node:crypto";
import { u64le } from "./bytes.ts";
import { Remembered } from "../../remembered.ts";

/** A run's seed as configured: raw bytes, a string, or a non-negative integer. */
export type Seed = Uint8Array | string | number | bigint;

const TAG_BYTES = 1;
const TAG_STRING = 2;
const TAG_INTEGER = 3;

/**
 * The canonical bytes of `seed`: a type tag, then the bytes, the UTF-8 of the string, or the integer as
 * 8 bytes little-endian. Throws a RangeError for an empty byte or string seed and for an integer that is
 * negative, fractional or wider than 64 bits.
 */
export function seedBytes(seed: Seed): Uint8Array {
  if (seed instanceof Uint8Array) {
    if (seed.length === 0) throw new RangeError("the seed is empty");
    return Uint8Array.of(TAG_BYTES, ...seed);
  }
  if (typeof seed === "string") {
    if (seed.length === 0) throw new RangeError("the seed is empty");
    return Uint8Array.of(TAG_STRING, ...new TextEncoder().encode(seed));
  }
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) throw new RangeError(`seed ${seed} is not a safe integer`);
  const v = BigInt(seed);
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`seed ${v} is not a u64`);
  return Uint8Array.of(TAG_INTEGER, ...u64le(v));
}

/**
 * `len` bytes of HKDF-SHA256(IKM = seed, salt = empty, info = `info`) (RFC 5869). Every secret of the
 * monitor comes from here with its own `info` label, so secrets are independent of each other and
 * differ across seeds.
 */
export function deriveFromSeed(seed: Seed, info: string, len: number): Uint8Array {
  // a pure function of its arguments, remembered: every boot of a checker run derives the same secrets
  return derived
    .get(
      `${seedKey(seed)}|${info}|${len}`,
      () => new Uint8Array(hkdfSync("sha256", seedBytes(seed), new Uint8Array(0), info, len)),
    )
    .slice();
}
const derived = new Remembered<Uint8Array>(256);

/** A string that identifies `seed` (as {@link seedBytes} does), for remembering what was derived from it. */
export function seedKey(seed: Seed): string {
  return seed instanceof Uint8Array ? `bytes:${Buffer.from(seed).toString("hex")}` : `${typeof seed}:${String(seed)}`;
}
