import { describe, expect, it } from "vitest";
import { initialSystem, type System } from "../../model/state.ts";
import { violatedInvariants } from "../../spec/invariants/stateInvariants.ts";
import { violatedStepInvariants } from "../../spec/invariants/stepInvariants.ts";
import { step as specStep } from "../../spec/step.ts";
import { mcConfig, type McConfig } from "./config.ts";
import { enumerateEvents } from "./enumerate.ts";
import type { StepFn } from "./expander.ts";
import { allPerms, applyPerm } from "./permute.ts";
import { search } from "./search.ts";
import { specMutants } from "./specMutants.ts";

/**
 * An independent naive search: BFS with a plain Set of JSON strings, the full enumeration, the
 * spec's own invariant functions; states violating a state invariant are recorded, not expanded
 * (the checker's rule). Returns the reached states and every violated invariant id.
 */
function naive(mc: McConfig, step: StepFn = specStep): { states: System[]; violated: Set<string> } {
  const s0 = initialSystem(mc.spec);
  const seen = new Set([JSON.stringify(s0)]);
  const states = [s0];
  const violated = new Set<string>();
  let level = [s0];
  for (let d = 0; d < mc.maxDepth && level.length; d++) {
    const next: System[] = [];
    for (const s of level)
      for (const ev of enumerateEvents(s, mc, false)) {
        const { state, result } = step(s, ev);
        violatedStepInvariants({ before: s, event: ev, result, after: state }).forEach((id) => violated.add(id));
        const key = JSON.stringify(state);
        if (seen.has(key)) continue;
        seen.add(key);
        states.push(state);
        const bad = violatedInvariants(state);
        bad.forEach((id) => violated.add(id));
        if (bad.length === 0) next.push(state);
      }
    level = next;
  }
  return { states, violated };
}

/** Number of orbits among `states`: the least JSON over every group element is the orbit's name. */
function orbits(mc: McConfig, states: System[]): number {
  const group = allPerms(mc.spec, mc.images);
  const names = new Set<string>();
  for (const s of states) {
    let least: string | undefined;
    for (const g of group) {
      const j = JSON.stringify(applyPerm(s, g));
      if (least === undefined || j < least) least = j;
    }
    names.add(least!);
  }
  return names.size;
}

const tiny = mcConfig({
  spec: { enclaves: 2, harts: 2, pages: 4, monitorPages: 1, ptaPages: 1, hosts: 1, shms: 1, secureShms: 1, relays: 1, names: ["a", "b"] },
  maxDepth: 4,
});

describe("distinct states against a brute-force count", () => {
  const brute = naive(tiny);

  it("without symmetry the checker counts exactly the naive search's states", () => {
    const r = search(tiny, { symmetry: false, continueAfterViolation: true });
    expect(r.distinct).toBe(brute.states.length);
    expect(r.found).toEqual([]);
  });

  it("with symmetry it counts the orbits of the naive search's states (full and reduced enumeration)", () => {
    const n = orbits(tiny, brute.states);
    expect(n).toBeLessThan(brute.states.length);
    expect(search(tiny, { symmetry: true, reduce: false, continueAfterViolation: true }).distinct).toBe(n);
    expect(search(tiny, { symmetry: true, reduce: true, continueAfterViolation: true }).distinct).toBe(n);
  });

  it("with two hosts, three names and two images the orbit count still agrees", () => {
    const mc = mcConfig({ spec: { ...tiny.spec, hosts: 2, names: ["a", "b", "c"], harts: 1, pages: 3, ptaPages: 0, secureShms: 0, relays: 0 }, images: ["i", "j"], maxDepth: 2 });
    const b = naive(mc);
    expect(search(mc, { symmetry: false, continueAfterViolation: true }).distinct).toBe(b.states.length);
    expect(search(mc, { symmetry: true, continueAfterViolation: true }).distinct).toBe(orbits(mc, b.states));
  });
});

/** Small enough for a naive search to depth 5: two slots, two harts, one monitor and two host pages. */
const micro = mcConfig({
  spec: { enclaves: 2, harts: 2, pages: 3, monitorPages: 1, ptaPages: 0, hosts: 1, shms: 0, secureShms: 0, relays: 0, names: ["a"] },
  maxDepth: 5,
});

describe("symmetry reduction never changes which invariants fail", () => {
  for (const m of specMutants) {
    it(m.id, () => {
      const mc = micro;
      const ids = (sym: boolean) => {
        const r = search(mc, { symmetry: sym, step: m.step, continueAfterViolation: true });
        return [...new Set(r.found.flatMap((f) => f.ids))].sort();
      };
      const withSym = ids(true);
      expect(withSym).toEqual(ids(false));
      expect(withSym).toEqual([...naive(mc, m.step).violated].sort());
    });
  }
});
