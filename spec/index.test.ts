import { describe, expect, it } from "vitest";
import * as model from "../model/index.ts";
import * as spec from "./index.ts";

describe("public surface", () => {
  it("steps, checks invariants and generates events through the index modules", () => {
    const s0 = model.initialSystem(model.defaultConfig);
    const ev = spec.randomEvent(s0, spec.rng(1));
    expect(model.eventSchema.parse(ev)).toEqual(ev);
    const { state, result } = spec.step(s0, ev);
    expect(model.resultSchema.parse(result)).toEqual(result);
    expect(spec.violatedInvariants(state)).toEqual([]);
    expect(spec.machines.map((m) => m.name)).toEqual(["enclaveLifecycle", "serverEnclave", "shadowEnclave", "pageOwnership"]);
  });
});
