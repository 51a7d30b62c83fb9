import { describe, expect, it } from "vitest";
import type { Event } from "../../model/events.ts";
import type { System } from "../../model/state.ts";
import { stepInvariants } from "../../spec/invariants/stepInvariants.ts";
import { step } from "../../spec/step.ts";
import { mcConfig, type McConfig } from "./config.ts";
import { enumerateEvents } from "./enumerate.ts";
import { reachableSample } from "./sample.ts";
import { search } from "./search.ts";

/**
 * The claim of pruning: every event the pruned enumeration leaves out of the full one is refused by
 * spec.step with the very same state object and breaks no step invariant (so skipping it loses no
 * state and no check). Returns how many events were pruned and how many offered.
 */
function checkPruning(mc: McConfig, states: System[], reduced: boolean): { pruned: number; all: number } {
  let pruned = 0,
    all = 0;
  const failures: string[] = [];
  for (const s of states) {
    const full = enumerateEvents(s, mc, reduced, false);
    const kept = new Set(enumerateEvents(s, mc, reduced, true).map((ev) => JSON.stringify(ev)));
    const offered = new Set(full.map((ev) => JSON.stringify(ev)));
    for (const k of kept) if (!offered.has(k)) failures.push(`pruned enumeration invented ${k}`);
    all += full.length;
    for (const ev of full as Event[]) {
      if (kept.has(JSON.stringify(ev))) continue;
      pruned++;
      const out = step(s, ev);
      // (LC-6 is the identity checked here; its JSON comparison would dominate the test's time)
      const t = { before: s, event: ev, result: out.result, after: out.state };
      const bad = stepInvariants.filter((inv) => inv.id !== "LC-6" && !inv.holds(t)).map((inv) => inv.id);
      if (out.state !== s || out.result.status !== "error" || bad.length)
        failures.push(
          `pruned but ${out.result.status} ${out.result.code} ${bad.join(",")}: ${JSON.stringify(ev)} in ${JSON.stringify(s)}`,
        );
    }
  }
  expect(failures.slice(0, 5)).toEqual([]);
  return { pruned, all };
}

describe("pruning surely refused events", () => {
  it("on the default configuration (depth ≤ 4): pruned events are refused unchanged, and most refusals are pruned", () => {
    const mc = mcConfig({ maxDepth: 4 });
    const { pruned, all } = checkPruning(mc, reachableSample(mc, 1500), true);
    expect(pruned / all).toBeGreaterThan(0.5);
  });

  it("with two hosts, three slots, longer page lists and counts, full enumeration", () => {
    const mc = mcConfig({
      spec: { enclaves: 3, harts: 2, pages: 6, hosts: 2, relays: 2, secureShms: 2, names: ["a", "b"] },
      images: ["i", "j"],
      keys: [1, 2],
      maxList: 2,
      maxCount: 2,
      maxDepth: 5,
    });
    const states = reachableSample(mc, 800);
    checkPruning(
      mc,
      states.filter((_, i) => i % 2 === 0),
      true,
    );
    checkPruning(
      mc,
      states.filter((_, i) => i % 2 === 1),
      false,
    );
  });

  it("finds the same states as the unpruned search, and with a mutant steps every event", () => {
    const mc = mcConfig({ maxDepth: 5 });
    const pruned = search(mc, {});
    const all = search(mc, { prune: false });
    expect(pruned.distinct).toBe(all.distinct);
    expect(pruned.generated).toBe(all.generated);
    expect(pruned.transitions).toBeLessThan(all.transitions / 2);
    expect(search(mc, { step: step }).transitions).toBe(all.transitions);
  });
});
