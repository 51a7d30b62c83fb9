import { describe, expect, it } from "vitest";
import { defaultConfig } from "./config.ts";
import { fromItf, itfExprSchema, itfToText, normalizeBigints, toItf } from "./itf.ts";
import { ok } from "./result.ts";
import { initialSystem } from "./state.ts";

describe("ITF traces", () => {
  const s0 = initialSystem(defaultConfig);
  const s1 = { ...s0, harts: [0, -1] };
  const trace = toItf(s0, [{ event: { type: "env.timer", hart: 0 }, result: ok(), system: s1 }], "demo");
  it("are valid untyped ITF", () => {
    expect(itfExprSchema.safeParse(JSON.parse(itfToText(trace))).success).toBe(true);
  });
  it("round-trip through text unchanged", () => {
    expect(fromItf(itfToText(trace))).toEqual(trace);
  });
  it("accept Quint-style #bigint integers", () => {
    const text = itfToText(trace).replace(/"pages":32/, '"pages":{"#bigint":"32"}');
    expect(text).toContain("#bigint");
    expect(fromItf(text)).toEqual(trace);
  });
  it("refuse unsafe integers and malformed traces", () => {
    expect(() => normalizeBigints({ "#bigint": "9007199254740993" })).toThrow();
    expect(() => fromItf(JSON.stringify({ vars: [], states: [] }))).toThrow();
  });
});
