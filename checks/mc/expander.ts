import type { Event } from "../../model/events.ts";
import type { System } from "../../model/state.ts";
import { handlerOf, step as specStep, stepOf, type StepOutput } from "../../spec/step.ts";
import { Canonicalizer } from "./canonical.ts";
import type { McConfig } from "./config.ts";
import { enumerate, EXTRA_STRINGS } from "./enumerate.ts";
import { HashMap64, type StateTable } from "./fingerprint.ts";
import { InvariantChecker, Known, type TypeChecks } from "./invariants.ts";

/** The transition function searched: the spec's `step`, or a mutant of it (specMutants.ts). */
export type StepFn = (s: System, ev: Event) => StepOutput;

/** What the search looks for and how. */
export interface SearchOptions {
  /** Symmetry reduction (canonical.ts); default true. */
  symmetry?: boolean;
  /** Offer interchangeable arguments once (argClasses.ts); default = symmetry (needs it). */
  reduce?: boolean;
  /**
   * Leave out events the spec surely refuses (enumerate.ts); default: on when searching the spec's
   * own `step` and invariants (the pruning is proven for those only).
   */
  prune?: boolean;
  /** Report states without a successor other than themselves. */
  deadlock?: boolean;
  /** Keep searching after a violation (violating states are recorded, not expanded). */
  continueAfterViolation?: boolean;
  /** The step function (default: spec/step.ts). */
  step?: StepFn;
  /** Invariants (default: the spec's). */
  invariants?: InvariantChecker;
  /**
   * log2 of the fingerprint table's slots: where one thread's table starts (it doubles when half
   * full; default 16), the size of the table a parallel search's workers share (default 22).
   */
  tableBits?: number;
}

/**
 * The checker of the spec's own invariants, shared by every search of this thread: its compiled checks
 * (one function per event type and case, and per set of changed parts) stay hot from one search to the
 * next instead of being compiled and warmed up again.
 */
let specChecker: InvariantChecker | undefined;

/** Entries of the set of one expansion's successors (a power of two; filled to 3/4 at most). */
const SIBLINGS = 256;

/** An event type's step and step checks. */
interface ByType {
  type: string;
  step: StepFn;
  /** `step` for an event from its own domain naming ids in range: the spec's handler (spec/step.ts `handlerOf`), or a mutant's step. */
  own: StepFn;
  checks: TypeChecks;
  /**
   * The entries of the two types whose runs last followed a run of this one, most recent first: the
   * enumerator lists types in a nearly fixed order, and these predict the next run's type nine times
   * in ten (a Map lookup by the type string took 1% of a search).
   */
  next: ByType | null;
  next2: ByType | null;
}

/** A violation found while expanding. */
export type Found =
  | { kind: "state"; ids: string[]; slot: number }
  | { kind: "step"; ids: string[]; parentSlot: number; event: Event }
  | { kind: "deadlock"; ids: string[]; slot: number };

/**
 * Expands one state: every enumerated event is stepped, every transition is checked against the
 * step invariants, every successor is fingerprinted; a new one is checked against the state
 * invariants and handed to `push` unless it violates them.
 */
export class Expander {
  readonly canon: Canonicalizer;
  readonly symmetry: boolean;
  /**
   * With symmetry: raw hash (rawHash.ts) → table slot of every state this expander fingerprinted.
   * A successor equal to one of them as it is needs no canonicalisation: most successors are
   * (diamonds of commuting events, events with the same effect).
   */
  private readonly seen = new HashMap64();
  readonly inv: InvariantChecker;
  readonly reduce: boolean;
  readonly prune: boolean;
  /** Events stepped. */
  transitions = 0;
  /** Successor states computed (events that returned another state object). */
  generated = 0;

  constructor(
    readonly mc: McConfig,
    readonly opts: SearchOptions,
    readonly table: StateTable,
  ) {
    const symmetry = (this.symmetry = opts.symmetry ?? true);
    this.reduce = symmetry && (opts.reduce ?? true);
    this.prune = opts.prune ?? (opts.step === undefined && opts.invariants === undefined);
    this.canon = new Canonicalizer(mc, symmetry, EXTRA_STRINGS);
    this.inv = opts.invariants ?? (specChecker ??= new InvariantChecker());
  }

  /** Inserts the initial state; returns its slot (or reports it). */
  initial(s: System, found: (f: Found) => void): number {
    this.canon.fingerprint(s);
    const slot = this.table.insert(this.canon.hi, this.canon.lo, -1, 0);
    if (this.symmetry) {
      this.canon.raw.full(s);
      this.seen.set(this.canon.raw.hi, this.canon.raw.lo, slot < 0 ? -1 - slot : slot);
    }
    const bad = this.inv.stateViolations(s);
    if (bad) found({ kind: "state", ids: bad, slot });
    return slot;
  }

  /**
   * Expands `s` (at `slot`, depth `depth`); `push(state, slot)` receives each new
   * non-violating successor. Returns false if the state had no successor but itself (deadlock).
   */
  expand(s: System, slot: number, depth: number, push: (t: System, slot: number) => void, found: (f: Found) => void): boolean {
    const { events, ownDomain, inRange } = enumerate(s, this.mc, this.reduce, this.prune);
    const raw = this.canon.raw;
    raw.setBase(s);
    let moved = false;
    this.stamp++; // a new set of siblings
    this.siblings = 0;
    let type = "";
    let of: ByType = this.none;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      if (ev.type !== type) of = this.following(of, (type = ev.type)); // events come in runs of one type
      // from its own domain with ids in range, the spec's step is its handler (spec/step.ts handlerOf)
      const out = i < ownDomain ? of.own(s, ev) : of.step(s, ev);
      this.transitions++;
      const t = out.state;
      // a successor equal to an earlier one of `s`: the transition between the two states was checked
      let pairChecked = false;
      if (t !== s) {
        raw.hash(t);
        pairChecked = this.seenSibling(raw.hi, raw.lo);
      }
      const known =
        (i < ownDomain ? Known.OWN_DOMAIN : 0) | (i < inRange ? Known.IDS_IN_RANGE : 0) | (pairChecked ? Known.PAIR_CHECKED : 0);
      const bad = this.inv.stepViolationsOf(of.checks, s, ev, out.result, t, known);
      if (bad) found({ kind: "step", ids: bad, parentSlot: slot, event: ev });
      if (t === s) continue;
      this.generated++;
      // equal to an earlier successor of `s`: fingerprinted, inserted and counted (moved) with it
      if (pairChecked) continue;
      let at: number;
      if (!this.symmetry)
        at = this.table.insert(raw.hi, raw.lo, slot, depth + 1); // the raw hash is the fingerprint
      else {
        const known = this.seen.get(raw.hi, raw.lo);
        if (known >= 0) {
          if (known !== slot) moved = true;
          continue;
        }
        this.canon.fingerprint(t);
        at = this.table.insert(this.canon.hi, this.canon.lo, slot, depth + 1);
        this.seen.set(raw.hi, raw.lo, at < 0 ? -1 - at : at);
      }
      if (at < 0) {
        if (-1 - at !== slot) moved = true;
        continue;
      }
      moved = true;
      const sbad = this.inv.stateViolationsAfter(s, t); // s satisfies them all: it is expanded
      if (sbad) {
        found({ kind: "state", ids: sbad, slot: at });
        continue;
      }
      push(t, at);
    }
    if (!moved && this.opts.deadlock) found({ kind: "deadlock", ids: ["DEADLOCK"], slot });
    return moved;
  }

  /**
   * Raw hashes of the distinct successors of the state being expanded: a small open-addressing set
   * whose entries count only when stamped with the current expansion (no clearing between states).
   */
  private readonly sibHi = new Int32Array(SIBLINGS);
  private readonly sibLo = new Int32Array(SIBLINGS);
  private readonly sibStamp = new Int32Array(SIBLINGS);
  private stamp = 0;
  private siblings = 0;

  /** Whether (hi, lo) was a successor of this expansion already; adds it if not (while there is room). */
  private seenSibling(hi: number, lo: number): boolean {
    let i = lo & (SIBLINGS - 1);
    while (this.sibStamp[i] === this.stamp) {
      if (this.sibLo[i] === lo && this.sibHi[i] === hi) return true;
      i = (i + 1) & (SIBLINGS - 1);
    }
    if (4 * ++this.siblings <= 3 * SIBLINGS) {
      this.sibStamp[i] = this.stamp;
      this.sibHi[i] = hi;
      this.sibLo[i] = lo;
    }
    return false;
  }

  /** Per event type: its step and its step checks, looked up once per run of events of the type. */
  private readonly byType = new Map<string, ByType>();
  /** A placeholder before the first event (no event type is ""). */
  private readonly none: ByType = {
    type: "",
    step: specStep,
    own: specStep,
    checks: { cases: [], domain: "env" },
    next: null,
    next2: null,
  };

  /** The entry of `type`, whose run follows a run of `prev`'s type. */
  private following(prev: ByType, type: string): ByType {
    const a = prev.next;
    if (a !== null && a.type === type) return a;
    const b = prev.next2;
    if (b !== null && b.type === type) {
      prev.next2 = a;
      prev.next = b;
      return b;
    }
    const e = this.entry(type);
    prev.next2 = a;
    prev.next = e;
    return e;
  }

  /** The entry of `type`, made on first use (apart from `following`, whose hits TurboFan inlines into `expand`). */
  private entry(type: string): ByType {
    let e = this.byType.get(type);
    if (e === undefined) {
      const t = type as Event["type"];
      e = {
        type,
        step: this.opts.step ?? stepOf(t),
        own: this.opts.step ?? handlerOf(t),
        checks: this.inv.checksOf(type),
        next: null,
        next2: null,
      };
      this.byType.set(type, e);
    }
    return e;
  }

  /**
   * The encoding of `t` to hand to another thread, as it is (not its canonical member): the worker
   * that expands it then meets the same successors as this thread would, which keeps the raw-hash
   * cache effective.
   */
  encoding(t: System): Int32Array {
    return this.canon.plain(t);
  }
}
