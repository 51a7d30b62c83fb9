import { describe, expect, it } from "vitest";
import { ReturnCode, codeNames } from "./codes.ts";

describe("return codes", () => {
  it("give every cause its own numeric value", () => {
    const values = codeNames.map((n) => ReturnCode[n]);
    expect(new Set(values).size).toBe(values.length);
  });
  it("keep Penglai's values for the codes it defines (PGL §1.2)", () => {
    expect([ReturnCode.SUCCESS, ReturnCode.TIMER_IRQ, ReturnCode.OCALL, ReturnCode.YIELD]).toEqual([0, 1, 2, 3]);
    expect([ReturnCode.ERROR, ReturnCode.NO_MEM, ReturnCode.ATTESTATION]).toEqual([-1, -2, -3]);
  });
  it("never reuse −2 for 'not supported' or 'server busy'", () => {
    expect(ReturnCode.NOT_SUPPORTED).not.toBe(ReturnCode.NO_MEM);
    expect(ReturnCode.SERVER_BUSY).not.toBe(ReturnCode.NO_MEM);
  });
});
