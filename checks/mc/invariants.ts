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
/**
 * A named step predicate (the shape of spec/invariants/stepInvariants.ts); `frame` and
 * `vacuousOnError` say when it holds without looking (absent: never assumed).
 */
export interface StepInvariant {
  id: string;
  holds: (t: Transition) => boolean;
  frame?: boolean;
  vacuousOnError?: boolean;
  /** When given: holds for every event of another type. */
  events?: readonly string[];
}

/**
 * Evaluates the spec's invariants for the checker. Step invariants are skipped where their form
 * decides them (the spec declares it per invariant; spec/invariants/stepInvariants.test.ts checks
 * the declarations, invariants.test.ts compares this class with the spec's predicates):
 *  - a `frame` invariant (LC-1, LC-6, OW-5, CS-1, CS-2, AT-2) holds when `step` returned the very
 *    same state object (a refused event, or an accepted one that changes nothing) — in particular
 *    LC-6, "a refused event changes nothing", is this identity;
 *  - a `vacuousOnError` invariant holds when the result is an error;
 *  - an invariant declaring its `events` holds for an event of another type.
 * A refused event therefore costs the invariants that constrain refusals (LC-3) only, and an accepted
 * one the invariants that constrain every event or its type.
 */
export class InvariantChecker {
  private readonly t: Transition = {
    before: null as unknown as System,
    event: null as unknown as Event,
    result: null as unknown as Result,
    after: null as unknown as System,
  };
  /** The step invariants to evaluate, by event type, then by case: (same state object ? 1 : 0) + (error ? 2 : 0). */
  private readonly byType = new Map<string, Check[]>();

  /** The state invariants as one check. */
  private readonly stateCheck: Check<System>;

  constructor(
    readonly state: readonly StateInvariant[] = stateInvariants,
    readonly step: readonly StepInvariant[] = stepInvariants,
  ) {
    this.stateCheck = compile(state);
  }

  private lastType = "";
  private lastCases: Check[] = [];

  /** The four case lists of event type `type` (events come in runs of one type: the last is kept at hand). */
  private cases(type: string): Check[] {
    if (type === this.lastType) return this.lastCases;
    this.lastType = type;
    return (this.lastCases = this.listsOf(type));
  }

  private listsOf(type: string): Check[] {
    let c = this.byType.get(type);
    if (!c) {
      const step = this.step.filter((i) => !i.events || i.events.includes(type));
      c = [
        step,
        step.filter((i) => !i.frame),
        step.filter((i) => !i.vacuousOnError),
        step.filter((i) => !i.frame && !i.vacuousOnError),
      ].map(compile<Transition>);
      this.byType.set(type, c);
    }
    return c;
  }

  /** Ids of the state invariants `s` violates (null when none). */
  stateViolations(s: System): string[] | null {
    return this.stateCheck(s);
  }

  /** Ids of the step invariants the transition violates (null when none). */
  stepViolations(before: System, event: Event, result: Result, after: System): string[] | null {
    const t = this.t;
    t.before = before;
    t.event = event;
    t.result = result;
    t.after = after;
    return this.cases(event.type)[(before === after ? 1 : 0) + (result.status === "error" ? 2 : 0)]!(t);
  }
}

/** Evaluates a list of invariants: the ids of those that fail (null when none). */
type Check<T = Transition> = (x: T) => string[] | null;

/**
 * A `Check` of `invs` in order. Each list gets code of its own (new Function), in which each
 * invariant has its own call site: V8 sees one target per site and can inline the predicate (one
 * shared loop made every call megamorphic).
 */
function compile<T>(invs: readonly { id: string; holds: (x: T) => boolean }[]): Check<T> {
  const names = invs.map((_, i) => `h${i}`);
  const body = invs.map((_, i) => `if (!h${i}(x)) (out ??= []).push(ids[${i}]);`).join("\n");
  const make = new Function(...names, "ids", `return function check(x) {\nlet out = null;\n${body}\nreturn out;\n};`);
  return make(
    ...invs.map((i) => i.holds),
    invs.map((i) => i.id),
  ) as Check<T>;
}
