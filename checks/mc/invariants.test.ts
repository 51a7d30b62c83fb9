import { describe, expect, it } from "vitest";
import { initialSystem } from "../../model/state.ts";
import { randomEvent } from "../../spec/gen/randomEvent.ts";
import { rng } from "../../spec/gen/rng.ts";
import { violatedInvariants } from "../../spec/invariants/stateInvariants.ts";
import { violatedStepInvariants } from "../../spec/invariants/stepInvariants.ts";
import { step } from "../../spec/step.ts";
import { defaultConfig } from "../../model/config.ts";
import { InvariantChecker } from "./invariants.ts";
import { specMutants } from "./specMutants.ts";

describe("the checker's invariant evaluation agrees with the spec's", () => {
  it("on random transitions of the spec and of every mutant (LC-6 and LC-1 shortcuts included)", () => {
    const inv = new InvariantChecker();
    const steps = [step, ...specMutants.map((m) => m.step)];
    let bad = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rand = rng(seed);
      const f = steps[seed % steps.length]!;
      let s = initialSystem(defaultConfig);
      for (let i = 0; i < 150; i++) {
        const ev = randomEvent(s, rand);
        const out = f(s, ev);
        const mine = inv.stepViolations(s, ev, out.result, out.state) ?? [];
        expect(mine).toEqual(violatedStepInvariants({ before: s, event: ev, result: out.result, after: out.state }));
        const st = inv.stateViolations(out.state) ?? [];
        expect(st).toEqual(violatedInvariants(out.state));
        bad += mine.length + st.length;
        s = st.length ? initialSystem(defaultConfig) : out.state;
      }
    }
    expect(bad).toBeGreaterThan(0); // the mutants made some invariants fail
  });
});
