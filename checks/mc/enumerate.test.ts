import { describe, expect, it } from "vitest";
import { fromOwnDomain, idsInRange } from "../../spec/invariants/stepInvariants.ts";
import { handlerOf, step, type StepOutput } from "../../spec/step.ts";
import { mcConfig } from "./config.ts";
import { enumerate, enumerateEvents } from "./enumerate.ts";
import { reachableSample } from "./sample.ts";

/** Equal step outputs: the results, and the states table by table (what neither changed is the same object in both). */
function sameOutput(a: StepOutput, b: StepOutput): boolean {
  if (JSON.stringify(a.result) !== JSON.stringify(b.result)) return false;
  if (a.state === b.state) return true;
  const x = a.state as unknown as Record<string, unknown>,
    y = b.state as unknown as Record<string, unknown>;
  return Object.keys(y).every((k) => x[k] === y[k] || JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

describe("the enumeration's range split", () => {
  // the checker skips SP-3 for the events before `inRange` (invariants.ts, outOfRangeOnly): the split must be exact
  it("every event before inRange names only ids inside their tables, every one after names one outside; every one before ownDomain comes from its own domain, where step is its handler", () => {
    const mcs = [
      mcConfig({ maxDepth: 4 }),
      mcConfig({ spec: { enclaves: 3, hosts: 2, relays: 2, secureShms: 2 }, maxList: 2, maxCount: 2, maxDepth: 4 }),
    ];
    let inside = 0,
      outside = 0,
      foreign = 0;
    const wrong: string[] = [];
    for (const mc of mcs)
      for (const s of reachableSample(mc, 300))
        for (const reduced of [true, false])
          for (const prune of [true, false]) {
            const { events, ownDomain, inRange } = enumerate(s, mc, reduced, prune);
            expect(ownDomain).toBeLessThanOrEqual(inRange);
            events.forEach((ev, i) => {
              if (idsInRange(ev, s.config) !== i < inRange) wrong.push(`${i} of ${inRange}: ${JSON.stringify(ev)}`);
              // the checker skips LC-3 for the events before `ownDomain` (wrongDomainOnly)
              const own = fromOwnDomain({ before: s, event: ev });
              if (i < ownDomain && !own) wrong.push(`${i} < ${ownDomain}: ${JSON.stringify(ev)}`);
              // the checker steps these through the handler alone (spec/step.ts handlerOf): it must give step's answer
              if (i < ownDomain && !sameOutput(handlerOf(ev.type)(s, ev), step(s, ev)))
                wrong.push(`handler differs from step: ${JSON.stringify(ev)}`);
              if (i >= ownDomain && !own) foreign++;
            });
            expect(enumerateEvents(s, mc, reduced, prune)).toEqual(events);
            inside += inRange;
            outside += events.length - inRange;
          }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(inside).toBeGreaterThan(0);
    expect(outside).toBeGreaterThan(0);
    expect(foreign).toBeGreaterThan(0); // the domain probes are there
  });
});
