/**
 * The monitor's randomness (OCALL_GETRANDOM, PGL §2.3, §5.5): a deterministic CSPRNG — the AES-256-CTR
 * keystream of a key and IV derived from the run's seed — replacing the original's LCG
 * (seed 12345, seed = 9·seed + 7 mod 2^20; PGL §9.6, M37). Deterministic, so a run replays from its seed.
 */
import { createCipheriv, type Cipher } from "node:crypto";
import { deriveFromSeed, type Seed } from "./seed.ts";

/** Most bytes one {@link Csprng.fill} call returns; callers bound requests below it (SP-2). */
export const MAX_FILL = 1 << 20;

/** A seeded keystream generator: the same seed and stream label give the same bytes, in the same order. */
export class Csprng {
  private readonly cipher: Cipher;
  private drawn = 0;

  /**
   * A generator for `seed`; `stream` separates independent streams of one run (default the getrandom
   * stream). Key and IV are HKDF-SHA256(seed, info = "penglai-csprng:" + stream), 32 + 16 bytes.
   */
  constructor(seed: Seed, stream = "getrandom") {
    const okm = deriveFromSeed(seed, `penglai-csprng:${stream}`, 48);
    this.cipher = createCipheriv("aes-256-ctr", okm.subarray(0, 32), okm.subarray(32, 48));
  }

  /** The next `n` bytes of the stream. Throws a RangeError unless `n` is an integer in [0, MAX_FILL]. */
  fill(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || n > MAX_FILL) throw new RangeError(`fill(${n}): size not in [0, ${MAX_FILL}]`);
    this.drawn += n;
    return new Uint8Array(this.cipher.update(new Uint8Array(n)));
  }

  /** Bytes drawn so far: with the seed, the whole state of the generator (for traces and replay). */
  get position(): number {
    return this.drawn;
  }
}
