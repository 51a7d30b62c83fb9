/**
 * The monitor's randomness (OCALL_GETRANDOM, PGL §2.3, §5.5): a deterministic CSPRNG — the AES-256-CTR
 * keystream of a key and IV derived from the run's seed — replacing the original's LCG
 * (seed 12345, seed = 9·seed + 7 mod 2^20; PGL §9.6, M37). Deterministic, so a run replays from its seed.
 */
import { createCipheriv, type Cipher } from "node:crypto";
import { bigintToBytes, bytesToBigint } from "./bytes.ts";
import { deriveFromSeed, type Seed } from "./seed.ts";

/** Most bytes one {@link Csprng.fill} call returns; callers bound requests below it (SP-2). */
export const MAX_FILL = 1 << 20;

/** A seeded keystream generator: the same seed and stream label give the same bytes, in the same order. */
export class Csprng {
  private readonly seed: Seed;
  private readonly stream: string;
  /** Made at the first draw (most runs of the checker never draw: a key derivation per boot was waste). */
  private cipher: Cipher | undefined;
  private drawn: number;

  /**
   * The generator of `seed` and `stream` (independent streams of one run; default the getrandom stream)
   * that has already drawn `position` bytes (default 0). Key and IV are HKDF-SHA256(seed, info =
   * "penglai-csprng:" + stream), 32 + 16 bytes. A later position costs nothing to reach: CTR mode starts
   * the counter block at IV + ⌊position / 16⌋ (Node increments the whole 128-bit IV, big-endian) and skips
   * position mod 16 bytes — for checkpoints and branching exploration.
   */
  constructor(seed: Seed, stream = "getrandom", position = 0) {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`bad position ${position}`);
    this.seed = seed;
    this.stream = stream;
    this.drawn = position;
  }

  /** The AES-CTR keystream positioned at the bytes drawn so far. */
  private keystream(): Cipher {
    const okm = deriveFromSeed(this.seed, `penglai-csprng:${this.stream}`, 48);
    const iv = (bytesToBigint(okm.subarray(32, 48)) + BigInt(Math.floor(this.drawn / 16))) % (1n << 128n);
    const cipher = createCipheriv("aes-256-ctr", okm.subarray(0, 32), bigintToBytes(iv, 16));
    cipher.update(new Uint8Array(this.drawn % 16));
    return cipher;
  }

  /** The next `n` bytes of the stream. Throws a RangeError unless `n` is an integer in [0, MAX_FILL]. */
  fill(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || n > MAX_FILL) throw new RangeError(`fill(${n}): size not in [0, ${MAX_FILL}]`);
    this.cipher ??= this.keystream();
    this.drawn += n;
    return new Uint8Array(this.cipher.update(new Uint8Array(n)));
  }

  /** Bytes drawn so far: with the seed and stream, the whole state of the generator (for traces and replay). */
  get position(): number {
    return this.drawn;
  }

  /** An independent generator in the same state: both go on to produce the same bytes. */
  clone(): Csprng {
    return new Csprng(this.seed, this.stream, this.drawn);
  }
}
