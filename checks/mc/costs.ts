import type { Event } from "../../model/events.ts";
import { stateInvariants } from "../../spec/invariants/stateInvariants.ts";
import { stepInvariants, type Transition } from "../../spec/invariants/stepInvariants.ts";
import { step } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import type { McConfig } from "./config.ts";
import { enumerateEvents, EXTRA_STRINGS } from "./enumerate.ts";
import { InvariantChecker } from "./invariants.ts";
import { reachableSample } from "./sample.ts";

/** Where the time of one expansion goes, in CPU microseconds, measured on a sample of reachable states. */
export interface CostReport {
  states: number;
  transitionsPerState: number;
  enumeratePerState: number;
  canonicalPerSuccessor: number;
  stateInvariantsPerState: number;
  /** Per event type: count, µs per `step`, µs per step-invariant evaluation (as the checker does it). */
  byType: { type: string; count: number; step: number; stepInvariants: number }[];
  /** Per invariant id: µs per evaluation of the spec's predicate (step: per transition, state: per state). */
  byInvariant: { id: string; us: number }[];
}

function cpuUs(f: () => void): number {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return d.user + d.system;
}

/** Measures the cost of each phase on the first `limit` states of a symmetric BFS of `mc` (pruned enumeration, as the checker runs). */
export function measureCosts(mc: McConfig, limit = 1500, reps = 3): CostReport {
  const canon = new Canonicalizer(mc, true, EXTRA_STRINGS);
  const states = reachableSample(mc, limit, true);
  const events = states.map((s) => enumerateEvents(s, mc, true, true));
  const outs = states.map((s, i) => events[i]!.map((ev) => step(s, ev)));
  const n = states.length;
  const transitions = events.reduce((a, e) => a + e.length, 0);
  const enumerate =
    cpuUs(() => {
      for (let r = 0; r < reps; r++) for (const s of states) enumerateEvents(s, mc, true, true);
    }) /
    reps /
    n;
  let successors = 0;
  const canonical =
    cpuUs(() => {
      for (let r = 0; r < reps; r++)
        states.forEach((s, i) =>
          outs[i]!.forEach((o) => {
            if (o.state !== s) {
              canon.fingerprint(o.state);
              if (r === 0) successors++;
            }
          }),
        );
    }) /
    reps /
    Math.max(successors, 1);
  const stateInv =
    cpuUs(() => {
      for (let r = 0; r < reps; r++) for (const s of states) for (const inv of stateInvariants) inv.holds(s);
    }) /
    reps /
    n;
  const byType = new Map<string, { count: number; step: number; stepInvariants: number }>();
  const byInv = new Map<string, number>();
  const checker = new InvariantChecker();
  const t: Transition = { before: states[0]!, event: events[0]![0]!, result: outs[0]![0]!.result, after: states[0]! };
  states.forEach((s, i) =>
    events[i]!.forEach((ev: Event, j) => {
      const row = byType.get(ev.type) ?? { count: 0, step: 0, stepInvariants: 0 };
      row.count++;
      row.step +=
        cpuUs(() => {
          for (let r = 0; r < reps; r++) step(s, ev);
        }) / reps;
      t.before = s;
      t.event = ev;
      t.result = outs[i]![j]!.result;
      t.after = outs[i]![j]!.state;
      row.stepInvariants +=
        cpuUs(() => {
          for (let r = 0; r < reps; r++) checker.stepViolations(t.before, t.event, t.result, t.after);
        }) / reps;
      byType.set(ev.type, row);
    }),
  );
  // per invariant, over a strided sample of the transitions
  for (const inv of stepInvariants) {
    let k = 0;
    const us = cpuUs(() => {
      states.forEach((s, i) =>
        events[i]!.forEach((ev, j) => {
          if ((i + j) % 4) return;
          t.before = s;
          t.event = ev;
          t.result = outs[i]![j]!.result;
          t.after = outs[i]![j]!.state;
          for (let r = 0; r < reps; r++) inv.holds(t);
          k += reps;
        }),
      );
    });
    byInv.set(`step ${inv.id}`, us / Math.max(k, 1));
  }
  for (const inv of stateInvariants)
    byInv.set(
      `state ${inv.id}`,
      cpuUs(() => {
        for (let r = 0; r < reps; r++) for (const s of states) inv.holds(s);
      }) /
        reps /
        n,
    );
  return {
    states: n,
    transitionsPerState: transitions / n,
    enumeratePerState: enumerate,
    canonicalPerSuccessor: canonical,
    stateInvariantsPerState: stateInv,
    byType: [...byType]
      .map(([type, r]) => ({ type, count: r.count, step: r.step / r.count, stepInvariants: r.stepInvariants / r.count }))
      .sort((a, b) => b.count * (b.step + b.stepInvariants) - a.count * (a.step + a.stepInvariants)),
    byInvariant: [...byInv].map(([id, us]) => ({ id, us })).sort((a, b) => b.us - a.us),
  };
}
