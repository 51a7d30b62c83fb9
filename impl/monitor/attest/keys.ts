/**
 * SM2 keys and signatures of the monitor (PGL §5.2). The curve arithmetic and the signing equation are
 * `sm-crypto-v2`'s (toolchain.md), never hand-written; this file derives keys from the run's seed and
 * chooses the nonce.
 *
 * Raw-digest mode, as Penglai: the 32-byte digest is used directly as e. There is no Z_A / SM3(Z_A ‖ M)
 * preprocessing of GB/T 32918.2 (sm-crypto's `hash: false`), so a verifier must use the same mode.
 */
import { sm2 } from "sm-crypto-v2";
import { bigintToBytes, bytesToBigint, concatBytes, fromHex, toHex } from "./bytes.ts";
import { PUBLIC_KEY_SIZE, SIGNATURE_SIZE } from "./report.ts";
import { rfc6979Nonces } from "./rfc6979.ts";
import { deriveFromSeed, type Seed } from "./seed.ts";
import { HASH_SIZE } from "./sm3.ts";
import { Remembered } from "../../remembered.ts";

/** Bytes of an SM2 private key (SDK attest.h: PRIVATE_KEY_SIZE). */
export const PRIVATE_KEY_SIZE = 32;

/** Order n of the base point of sm2p256v1 (GB/T 32918.5 curve parameter). */
export const SM2_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/** An SM2 key pair: private key 32 bytes big-endian, public key x ‖ y (64 bytes, as in `report_t`). */
export interface Sm2KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** HKDF `info` labels of the two signing keys (PGL §5.2: SM_PRI_KEY, DEV_PRI_KEY). */
export const KEY_LABELS = { sm: "penglai-sm-key", device: "penglai-device-key" } as const;

/** Most RFC 6979 candidates one signature tries (each retry has probability about 2^-256). */
const NONCE_CANDIDATES = 4;

/**
 * The key pair labelled `label` of the run seeded by `seed`: private key d = (v mod (n−2)) + 1 where v is
 * 48 bytes of HKDF-SHA256(seed, info = label) — 128 bits more than n, so the bias is negligible. The range
 * is [1, n−2], not [1, n−1]: SM2 signing inverts 1 + d (GB/T 32918.1). Replaces the constant keys of the
 * original firmware blob (PGL §5.2, §9.6; AT-5).
 */
export function deriveKeyPair(seed: Seed, label: string): Sm2KeyPair {
  const v = bytesToBigint(deriveFromSeed(seed, label, 48));
  const d = (v % (SM2_ORDER - 2n)) + 1n;
  const privateKey = bigintToBytes(d, PRIVATE_KEY_SIZE);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

/** The public key x ‖ y (64 bytes) of a 32-byte private key in [1, n−2]; throws a RangeError otherwise. */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  const d = checkPrivateKey(privateKey);
  return pointOf(d);
}

/**
 * The SM2 signature r ‖ s (64 bytes, `signature_t`) of the 32-byte `digest` under `privateKey`, raw-digest
 * mode (e = digest, no Z_A). The nonce k is the RFC 6979 §3.2 HMAC-SHA256 nonce of (d, digest) over the SM2
 * order: secret, different for different digests, and the same on replay — never the original's fixed k
 * (PGL §5.2, §9.6; M37).
 */
export function sm2Sign(privateKey: Uint8Array, digest: Uint8Array): Uint8Array {
  const d = checkPrivateKey(privateKey);
  checkDigest(digest);
  return signed.get(toHex(privateKey) + toHex(digest), () => signWithNonces(d, privateKey, digest)).slice();
}

/**
 * Signatures already made, by private key ‖ digest: the signature is a function of the two (RFC 6979
 * nonce), and a checker re-attests the same enclaves with the same keys and nonces again and again
 * (~80% of the signatures of bench:explore), at ~450 µs of curve arithmetic each.
 */
const signed = new Remembered<Uint8Array>(1024);

/** `sm2Sign` without the memo. */
function signWithNonces(d: bigint, privateKey: Uint8Array, digest: Uint8Array): Uint8Array {
  const candidates = rfc6979Nonces(SM2_ORDER, d, digest);
  const pool: { k: bigint; x1: bigint }[] = [];
  // RFC 6979 §3.2 h.3: a retry takes the next candidate. sm-crypto-v2 retries (r = 0, r + k = n, s = 0 —
  // probability about 2^-256 each) by popping the next point of `pointPool`, and falls back to its own
  // random nonce once the pool is empty; so sign with one candidate, check which k was used, and only if
  // it was not ours sign again with one more candidate in the pool.
  while (pool.length < NONCE_CANDIDATES) {
    const k = candidates.next().value;
    pool.push({ k, x1: bytesToBigint(pointOf(k).subarray(0, 32)) });
    // the package pops from the end: first candidate last
    const sig = fromHex(
      sm2.doSignature(digest, toHex(privateKey), { hash: false, der: false, pointPool: pool.slice().reverse() }),
    );
    const used = nonceOf(sig, d);
    if (pool.some((p) => p.k === used)) return sig;
  }
  throw new Error("SM2 signing found no usable RFC 6979 nonce");
}

/** The nonce of a signature made with private key d: s·(1 + d) = k − r·d (GB/T 32918.2 §6.1 A6), so k = s·(1 + d) + r·d mod n. */
function nonceOf(sig: Uint8Array, d: bigint): bigint {
  const r = bytesToBigint(sig.subarray(0, 32));
  const s = bytesToBigint(sig.subarray(32));
  return (s * (1n + d) + r * d) % SM2_ORDER;
}

/**
 * True iff `signature` (r ‖ s) is a valid raw-digest SM2 signature of `digest` under `publicKey` (x ‖ y).
 * Malformed inputs (wrong lengths, r or s outside [1, n−1], a public key off the curve) give false, never
 * an exception.
 */
export function sm2Verify(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_SIZE || digest.length !== HASH_SIZE || signature.length !== SIGNATURE_SIZE) {
    return false;
  }
  // GB/T 32918.2 §7.1 B1–B2: r, s ∈ [1, n−1]
  const r = bytesToBigint(signature.subarray(0, 32));
  const s = bytesToBigint(signature.subarray(32));
  if (r < 1n || r >= SM2_ORDER || s < 1n || s >= SM2_ORDER) return false;
  try {
    return sm2.doVerifySignature(digest, toHex(signature), "04" + toHex(publicKey), { hash: false, der: false });
  } catch {
    return false; // not a point of the curve
  }
}

/** The uncompressed point d·G as x ‖ y, from the package (1 ≤ d ≤ n−1). */
function pointOf(d: bigint): Uint8Array {
  const hex = sm2.getPublicKeyFromPrivateKey(toHex(bigintToBytes(d, PRIVATE_KEY_SIZE)));
  const point = fromHex(hex);
  if (point.length !== 1 + PUBLIC_KEY_SIZE || point[0] !== 0x04) throw new Error("unexpected public-key encoding");
  return concatBytes(point.subarray(1));
}

function checkPrivateKey(privateKey: Uint8Array): bigint {
  if (privateKey.length !== PRIVATE_KEY_SIZE) throw new RangeError(`an SM2 private key has ${PRIVATE_KEY_SIZE} bytes`);
  const d = bytesToBigint(privateKey);
  if (d < 1n || d > SM2_ORDER - 2n) throw new RangeError("an SM2 private key lies in [1, n-2]");
  return d;
}

function checkDigest(digest: Uint8Array): void {
  if (digest.length !== HASH_SIZE) throw new RangeError(`Penglai signs ${HASH_SIZE}-byte digests, got ${digest.length}`);
}
