import { describe, expect, it } from "vitest";
import { MONITOR_IDENTITY, monitorIdentity } from "./identity.ts";
import { sm2Verify } from "./keys.ts";
import { sm3 } from "./sm3.ts";

describe("monitor identity (PGL §5.2)", () => {
  const id = monitorIdentity("attest-run");

  it("derives sm.hash from the identity string and the SM key, signed by the device key", () => {
    expect(id.smHash).toEqual(sm3(new TextEncoder().encode(MONITOR_IDENTITY), id.sm.publicKey));
    expect(sm2Verify(id.device.publicKey, id.smHash, id.smSignature)).toBe(true);
    expect(id.sm.publicKey).not.toEqual(id.device.publicKey);
  });

  it("is stable for one seed and differs across seeds", () => {
    expect(monitorIdentity("attest-run")).toEqual(id);
    const other = monitorIdentity("attest-run-2");
    expect(other.sm.publicKey).not.toEqual(id.sm.publicKey);
    expect(other.device.publicKey).not.toEqual(id.device.publicKey);
  });
});
