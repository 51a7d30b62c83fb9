/**
 * Sealing keys, fid 88 `get_key(key_type, key, key_size)` (PGL §5.4, OS `key.c`): HKDF-SHA256 bound to
 * the enclave's creation-time measurement, so only an enclave with the same measurement gets the same key
 * (AT-5). Departures from the original, each a defect of PGL §9.6 / §9.4: the root key comes from the
 * run's seed, not a constant; `info` names the key type, so ENCLAVE_KEY and STORAGE_KEY differ (the
 * original used an empty info and the same constant for both); the size is bounded.
 */
import { hkdfSync } from "node:crypto";
import { KeyType } from "../../../model/abi.ts";
import { concatBytes } from "./bytes.ts";
import { AttestError } from "./errors.ts";
import { deriveFromSeed, type Seed } from "./seed.ts";
import { HASH_SIZE } from "./sm3.ts";

/** Largest key `get_key` hands out, in bytes (512 bits: a cipher key and a MAC key). Bounds PGL §4.8's unbounded key_size (SP-2). */
export const MAX_SEALING_KEY_SIZE = 64;
/** Bytes of the sealing root key. */
export const SEALING_ROOT_SIZE = 32;

/** The sealing root key of the run seeded by `seed` (PGL §5.4's hard-coded root key, derived instead). */
export function sealingRootKey(seed: Seed): Uint8Array {
  return deriveFromSeed(seed, "penglai-sealing-root", SEALING_ROOT_SIZE);
}

/**
 * The `size`-byte key of type `keyType` for an enclave whose stored measurement is `measurement`:
 * HKDF-SHA256(salt = measurement, IKM = root, info = "penglai-sealing-key" ‖ key type as u32 LE, L = size).
 *
 * Throws an {@link AttestError}: INVALID_KEY_TYPE for ATTEST_KEY (unsupported, as in the original, but
 * refused instead of "success with nothing written") and for unknown types; INVALID_ARGUMENT for a size
 * that is not an integer in [1, {@link MAX_SEALING_KEY_SIZE}]. A root or measurement of the wrong length is
 * a monitor bug and throws a RangeError.
 */
export function deriveSealingKey(root: Uint8Array, measurement: Uint8Array, keyType: number, size: number): Uint8Array {
  if (root.length !== SEALING_ROOT_SIZE) throw new RangeError(`the sealing root has ${SEALING_ROOT_SIZE} bytes`);
  if (measurement.length !== HASH_SIZE) throw new RangeError(`a measurement has ${HASH_SIZE} bytes`);
  if (keyType !== KeyType.ENCLAVE_KEY && keyType !== KeyType.STORAGE_KEY) {
    throw new AttestError("INVALID_KEY_TYPE", `key type ${keyType} is not supported`);
  }
  if (!Number.isInteger(size) || size < 1 || size > MAX_SEALING_KEY_SIZE) {
    throw new AttestError("INVALID_ARGUMENT", `key size ${size} is not in [1, ${MAX_SEALING_KEY_SIZE}]`);
  }
  const info = concatBytes(new TextEncoder().encode("penglai-sealing-key"), u32le(keyType));
  return new Uint8Array(hkdfSync("sha256", root, measurement, info, size));
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}
