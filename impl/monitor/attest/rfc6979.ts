/**
 * Deterministic signature nonces, RFC 6979 §3.2 (HMAC-DRBG keyed by the private key and the digest).
 * The original SM2 signer used an effectively fixed k (PGL §5.2, §9.6), so two signatures revealed the
 * private key; a nonce derived from (key, digest) is secret, differs for different digests, and keeps runs
 * replayable (M37).
 */
import { createHmac } from "node:crypto";
import { bigintToBytes, bytesToBigint, concatBytes } from "./bytes.ts";

/**
 * The candidate nonces of RFC 6979 §3.2 for group order `q`, private key `x` and message digest `h1`,
 * in order: the first is the nonce to use, the next ones are what §3.2 step h.3 yields if a signer must
 * retry. Every candidate lies in [1, q−1]. `hash` names the HMAC hash (Node's name, default "sha256").
 */
export function* rfc6979Nonces(q: bigint, x: bigint, h1: Uint8Array, hash = "sha256"): Generator<bigint, never> {
  if (q < 2n) throw new RangeError("the group order must be at least 2");
  if (x < 1n || x >= q) throw new RangeError("the private key must lie in [1, q-1]");
  const qlen = q.toString(2).length;
  const rlen = Math.ceil(qlen / 8);
  const bits2int = (b: Uint8Array): bigint => {
    const v = bytesToBigint(b);
    const blen = 8 * b.length;
    return blen > qlen ? v >> BigInt(blen - qlen) : v;
  };
  const int2octets = (v: bigint): Uint8Array => bigintToBytes(v, rlen);
  const bits2octets = (b: Uint8Array): Uint8Array => int2octets(bits2int(b) % q);
  const hmac = (key: Uint8Array, ...data: Uint8Array[]): Uint8Array =>
    new Uint8Array(
      createHmac(hash, key)
        .update(concatBytes(...data))
        .digest(),
    );

  const hlen = hmac(new Uint8Array(0)).length;
  let V: Uint8Array = new Uint8Array(hlen).fill(0x01); // step b
  let K: Uint8Array = new Uint8Array(hlen).fill(0x00); // step c
  const seedMaterial = concatBytes(int2octets(x), bits2octets(h1));
  K = hmac(K, V, Uint8Array.of(0x00), seedMaterial); // step d
  V = hmac(K, V); // step e
  K = hmac(K, V, Uint8Array.of(0x01), seedMaterial); // step f
  V = hmac(K, V); // step g
  for (;;) {
    // step h
    let T: Uint8Array = new Uint8Array(0);
    while (T.length * 8 < qlen) {
      V = hmac(K, V);
      T = concatBytes(T, V);
    }
    const k = bits2int(T);
    if (k >= 1n && k < q) yield k;
    K = hmac(K, V, Uint8Array.of(0x00));
    V = hmac(K, V);
  }
}
