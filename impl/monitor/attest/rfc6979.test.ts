import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rfc6979Nonces } from "./rfc6979.ts";

// RFC 6979 appendix A.2.5 (ECDSA, NIST P-256, SHA-256): published test vectors
const P256_Q = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_X = 0xc9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721n;
const sha256 = (s: string) => new Uint8Array(createHash("sha256").update(s).digest());

describe("rfc6979Nonces (RFC 6979 §3.2)", () => {
  it("reproduces the RFC 6979 A.2.5 nonces for 'sample' and 'test'", () => {
    expect(rfc6979Nonces(P256_Q, P256_X, sha256("sample")).next().value).toBe(
      0xa6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60n,
    );
    expect(rfc6979Nonces(P256_Q, P256_X, sha256("test")).next().value).toBe(
      0xd16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0n,
    );
  });

  it("yields distinct in-range retry candidates, the same for the same inputs", () => {
    const take = (n: number) => {
      const g = rfc6979Nonces(P256_Q, P256_X, sha256("sample"));
      return Array.from({ length: n }, () => g.next().value);
    };
    const ks = take(5);
    expect(new Set(ks).size).toBe(5);
    for (const k of ks) expect(k >= 1n && k < P256_Q).toBe(true);
    expect(take(5)).toEqual(ks);
  });

  it("rejects a private key outside [1, q-1]", () => {
    expect(() => rfc6979Nonces(P256_Q, 0n, sha256("x")).next()).toThrow(RangeError);
    expect(() => rfc6979Nonces(P256_Q, P256_Q, sha256("x")).next()).toThrow(RangeError);
  });
});
