import { transition, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";
import type { CodeName } from "../../model/codes.ts";
import { stringCoder } from "./stringCoder.ts";

/** What a machine does with one operation in one state under given facts. */
export type Outcome<S extends string = string> = { ok: true; target: S } | { ok: false; code: CodeName };

/**
 * A machine's transition relation as a table: outcome per (state, operation, facts). Built once at
 * load time from the machine by `deriveTable`; `step` reads it instead of calling `transition()`
 * (13–20 µs per call, checking-stack.md §2.1).
 */
export interface TransitionTable<S extends string = string, E extends string = string> {
  machineId: string;
  states: readonly S[];
  events: readonly E[];
  /** Number of fact bits; the table holds 2^factBits entries per (state, operation). */
  factBits: number;
  /** Outcome of operation `event` in state `state` with fact bits `facts`. */
  lookup(state: S, event: E, facts: number): Outcome<S>;
  /** Some operation, under some facts, takes `from` to `to` (false for a name that is not a state). */
  canMove(from: S, to: S): boolean;
  /**
   * Coverage: when not null, lookups are counted per entry (index (state·|events| + event)·2^factBits
   * + facts). Off (null) by default; the checker switches it on (checks/explore/coverage.ts).
   */
  hits: Uint32Array | null;
  /** The outcome of every entry, in that index order. */
  readonly outcomes: readonly Outcome<S>[];
}

/**
 * Pure: the outcome XState gives for `event` in `state`. A `reject` action among the returned
 * actions means refusal with its code; otherwise the transition is taken to the returned state.
 */
export function outcomeOf(machine: AnyStateMachine, state: string, event: string, facts: number): Outcome {
  return outcomeIn(machine, machine.resolveState({ value: state, context: {} }), event, facts);
}

/** `outcomeOf` from the resolved snapshot of the state (resolving it is most of the cost: `deriveTable` does it once per state). */
function outcomeIn(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: string, facts: number): Outcome {
  const ev = { type: event, facts };
  const [next, actions] = transition(machine, snapshot, ev);
  const rejected = (actions as ReadonlyArray<{ type: string; params?: unknown }>).find((a) => a.type === "reject");
  if (rejected) return { ok: false, code: (rejected.params as { code: CodeName }).code };
  if (!snapshot.can(ev)) throw new Error(`${machine.id}: ${event} unhandled in ${String(snapshot.value)} (no default)`);
  return { ok: true, target: String(next.value) };
}

/** The atomic state names of a flat machine, in document order. */
export function stateNames(machine: AnyStateMachine): string[] {
  return Object.keys(machine.root.states);
}

/**
 * Builds the transition table of a flat machine by asking `transition()` every question once.
 * Fact bits outside `usedFacts` are ignored by the machine's guards; their entries are copied.
 */
export function deriveTable<S extends string, E extends string>(
  machine: AnyStateMachine,
  events: readonly E[],
  factBits: number,
  usedFacts: number = (1 << factBits) - 1,
): TransitionTable<S, E> {
  const states = stateNames(machine) as S[];
  const masks = 1 << factBits;
  const stateIndex = stringCoder(states);
  const eventIndex = stringCoder(events);
  const outcomes: Outcome<S>[] = [];
  for (const s of states) {
    const snapshot = machine.resolveState({ value: s, context: {} });
    for (const e of events)
      for (let m = 0; m < masks; m++)
        outcomes.push(
          (m & ~usedFacts) === 0 ? (outcomeIn(machine, snapshot, e, m) as Outcome<S>) : outcomes[outcomes.length - m + (m & usedFacts)]!,
        );
  }
  const nE = events.length,
    nS = states.length;
  // moves[from · nS + to]: some entry of `from` is a transition to `to`
  const moves = new Uint8Array(nS * nS);
  outcomes.forEach((o, i) => {
    if (o.ok) moves[Math.floor(i / (nE * masks)) * nS + stateIndex(o.target)] = 1;
  });
  const table: TransitionTable<S, E> = {
    machineId: machine.id,
    states,
    events,
    factBits,
    hits: null,
    outcomes,
    lookup(state, event, facts) {
      const si = stateIndex(state);
      const ei = eventIndex(event);
      if (si < 0 || ei < 0 || facts < 0 || facts >= masks)
        throw new Error(`${machine.id}: no entry for ${state}/${event}/${facts}`);
      const i = (si * nE + ei) * masks + facts;
      if (table.hits !== null) table.hits[i]!++;
      return outcomes[i]!;
    },
    canMove(from, to) {
      const f = stateIndex(from),
        t = stateIndex(to);
      return f >= 0 && t >= 0 && moves[f * nS + t] === 1;
    },
  };
  return table;
}
