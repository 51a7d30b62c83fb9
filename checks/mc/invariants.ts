import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import { stateInvariants } from "../../spec/invariants/stateInvariants.ts";
import { stepInvariants, type Transition } from "../../spec/invariants/stepInvariants.ts";

/** A named state predicate (the shape of spec/invariants/stateInvariants.ts). */
export interface StateInvariant {
  id: string;
  holds: (s: System) => boolean;
}
/** A named step predicate (the shape of spec/invariants/stepInvariants.ts). */
export interface StepInvariant {
  id: string;
  holds: (t: Transition) => boolean;
}

/**
 * Evaluates the spec's invariants for the checker, with two shortcuts (invariants.test.ts compares
 * both with the spec's predicates on random transitions):
 *  - LC-6 ("a refused event changes nothing", a JSON comparison of both states in the spec) holds
 *    without comparing when `step` returned the very same object;
 *  - LC-1 (every lifecycle change is a machine transition) reads only the kind and state of every
 *    slot before and after, and searches the machine tables for each changed slot (thousands of
 *    lookups); its verdict is memoised on exactly those fields.
 */
export class InvariantChecker {
  private readonly t: Transition = { before: null as unknown as System, event: null as unknown as Event, result: null as unknown as Result, after: null as unknown as System };
  constructor(
    readonly state: readonly StateInvariant[] = stateInvariants,
    readonly step: readonly StepInvariant[] = stepInvariants,
  ) {}

  /** Ids of the state invariants `s` violates (null when none). */
  stateViolations(s: System): string[] | null {
    let out: string[] | null = null;
    for (const inv of this.state) if (!inv.holds(s)) (out ??= []).push(inv.id);
    return out;
  }

  private readonly lc1Memo = new Map<string, boolean>();

  /** LC-1 memoised on the kind and state of every slot before and after. */
  private lc1(inv: StepInvariant, t: Transition): boolean {
    const b = t.before.enclaves, a = t.after.enclaves;
    if (b === a) return inv.holds(t);
    let key = "";
    for (let e = 0; e < b.length; e++) key += `${b[e]!.kind},${b[e]!.state},${a[e]!.kind},${a[e]!.state};`;
    let v = this.lc1Memo.get(key);
    if (v === undefined) this.lc1Memo.set(key, (v = inv.holds(t)));
    return v;
  }

  /** Ids of the step invariants the transition violates (null when none). */
  stepViolations(before: System, event: Event, result: Result, after: System): string[] | null {
    const t = this.t;
    t.before = before;
    t.event = event;
    t.result = result;
    t.after = after;
    let out: string[] | null = null;
    for (const inv of this.step) {
      if (inv.id === "LC-6" && before === after) continue; // identical object: nothing changed
      if (inv.id === "LC-1" ? !this.lc1(inv, t) : !inv.holds(t)) (out ??= []).push(inv.id);
    }
    return out;
  }
}
