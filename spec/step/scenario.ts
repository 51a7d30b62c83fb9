import type { CodeName } from "../../model/codes.ts";
import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import { violatedInvariants } from "../invariants/stateInvariants.ts";
import { violatedStepInvariants } from "../invariants/stepInvariants.ts";
import { step } from "../step.ts";

/** Test support: a run that checks every invariant after every step. */
export class Scenario {
  readonly results: Result[] = [];
  constructor(public state: System) {}

  /** Steps `ev`; throws unless it is accepted (ok or fault) and all invariants hold. Returns the result value. */
  must(ev: Event): number {
    const r = this.apply(ev);
    if (r.status === "error") throw new Error(`${ev.type} refused: ${r.code}`);
    return r.value;
  }

  /** Steps `ev`; throws unless it is refused with `code` and leaves the state identical. */
  refuse(ev: Event, code: CodeName): void {
    const before = this.state;
    const r = this.apply(ev);
    if (r.status !== "error" || r.code !== code) throw new Error(`${ev.type}: expected ${code}, got ${r.status} ${r.code}`);
    if (this.state !== before) throw new Error(`${ev.type}: refused but the state changed`);
  }

  /** Steps `ev` and returns its result, checking every invariant. */
  apply(ev: Event): Result {
    const before = this.state;
    const { state, result } = step(before, ev);
    const bad = [...violatedInvariants(state), ...violatedStepInvariants({ before, event: ev, result, after: state })];
    if (bad.length) throw new Error(`${ev.type}: invariants violated: ${bad.join(", ")}`);
    this.state = state;
    this.results.push(result);
    return result;
  }
}
