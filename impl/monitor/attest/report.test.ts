import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeReport, encodeReport, REPORT_OFFSETS, REPORT_SIZE, type Report } from "./report.ts";

const b = (len: number) => fc.uint8Array({ minLength: len, maxLength: len });
const arbReport: fc.Arbitrary<Report> = fc.record({
  sm: fc.record({ hash: b(32), signature: b(64), pubKey: b(64) }),
  enclave: fc.record({ hash: b(32), signature: b(64), nonce: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
  devPubKey: b(64),
});

describe("report_t (PGL §5.2)", () => {
  it("property: decode(encode(r)) = r and encode(decode(raw)) = raw", () => {
    fc.assert(
      fc.property(arbReport, (r) => {
        const raw = encodeReport(r);
        expect(raw.length).toBe(REPORT_SIZE);
        expect(decodeReport(raw)).toEqual(r);
      }),
    );
    fc.assert(
      fc.property(b(REPORT_SIZE), (raw) => {
        expect(encodeReport(decodeReport(raw))).toEqual(raw);
      }),
    );
  });

  it("puts each field at its Penglai offset, the nonce little-endian", () => {
    const r: Report = {
      sm: { hash: new Uint8Array(32).fill(1), signature: new Uint8Array(64).fill(2), pubKey: new Uint8Array(64).fill(3) },
      enclave: { hash: new Uint8Array(32).fill(4), signature: new Uint8Array(64).fill(5), nonce: 0x0807060504030201n },
      devPubKey: new Uint8Array(64).fill(6),
    };
    const raw = encodeReport(r);
    expect(REPORT_OFFSETS).toEqual({
      smHash: 0,
      smSignature: 32,
      smPubKey: 96,
      enclaveHash: 160,
      enclaveSignature: 192,
      enclaveNonce: 256,
      devPubKey: 264,
    });
    expect(raw[31]).toBe(1);
    expect(raw[32]).toBe(2);
    expect(raw[96]).toBe(3);
    expect(raw[160]).toBe(4);
    expect(raw[192]).toBe(5);
    expect([...raw.subarray(256, 264)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(raw[264]).toBe(6);
    expect(raw[327]).toBe(6);
  });

  it("rejects fields of the wrong length and raw reports of the wrong size", () => {
    const good = decodeReport(new Uint8Array(REPORT_SIZE));
    expect(() => encodeReport({ ...good, devPubKey: new Uint8Array(65) })).toThrow();
    expect(() => encodeReport({ ...good, sm: { ...good.sm, hash: new Uint8Array(31) } })).toThrow();
    expect(() => encodeReport({ ...good, enclave: { ...good.enclave, nonce: 1n << 64n } })).toThrow();
    expect(() => decodeReport(new Uint8Array(REPORT_SIZE - 1))).toThrow(RangeError);
  });

  it("decodes from a view into a larger buffer and copies its fields", () => {
    const big = new Uint8Array(REPORT_SIZE + 8).fill(9);
    const r = decodeReport(big.subarray(8));
    big.fill(0);
    expect(r.devPubKey[0]).toBe(9);
    expect(r.enclave.nonce).toBe(0x0909090909090909n);
  });
});
