import { describe, expect, it } from "vitest";
import { buildReport, signReport, verifyReport } from "./attestation.ts";
import { MONITOR_IDENTITY, monitorIdentity, monitorMeasurement } from "./identity.ts";
import { sm2Verify } from "./keys.ts";
import { updateHash } from "./measurement.ts";
import { decodeReport, encodeReport } from "./report.ts";
import { sm3 } from "./sm3.ts";

describe("reports (PGL §5.2, §5.3, AT-2)", () => {
  const id = monitorIdentity("attest-run");
  const stored = sm3(new TextEncoder().encode("an enclave image"));

  it("buildReport signs SM3(stored ‖ nonce) and leaves the stored hash alone", () => {
    const copy = stored.slice();
    const r = buildReport(id, stored, 42n);
    expect(stored).toEqual(copy);
    expect(r.enclave.hash).toEqual(updateHash(stored, 42n));
    expect(r.enclave.nonce).toBe(42n);
    expect(r.sm.pubKey).toEqual(id.sm.publicKey);
    expect(r.devPubKey).toEqual(id.device.publicKey);
    expect(sm2Verify(r.sm.pubKey, r.enclave.hash, r.enclave.signature)).toBe(true);
    r.sm.hash.fill(0); // the report's fields are copies
    expect(id.smHash.some((v) => v !== 0)).toBe(true);
  });

  it("a report verifies after encode/decode with the trusted device key and expected measurement", () => {
    const raw = encodeReport(buildReport(id, stored, 7n));
    const res = verifyReport(decodeReport(raw), {
      devPubKey: id.device.publicKey,
      expectedMeasurement: stored,
      expectedNonce: 7n,
    });
    expect(res).toEqual({ ok: true, failures: [] });
  });

  it("names what fails: another measurement, nonce, device key, or a flipped bit in any signed field", () => {
    const r = buildReport(id, stored, 7n);
    const other = sm3(new TextEncoder().encode("another image"));
    expect(verifyReport(r, { expectedMeasurement: other }).failures).toEqual(["measurement"]);
    expect(verifyReport(r, { expectedNonce: 8n }).failures).toEqual(["nonce"]);
    const otherDev = monitorIdentity("x").device.publicKey;
    expect(verifyReport(r, { devPubKey: otherDev }).failures).toEqual(["devPubKey", "smSignature"]);
    expect(verifyReport(r, { identity: "some other monitor" }).failures).toEqual(["smHash"]);
    const raw = encodeReport(r);
    for (const [bit, failure] of [
      [0, "smHash"], // sm.hash: no longer the identity's nor the signed one
      [32 * 8, "smSignature"],
      [160 * 8 + 3, "enclaveSignature"],
      [192 * 8 + 100, "enclaveSignature"],
    ] as const) {
      const bad = raw.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      const res = verifyReport(decodeReport(bad));
      expect(res.ok).toBe(false);
      expect(res.failures).toContain(failure);
    }
  });

  it("signReport carries a freshly walked hash as is (fid 94, name 0)", () => {
    const walked = sm3(new TextEncoder().encode("walk with nonce"));
    const r = signReport(id, walked, 9n);
    expect(r.enclave.hash).toEqual(walked);
    expect(verifyReport(r).ok).toBe(true);
    expect(r.sm.hash).toEqual(monitorMeasurement(MONITOR_IDENTITY, id.sm.publicKey));
  });
});
