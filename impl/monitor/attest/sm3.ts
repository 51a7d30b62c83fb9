import { createHash, type Hash } from "node:crypto";

/** Length of an SM3 digest and of every Penglai hash field (PGL: HASH_SIZE = 32). */
export const HASH_SIZE = 32;

/** A streaming SM3 context from Node's own crypto (toolchain.md: matches the standard vector). */
export function sm3Context(): Hash {
  return createHash("sm3");
}

/** SM3 of the concatenation of `parts` (PGL §5.1: the Penglai hash is SM3). */
export function sm3(...parts: Uint8Array[]): Uint8Array {
  const h = sm3Context();
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
