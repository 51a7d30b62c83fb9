import type { Event } from "../../model/events.ts";
import { itfTraceSchema, toItf, type ItfTrace, type RunStep } from "../../model/itf.ts";
import { initialSystem, type System } from "../../model/state.ts";
import { step as specStep } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import type { McConfig } from "./config.ts";
import { enumerateEvents, EXTRA_STRINGS } from "./enumerate.ts";
import type { Found, StepFn } from "./expander.ts";
import type { StateTable } from "./fingerprint.ts";
import { InvariantChecker } from "./invariants.ts";

/** A counterexample: the run from the initial state, and what it violates. */
export interface Counterexample {
  initial: System;
  steps: RunStep[];
  kind: Found["kind"];
  ids: string[];
}

/**
 * Rebuilds the shortest trace to a violation from the BFS parent slots: the fingerprints along the
 * parent chain are matched, from the initial state on, by stepping the enumerated events of the
 * concrete state reached so far (any member of the stored orbit will do). For a step violation the
 * last event is one of the final state's events whose transition violates the same invariants.
 */
export function counterexample(
  mc: McConfig, found: Found, table: StateTable,
  opts: { symmetry?: boolean; step?: StepFn; invariants?: InvariantChecker } = {},
): Counterexample {
  const step = opts.step ?? specStep;
  const canon = new Canonicalizer(mc, opts.symmetry ?? true, EXTRA_STRINGS);
  const inv = opts.invariants ?? new InvariantChecker();
  const chain: number[] = [];
  for (let at = found.kind === "step" ? found.parentSlot : found.slot; at >= 0; at = table.parent(at)) chain.unshift(at);
  const initial = initialSystem(mc.spec);
  let s = initial;
  const steps: RunStep[] = [];
  const candidates = (x: System) => [...enumerateEvents(x, mc, true), ...enumerateEvents(x, mc, false)];
  for (let i = 1; i < chain.length; i++) {
    const [hi, lo] = table.fingerprintAt(chain[i]!);
    let next: RunStep | undefined;
    for (const ev of candidates(s)) {
      const out = step(s, ev);
      if (out.state === s) continue;
      canon.fingerprint(out.state);
      if (canon.hi === hi && canon.lo === lo) {
        next = { event: ev, result: out.result, system: out.state };
        break;
      }
    }
    if (!next) throw new Error(`checks/mc: cannot rebuild step ${i} of the trace (enumeration not symmetric?)`);
    steps.push(next);
    s = next.system;
  }
  if (found.kind === "step") {
    const want = new Set(found.ids);
    let last: RunStep | undefined;
    for (const ev of [found.event as Event, ...candidates(s)]) {
      const out = step(s, ev);
      const bad = inv.stepViolations(s, ev, out.result, out.state);
      if (bad && bad.some((id) => want.has(id))) {
        last = { event: ev, result: out.result, system: out.state };
        break;
      }
    }
    if (!last) throw new Error("checks/mc: cannot rebuild the violating step");
    steps.push(last);
  }
  return { initial, steps, kind: found.kind, ids: found.ids };
}

/** The counterexample as an ITF trace (validated by model/itf.ts's schema), readable by `replay`. */
export function toItfTrace(cx: Counterexample, description: string): ItfTrace {
  return itfTraceSchema.parse(toItf(cx.initial, cx.steps, description));
}
