import { describe, expect, it } from "vitest";
import { KeyType } from "../../../model/abi.ts";
import { verifyReport } from "./attestation.ts";
import { measureEnclave, type PhysicalReader } from "./measurement.ts";
import { decodeReport } from "./report.ts";
import { attempt, AttestService } from "./service.ts";

const RAM = 0x8000_0000n;
/** One root table mapping one 4 KiB page through a level-2 and a level-1 table; pages 0–3 of a small RAM. */
function tinyEnclave(): PhysicalReader {
  const bytes = new Uint8Array(4 * 4096);
  const view = new DataView(bytes.buffer);
  const pte = (pa: bigint, flags: bigint) => ((pa >> 12n) << 10n) | flags;
  view.setBigUint64(0, pte(RAM + 0x1000n, 1n), true);
  view.setBigUint64(0x1000, pte(RAM + 0x2000n, 1n), true);
  view.setBigUint64(0x2000 + 8 * 16, pte(RAM + 0x3000n, 0xbn), true);
  bytes.fill(0x5a, 0x3000);
  const off = (pa: bigint, len: number) => {
    const o = Number(pa - RAM);
    if (o < 0 || o + len > bytes.length) throw new RangeError("outside");
    return o;
  };
  return {
    read: (pa, len) => bytes.slice(off(pa, len), off(pa, len) + len),
    read64: (pa) => view.getBigUint64(off(pa, 8), true),
  };
}

describe("AttestService (PGL §5)", () => {
  const svc = new AttestService("service-run");
  const mem = tinyEnclave();

  it("measures, reports and verifies end to end", () => {
    const stored = svc.measure(mem, RAM, 0x10000n);
    expect(stored).toEqual(measureEnclave(mem, RAM, 0x10000n, 0n));
    const host = decodeReport(svc.storedReport(stored, 99n));
    expect(
      verifyReport(host, { devPubKey: svc.identity.device.publicKey, expectedMeasurement: stored, expectedNonce: 99n }).ok,
    ).toBe(true);
    const fresh = decodeReport(svc.currentReport(mem, RAM, 0x10000n, 99n));
    expect(fresh.enclave.hash).toEqual(measureEnclave(mem, RAM, 0x10000n, 99n));
    expect(verifyReport(fresh).ok).toBe(true);
    expect(fresh.enclave.hash).not.toEqual(host.enclave.hash); // PGL §5.3: a re-walk, not SM3(stored ‖ nonce)
  });

  it("is the same for the same seed (runs replay) and differs across seeds", () => {
    const again = new AttestService("service-run");
    const stored = svc.measure(mem, RAM, 0x10000n);
    expect(again.storedReport(stored, 1n)).toEqual(svc.storedReport(stored, 1n));
    expect(again.sealingKey(stored, KeyType.ENCLAVE_KEY, 32)).toEqual(svc.sealingKey(stored, KeyType.ENCLAVE_KEY, 32));
    const other = new AttestService("service-run-2");
    expect(other.sealingKey(stored, KeyType.ENCLAVE_KEY, 32)).not.toEqual(svc.sealingKey(stored, KeyType.ENCLAVE_KEY, 32));
    expect(other.random.fill(16)).not.toEqual(new AttestService("service-run").random.fill(16));
  });

  it("attempt turns refusals into return codes and rethrows monitor bugs", () => {
    const stored = svc.measure(mem, RAM, 0x10000n);
    expect(attempt(() => svc.sealingKey(stored, KeyType.ATTEST_KEY, 32))).toMatchObject({ ok: false, code: "INVALID_KEY_TYPE" });
    expect(attempt(() => svc.sealingKey(stored, KeyType.STORAGE_KEY, 1000))).toMatchObject({
      ok: false,
      code: "INVALID_ARGUMENT",
    });
    expect(attempt(() => svc.measure(mem, RAM + 0x10_0000n, 0n))).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
    expect(attempt(() => svc.sealingKey(stored, KeyType.STORAGE_KEY, 16))).toMatchObject({ ok: true });
    expect(() => attempt(() => svc.storedReport(new Uint8Array(3), 0n))).toThrow(RangeError);
  });
});
