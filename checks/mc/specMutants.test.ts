import { describe, expect, it } from "vitest";
import { fromItf, itfToText } from "../../model/itf.ts";
import { initialSystem } from "../../model/state.ts";
import { mcConfig } from "./config.ts";
import { InvariantChecker } from "./invariants.ts";
import { search } from "./search.ts";
import { specMutants } from "./specMutants.ts";
import { counterexample, toItfTrace } from "./trace.ts";

const mc = mcConfig({ maxDepth: 6 });

describe("spec mutants are found with a shortest trace", () => {
  it("the spec itself violates nothing up to depth 4", () => {
    const r = search({ ...mc, maxDepth: 4 }, { continueAfterViolation: true });
    expect(r.found).toEqual([]);
    expect(r.distinct).toBeGreaterThan(1000);
  });

  for (const m of specMutants) {
    it(`${m.id}: ${m.description}`, () => {
      const r = search(mc, { step: m.step });
      expect(r.found.length).toBeGreaterThan(0);
      const f = r.found[0]!;
      expect(f.ids.some((id) => m.caughtBy.includes(id))).toBe(true);
      const cx = counterexample(mc, f, r.table, { step: m.step });
      expect(cx.steps.length).toBeLessThanOrEqual(m.shortestKnown);
      // the trace replays: every step is the mutant's step of the previous state, and the end violates
      let s = initialSystem(mc.spec);
      const inv = new InvariantChecker();
      for (const st of cx.steps) {
        const out = m.step(s, st.event);
        expect(out.state).toEqual(st.system);
        expect(out.result).toEqual(st.result);
        if (st === cx.steps[cx.steps.length - 1]) {
          const bad = [...(inv.stepViolations(s, st.event, out.result, out.state) ?? []), ...(inv.stateViolations(out.state) ?? [])];
          expect(bad.some((id) => f.ids.includes(id))).toBe(true);
        }
        s = out.state;
      }
      // saved as ITF, read back by model/itf.ts (what `replay` uses)
      const itf = toItfTrace(cx, m.id);
      const back = fromItf(itfToText(itf));
      expect(back.states.length).toBe(cx.steps.length + 1);
      expect(back.states.at(-1)!.system).toEqual(cx.steps.at(-1)!.system);
    });
  }
});
