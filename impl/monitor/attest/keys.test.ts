import fc from "fast-check";
import smCrypto from "sm-crypto";
import { sm2 } from "sm-crypto-v2";
import { describe, expect, it } from "vitest";
import { bytesToBigint, fromHex, toHex } from "./bytes.ts";
import { deriveKeyPair, KEY_LABELS, publicKeyOf, SM2_ORDER, sm2Sign, sm2Verify } from "./keys.ts";
import { rfc6979Nonces } from "./rfc6979.ts";
import { sm3 } from "./sm3.ts";

const n = SM2_ORDER;
const mod = (a: bigint) => ((a % n) + n) % n;
function inv(a: bigint): bigint {
  // Fermat: n is prime
  let r = 1n,
    b = mod(a),
    e = n - 2n;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % n;
    b = (b * b) % n;
    e >>= 1n;
  }
  return r;
}
const rs = (sig: Uint8Array) => ({ r: bytesToBigint(sig.subarray(0, 32)), s: bytesToBigint(sig.subarray(32)) });
/** The nonce k of a signature, given the private key: s(1+d) = k − r·d  ⇒  k = s(1+d) + r·d (mod n). */
const nonceOf = (sig: Uint8Array, d: bigint) => {
  const { r, s } = rs(sig);
  return mod(s * (1n + d) + r * d);
};
const digestOf = (s: string) => sm3(new TextEncoder().encode(s));

// GM/T 0003.5-2012 example on the recommended curve (published vector)
const GM_D = fromHex("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8");
const GM_PUB = fromHex(
  "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020" +
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13",
);
const GM_K = "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21";
const GM_R = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3";
const GM_S = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa";

describe("SM2 keys from the seed (PGL §5.2, AT-5, M37)", () => {
  it("the public key of the GM/T 0003.5 example private key is the published one", () => {
    expect(publicKeyOf(GM_D)).toEqual(GM_PUB);
  });

  it("is stable for one seed and differs across seeds and labels", () => {
    const a = deriveKeyPair("run-1", KEY_LABELS.sm);
    expect(deriveKeyPair("run-1", KEY_LABELS.sm)).toEqual(a);
    expect(deriveKeyPair("run-1", KEY_LABELS.device).privateKey).not.toEqual(a.privateKey);
    expect(deriveKeyPair(1n, KEY_LABELS.sm).privateKey).not.toEqual(deriveKeyPair(2n, KEY_LABELS.sm).privateKey);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), (s1, s2) => {
        fc.pre(toHex(s1) !== toHex(s2));
        const k1 = deriveKeyPair(s1, KEY_LABELS.sm);
        const k2 = deriveKeyPair(s2, KEY_LABELS.sm);
        expect(k1.privateKey).not.toEqual(k2.privateKey);
        expect(k1.publicKey).not.toEqual(k2.publicKey);
        const d = bytesToBigint(k1.privateKey);
        expect(d >= 1n && d <= n - 2n).toBe(true);
        expect(publicKeyOf(k1.privateKey)).toEqual(k1.publicKey);
      }),
      { numRuns: 30 },
    );
  });

  it("rejects private keys outside [1, n−2]", () => {
    expect(() => publicKeyOf(new Uint8Array(32))).toThrow(RangeError);
    expect(() => publicKeyOf(fromHex((n - 1n).toString(16)))).toThrow(RangeError);
    expect(() => publicKeyOf(new Uint8Array(31).fill(1))).toThrow(RangeError);
  });
});

describe("SM2 raw-digest signatures (PGL §5.2)", () => {
  const key = deriveKeyPair("sign-test", KEY_LABELS.sm);

  it("verifies the GM/T 0003.5 example when e = SM3(Z_A ‖ M) is passed as the raw digest", () => {
    const msg = toHex(new TextEncoder().encode("message digest"));
    const e = fromHex(sm2.getHash(msg, "04" + toHex(GM_PUB), "1234567812345678"));
    const k = BigInt("0x" + GM_K);
    const x1 = BigInt("0x" + sm2.getPublicKeyFromPrivateKey(GM_K).slice(2, 66));
    const sig = sm2.doSignature(e, toHex(GM_D), { hash: false, pointPool: [{ k, x1 }] });
    expect(sig).toBe(GM_R + GM_S);
    expect(sm2Verify(GM_PUB, e, fromHex(sig))).toBe(true);
  });

  it("property: a signature verifies with the public key and fails on any flipped bit", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat(64 * 8 - 1),
        fc.nat(32 * 8 - 1),
        (digest, sigBit, digBit) => {
          const sig = sm2Sign(key.privateKey, digest);
          expect(sig.length).toBe(64);
          expect(sm2Verify(key.publicKey, digest, sig)).toBe(true);
          const badSig = sig.slice();
          badSig[sigBit >> 3] ^= 1 << (sigBit & 7);
          expect(sm2Verify(key.publicKey, digest, badSig)).toBe(false);
          const badDigest = digest.slice();
          badDigest[digBit >> 3] ^= 1 << (digBit & 7);
          expect(sm2Verify(key.publicKey, badDigest, sig)).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("fails under another key and for malformed inputs, without throwing", () => {
    const digest = digestOf("report");
    const sig = sm2Sign(key.privateKey, digest);
    expect(sm2Verify(deriveKeyPair("other", KEY_LABELS.sm).publicKey, digest, sig)).toBe(false);
    expect(sm2Verify(key.publicKey, digest, new Uint8Array(64))).toBe(false); // r = s = 0
    expect(sm2Verify(key.publicKey, digest, new Uint8Array(64).fill(0xff))).toBe(false); // r, s ≥ n
    expect(sm2Verify(new Uint8Array(64).fill(7), digest, sig)).toBe(false); // not on the curve
    expect(sm2Verify(key.publicKey, digest.subarray(1), sig)).toBe(false);
    expect(() => sm2Sign(key.privateKey, new Uint8Array(33))).toThrow(RangeError);
  });

  it("interoperates with sm-crypto in raw-digest mode, both ways", () => {
    const digest = digestOf("interop");
    const ours = sm2Sign(key.privateKey, digest);
    const pubHex = "04" + toHex(key.publicKey);
    expect(smCrypto.sm2.doVerifySignature(Array.from(digest), toHex(ours), pubHex, { hash: false })).toBe(true);
    expect(smCrypto.sm2.doVerifySignature(Array.from(digest), toHex(ours), pubHex, { hash: true })).toBe(false);
    const theirs = smCrypto.sm2.doSignature(Array.from(digest), toHex(key.privateKey), { hash: false });
    expect(sm2Verify(key.publicKey, digest, fromHex(theirs))).toBe(true);
  });

  it("uses the RFC 6979 nonce: the same digest replays, different digests use different k", () => {
    const d = bytesToBigint(key.privateKey);
    const [m1, m2] = [digestOf("one"), digestOf("two")];
    const s1 = sm2Sign(key.privateKey, m1);
    const s2 = sm2Sign(key.privateKey, m2);
    expect(sm2Sign(key.privateKey, m1)).toEqual(s1);
    const [k1, k2] = [nonceOf(s1, d), nonceOf(s2, d)];
    expect(k1).toBe(rfc6979Nonces(n, d, m1).next().value);
    expect(k2).toBe(rfc6979Nonces(n, d, m2).next().value);
    expect(k1).not.toBe(k2);
    // the fixed-k attack of PGL §5.2 (same k ⇒ d = (s2 − s1) / (s1 − s2 + r1 − r2)) recovers nothing
    const a = rs(s1),
      b = rs(s2);
    const recovered = mod((b.s - a.s) * inv(a.s - b.s + a.r - b.r));
    expect(recovered).not.toBe(d);
  });

  it("a remembered signature is the caller's own copy and equals a fresh one under another key", () => {
    const m = digestOf("remembered");
    const first = sm2Sign(key.privateKey, m);
    const kept = first.slice();
    first.fill(0); // a caller scribbling on its copy changes nothing remembered
    expect(sm2Sign(key.privateKey, m)).toEqual(kept);
    const other = deriveKeyPair("another seed", KEY_LABELS.sm);
    const theirs = sm2Sign(other.privateKey, m);
    expect(theirs).not.toEqual(kept);
    expect(sm2Verify(other.publicKey, m, theirs)).toBe(true);
    expect(sm2Verify(key.publicKey, m, theirs)).toBe(false);
  });

  it("the fixed-k attack does recover the key when k repeats (why the nonce matters)", () => {
    const d = bytesToBigint(key.privateKey);
    const k = 0x11223344n; // the original's effective nonce (PGL §5.2 OBSERVED)
    const x1 = BigInt("0x" + sm2.getPublicKeyFromPrivateKey(k.toString(16).padStart(64, "0")).slice(2, 66));
    const sign = (m: Uint8Array) => fromHex(sm2.doSignature(m, toHex(key.privateKey), { hash: false, pointPool: [{ k, x1 }] }));
    const a = rs(sign(digestOf("one"))),
      b = rs(sign(digestOf("two")));
    expect(mod((b.s - a.s) * inv(a.s - b.s + a.r - b.r))).toBe(d);
  });
});
