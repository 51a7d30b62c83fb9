import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyType } from "../../../model/abi.ts";
import { AttestError } from "./errors.ts";
import { deriveSealingKey, MAX_SEALING_KEY_SIZE, sealingRootKey } from "./sealing.ts";
import { sm3 } from "./sm3.ts";

const meas = (s: string) => sm3(new TextEncoder().encode(s));

describe("sealing keys (PGL §5.4, AT-5)", () => {
  const root = sealingRootKey("seal-run");

  it("is stable for one (seed, measurement, type, size)", () => {
    expect(deriveSealingKey(sealingRootKey("seal-run"), meas("a"), KeyType.ENCLAVE_KEY, 32)).toEqual(
      deriveSealingKey(root, meas("a"), KeyType.ENCLAVE_KEY, 32),
    );
  });

  it("property: differs between measurements, key types and seeds", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (m1, m2) => {
        const e1 = deriveSealingKey(root, m1, KeyType.ENCLAVE_KEY, 32);
        expect(deriveSealingKey(root, m1, KeyType.STORAGE_KEY, 32)).not.toEqual(e1);
        expect(deriveSealingKey(sealingRootKey("other-run"), m1, KeyType.ENCLAVE_KEY, 32)).not.toEqual(e1);
        if (m1.some((v, i) => v !== m2[i])) expect(deriveSealingKey(root, m2, KeyType.ENCLAVE_KEY, 32)).not.toEqual(e1);
      }),
    );
  });

  it("a shorter key is a prefix of a longer one of the same type (HKDF), and sizes are bounded", () => {
    const long = deriveSealingKey(root, meas("a"), KeyType.STORAGE_KEY, MAX_SEALING_KEY_SIZE);
    expect(long.length).toBe(MAX_SEALING_KEY_SIZE);
    expect(deriveSealingKey(root, meas("a"), KeyType.STORAGE_KEY, 16)).toEqual(long.subarray(0, 16));
    for (const size of [0, -1, 1.5, MAX_SEALING_KEY_SIZE + 1, 2 ** 31]) {
      expect(() => deriveSealingKey(root, meas("a"), KeyType.ENCLAVE_KEY, size)).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });

  it("refuses ATTEST_KEY and unknown key types with INVALID_KEY_TYPE", () => {
    for (const t of [KeyType.ATTEST_KEY, 3, -1]) {
      let err: unknown;
      try {
        deriveSealingKey(root, meas("a"), t, 32);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AttestError);
      expect((err as AttestError).code).toBe("INVALID_KEY_TYPE");
    }
  });

  it("rejects a root or measurement of the wrong length", () => {
    expect(() => deriveSealingKey(root.subarray(1), meas("a"), KeyType.ENCLAVE_KEY, 32)).toThrow(RangeError);
    expect(() => deriveSealingKey(root, new Uint8Array(31), KeyType.ENCLAVE_KEY, 32)).toThrow(RangeError);
  });
});
