import { describe, expect, it } from "vitest";
import type { Event } from "../../model/events.ts";
import { err } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import { step } from "../../spec/step.ts";
import { mcConfig } from "./config.ts";
import { search } from "./search.ts";
import { counterexample } from "./trace.ts";

const mc = mcConfig({ maxDepth: 5 });

describe("deadlock report", () => {
  it("the spec has no deadlock up to depth 3", () => {
    const r = search({ ...mc, maxDepth: 3 }, { deadlock: true });
    expect(r.deadlocks).toBe(0);
    expect(r.found).toEqual([]);
  });

  it("a state where every event is refused is reported with a shortest trace", () => {
    // a step that freezes the system once an enclave runs: what would be accepted is refused
    const frozen = (s: System, ev: Event) => {
      const out = step(s, ev);
      return s.harts.some((h) => h >= 0) && out.result.status !== "error" ? { state: s, result: err("BAD_STATE") } : out;
    };
    const r = search(mc, { deadlock: true, step: frozen });
    expect(r.deadlocks).toBe(1);
    const f = r.found[0]!;
    expect(f.kind).toBe("deadlock");
    const cx = counterexample(mc, f, r.table, { step: frozen });
    expect(cx.steps.map((x) => x.event.type)).toEqual(["host.create", "host.run"]);
  });
});
