import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import type { Enclave, System } from "../../model/state.ts";
import {
  at2MeasuredOnce,
  at6InstanceMeasurement,
  ipc1CallLinksConsistent,
  ipc2ChainsAcyclic,
  ipc5ShmRefcount,
  ipc6ForkParentage,
  lc4OnlyRunningEnclavesRun,
  lc5OneHartPerEnclave,
  mi2RegionsDisjoint,
  mi3OutsideMonitorAndPta,
  ow1OwnerAndBitmapAgree,
  ow2DeadEnclavesOwnNothing,
  ow3RefcountsAgree,
  ow4OwnersAreLive,
  ow6RelayExclusive,
  srv1ServerTableAgrees,
  stateInvariants,
  type StateInvariant,
} from "../../spec/invariants/stateInvariants.ts";
import {
  stepInvariants,
  type PageChangeRule,
  type SlotChangeRule,
  type Transition,
} from "../../spec/invariants/stepInvariants.ts";
import { callerDomain, inOwnDomain, type CallerDomain } from "../../spec/step/domain.ts";

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
  /** Holds for every event from its own domain (fromOwnDomain in stepInvariants.ts). */
  wrongDomainOnly?: boolean;
  /** Holds for every event whose ids are all inside their tables (idsInRange in stepInvariants.ts). */
  outOfRangeOnly?: boolean;
  /** Its verdict is a function of the before- and after-state alone. */
  statesOnly?: boolean;
  /** It holds iff this holds for every enclave slot the step changed (everyChangedSlot in stepInvariants.ts). */
  slotRule?: SlotChangeRule;
  /** It holds iff this holds for every page the step changed (everyChangedPage in stepInvariants.ts). */
  pageRule?: PageChangeRule;
}

/**
 * The parts of a `System` a state invariant may read, one bit each. An enclave slot's fields come in
 * three parts: `ENCLAVES` what it is (kind, name, creator, measurement, parent), `ENCLAVE_RUN` where
 * it is in its run (state, pending ocall and its arguments, retval, memArg) and `ENCLAVE_LINKS` what
 * it holds or is linked to (caller, callee, relays, shm, lent call pages and relay). `PAGES` is the
 * pages' owner, id and secure bit, `ZEROED` their zeroed bit; `SHAPE` is the configuration and the
 * lengths of the tables (which `step` never changes).
 */
export const Part = {
  HARTS: 1,
  ENCLAVES: 2,
  ENCLAVE_RUN: 4,
  ENCLAVE_LINKS: 8,
  PAGES: 16,
  ZEROED: 32,
  SHMS: 64,
  SECURE_SHMS: 128,
  RELAYS: 256,
  SERVERS: 512,
  SHAPE: 1024,
} as const;
const ALL_PARTS = 2047;

const { HARTS, ENCLAVES, ENCLAVE_RUN, ENCLAVE_LINKS, PAGES, SHMS, SECURE_SHMS, RELAYS, SERVERS, SHAPE } = Part;

/**
 * What each of the spec's state invariants reads besides the shape, which they all read (its
 * verdict is a function of these parts of the state and the shape). invariants.test.ts checks each claim: every read of a predicate on random states (through
 * a proxy) is of a declared part, and the predicate's verdict on a state equals its verdict on the
 * state with every undeclared part replaced by another state's. An invariant not listed here (a new
 * one, a mutant's) is taken to read everything.
 */
export const stateReads: ReadonlyMap<(s: System) => boolean, number> = new Map<(s: System) => boolean, number>([
  [mi2RegionsDisjoint, PAGES | SHMS | SECURE_SHMS | RELAYS],
  [mi3OutsideMonitorAndPta, PAGES],
  [ow1OwnerAndBitmapAgree, PAGES],
  [ow2DeadEnclavesOwnNothing, ENCLAVES | ENCLAVE_RUN | ENCLAVE_LINKS | PAGES | RELAYS | SHMS | HARTS | SECURE_SHMS],
  [ow3RefcountsAgree, SHMS | ENCLAVE_LINKS | RELAYS],
  [ow4OwnersAreLive, PAGES | ENCLAVES],
  [ow6RelayExclusive, RELAYS | PAGES | ENCLAVES | ENCLAVE_LINKS],
  [lc4OnlyRunningEnclavesRun, HARTS | ENCLAVES | ENCLAVE_RUN],
  [lc5OneHartPerEnclave, HARTS | ENCLAVE_RUN],
  [ipc1CallLinksConsistent, ENCLAVES | ENCLAVE_RUN | ENCLAVE_LINKS],
  [ipc2ChainsAcyclic, ENCLAVE_RUN | ENCLAVE_LINKS],
  [ipc5ShmRefcount, SHMS | SECURE_SHMS | ENCLAVES | PAGES],
  [ipc6ForkParentage, ENCLAVES | ENCLAVE_RUN],
  [at2MeasuredOnce, ENCLAVES],
  [at6InstanceMeasurement, ENCLAVES],
  [srv1ServerTableAgrees, ENCLAVES | SERVERS],
]);

/** The parts (`Part` bits) in which `t` may differ from `s`: those not shared as the very same objects, slots and pages compared field by field. */
export function changedParts(s: System, t: System): number {
  let d = 0;
  if (s.harts !== t.harts) d |= HARTS;
  if (s.enclaves !== t.enclaves) d |= enclaveParts(s.enclaves, t.enclaves);
  if (s.pages !== t.pages) {
    const a = s.pages,
      b = t.pages;
    if (a.length !== b.length) d |= PAGES | Part.ZEROED | SHAPE;
    else
      for (let p = 0; p < a.length; p++) {
        const x = a[p]!,
          y = b[p]!;
        if (x === y) continue;
        if (x.owner !== y.owner || x.id !== y.id || x.secure !== y.secure) d |= PAGES;
        if (x.zeroed !== y.zeroed) d |= Part.ZEROED;
      }
  }
  if (s.shms !== t.shms) d |= SHMS;
  if (s.secureShms !== t.secureShms) d |= SECURE_SHMS;
  if (s.relays !== t.relays) d |= RELAYS;
  if (s.servers !== t.servers) d |= SERVERS;
  if (
    s.config !== t.config ||
    s.harts.length !== t.harts.length ||
    s.enclaves.length !== t.enclaves.length ||
    s.shms.length !== t.shms.length ||
    s.secureShms.length !== t.secureShms.length ||
    s.relays.length !== t.relays.length
  )
    d |= SHAPE;
  return d;
}

/** The enclave parts (and the shape) in which two slot tables differ: slots that are not the very same object compared field by field (lists by identity). */
function enclaveParts(a: readonly Enclave[], b: readonly Enclave[]): number {
  if (a.length !== b.length) return ENCLAVES | ENCLAVE_RUN | ENCLAVE_LINKS | SHAPE;
  let d = 0;
  for (let e = 0; e < a.length; e++) {
    const x = a[e]!,
      y = b[e]!;
    if (x === y) continue;
    if (
      x.kind !== y.kind ||
      x.name !== y.name ||
      x.creator !== y.creator ||
      x.measurement !== y.measurement ||
      x.parent !== y.parent
    )
      d |= ENCLAVES;
    if (
      x.state !== y.state ||
      x.pending !== y.pending ||
      x.pendingPages !== y.pendingPages ||
      x.pendingKey !== y.pendingKey ||
      x.retval !== y.retval ||
      x.memArg !== y.memArg
    )
      d |= ENCLAVE_RUN;
    if (
      x.caller !== y.caller ||
      x.callee !== y.callee ||
      x.relays !== y.relays ||
      x.shm !== y.shm ||
      x.callPages !== y.callPages ||
      x.callRelay !== y.callRelay
    )
      d |= ENCLAVE_LINKS;
  }
  return d;
}

/**
 * Evaluates the spec's invariants for the checker. Step invariants are skipped where their form
 * decides them (the spec declares it per invariant; spec/invariants/stepInvariants.test.ts checks
 * the declarations, invariants.test.ts compares this class with the spec's predicates):
 *  - a `frame` invariant (LC-1, LC-6, OW-5, CS-1, CS-2, AT-2) holds when `step` returned the very
 *    same state object (a refused event, or an accepted one that changes nothing) — in particular
 *    LC-6, "a refused event changes nothing", is this identity;
 *  - a `vacuousOnError` invariant holds when the result is an error;
 *  - an invariant declaring its `events` holds for an event of another type;
 *  - a `wrongDomainOnly` invariant (LC-3) holds for an event from its own domain;
 *  - an `outOfRangeOnly` invariant (SP-3) holds for an event the caller knows to name only ids inside
 *    their tables (the model checker's enumerator knows it of every event it does not build as a probe);
 *  - a `statesOnly` invariant (LC-1, OW-5, CS-1, CS-2, AT-2) has, on a transition between two states
 *    the caller already checked a transition between, the verdict it had there (the model checker
 *    meets such pairs when two events of one state have the same effect).
 * An event refused in its own domain therefore costs nothing (not even the record of the transition),
 * and an accepted one the invariants that constrain every event or its type. An invariant given by a
 * `slotRule` or `pageRule` (LC-1, AT-2; OW-5, CS-1, CS-2) is evaluated through its rule, in one pass
 * over the changed slots or pages shared with the others (stepInvariants.test.ts checks that each
 * rule agrees with its predicate).
 */
export class InvariantChecker {
  /**
   * The step invariants to evaluate, by event type, then by case: (same state object ? 1 : 0) +
   * (error ? 2 : 0) + (from its own domain ? 4 : 0) + (ids known in range ? 8 : 0) + (state pair
   * already checked ? 16 : 0); and the event type's issuing domain.
   */
  private readonly byType = new Map<string, TypeChecks>();

  /** The state invariants as one check. */
  private readonly stateCheck: Check<System>;
  /** What each state invariant reads (`Part` bits; all for one `stateReads` does not know). */
  private readonly reads: readonly number[];
  /** Per set of changed parts: the check of the state invariants that read one of them. */
  private readonly byChange: (AfterCheck | undefined)[] = new Array<AfterCheck | undefined>(ALL_PARTS + 1);

  constructor(
    readonly state: readonly StateInvariant[] = stateInvariants,
    readonly step: readonly StepInvariant[] = stepInvariants,
  ) {
    this.stateCheck = compile(state);
    this.reads = state.map((i) => (stateReads.get(i.holds) ?? ALL_PARTS) | SHAPE);
  }

  private lastType = "";
  private last: TypeChecks = { cases: [], domain: "env" };

  /** The case lists of event type `type` (events come in runs of one type: the last is kept at hand). */
  private cases(type: string): TypeChecks {
    if (type === this.lastType) return this.last;
    this.lastType = type;
    return (this.last = this.listsOf(type));
  }

  /** The compiled check of each list of step invariants met (by their ids): cases and types with equal lists share one. */
  private readonly checks = new Map<string, Check>();

  private compiled(list: readonly StepInvariant[]): Check {
    const key = list.map((i) => i.id).join(" ");
    let c = this.checks.get(key);
    if (!c) this.checks.set(key, (c = compileStep(list)));
    return c;
  }

  private listsOf(type: string): TypeChecks {
    let c = this.byType.get(type);
    if (!c) {
      const step = this.step.filter((i) => !i.events || i.events.includes(type));
      const cases: (Check | null)[] = [];
      for (let k = 0; k < 32; k++) {
        const list = step.filter(
          (i) =>
            !((k & 1) !== 0 && i.frame) &&
            !((k & 2) !== 0 && i.vacuousOnError) &&
            !((k & 4) !== 0 && i.wrongDomainOnly) &&
            !((k & 8) !== 0 && i.outOfRangeOnly) &&
            !((k & 16) !== 0 && i.statesOnly),
        );
        cases.push(list.length ? this.compiled(list) : null); // null: nothing to evaluate
      }
      c = { cases, domain: callerDomain(type) };
      this.byType.set(type, c);
    }
    return c;
  }

  /** Ids of the state invariants `s` violates (null when none). */
  stateViolations(s: System): string[] | null {
    return this.stateCheck(s);
  }

  /**
   * `stateViolations(t)` for a successor `t` of `s`, where `s` satisfies every state invariant:
   * only the invariants that read a part in which `t` differs from `s` are evaluated, the others
   * have the verdict they had on `s`; one given by a page (slot) rule is evaluated on the pages
   * (slots) that are not `s`'s very objects (invariants.test.ts compares the two on random transitions).
   */
  stateViolationsAfter(s: System, t: System): string[] | null {
    const d = changedParts(s, t);
    let check = this.byChange[d];
    if (!check) check = this.byChange[d] = compileAfter(this.state.filter((_, i) => (this.reads[i]! & d) !== 0));
    return check(t, s);
  }

  /**
   * Ids of the step invariants the transition violates (null when none). `idsInRange`: the caller
   * knows that every id the event names is inside its table (idsInRange of stepInvariants.ts).
   * `pairChecked`: the caller checked another transition between the same two states (equal
   * values), so the `statesOnly` invariants have the verdict they had there, which it reported.
   */
  stepViolations(
    before: System,
    event: Event,
    result: Result,
    after: System,
    idsInRange = false,
    pairChecked = false,
  ): string[] | null {
    const known = (idsInRange ? Known.IDS_IN_RANGE : 0) | (pairChecked ? Known.PAIR_CHECKED : 0);
    return this.stepViolationsOf(this.cases(event.type), before, event, result, after, known);
  }

  /** The step checks of events of type `type` (for `stepViolationsOf`). */
  checksOf(type: string): TypeChecks {
    return this.cases(type);
  }

  /**
   * `stepViolations` for an event of the type whose checks are `checks` (`checksOf(event.type)`);
   * `known`: what the caller knows of the transition (`Known` bits).
   */
  stepViolationsOf(
    { cases, domain }: TypeChecks,
    before: System,
    event: Event,
    result: Result,
    after: System,
    known: number,
  ): string[] | null {
    // fromOwnDomain, the domain looked up once per type
    const own = (known & Known.OWN_DOMAIN) !== 0 || inOwnDomain(domain, before.harts, event.hart);
    const k = (before === after ? 1 : 0) + (result.status === "error" ? 2 : 0) + (own ? 4 : 0);
    const check = cases[k + (known & (Known.IDS_IN_RANGE | Known.PAIR_CHECKED))]!;
    if (check === null) return null;
    // a fresh record (one young allocation) rather than a reused one: storing young objects into a
    // long-lived record costs a write-barrier slow path per field
    return check({ before, event, result, after });
  }
}

/**
 * What a caller may know of a transition (bits of the checker's case index): the event comes from its
 * own domain (fromOwnDomain), names only ids inside their tables (idsInRange), or goes between two
 * states a transition between which was checked already (the statesOnly invariants had their say).
 */
export const Known = { OWN_DOMAIN: 4, IDS_IN_RANGE: 8, PAIR_CHECKED: 16 } as const;

/** The compiled step checks of one event type, by case (null: nothing to evaluate), and the type's issuing domain. */
export interface TypeChecks {
  cases: (Check | null)[];
  domain: CallerDomain;
}

/** Evaluates a list of invariants: the ids of those that fail (null when none). */
type Check<T = Transition> = (x: T) => string[] | null;

/** An invariant as the compiled checks take it: a predicate, and maybe a rule on each slot or page. */
interface Compilable {
  id: string;
  holds: (x: never) => boolean;
  slotRule?: unknown;
  pageRule?: unknown;
}

/**
 * A check of `invs` in order: a function of `params` returning the ids of those that fail (null when
 * none). Each list gets code of its own (new Function), in which each invariant has its own call
 * site: V8 sees one target per site and can inline the predicate (one shared loop made every call
 * megamorphic). With `rules`, the invariants given by a slot rule share one pass over the slots that
 * are not the very objects they were in `rules.before`, those given by a page rule one over such
 * pages (`rules.args`: the arguments of a rule call, of `b`, `a`, `k` and the first parameter `x`);
 * the others are evaluated whole, on `x`.
 */
function compileChecks(
  invs: readonly Compilable[],
  params = "x",
  rules?: { before: (table: string) => string; after: (table: string) => string; args: string },
): (...args: never[]) => string[] | null {
  const slots = rules ? invs.flatMap((inv, i) => (inv.slotRule ? [i] : [])) : [];
  const pages = rules ? invs.flatMap((inv, i) => (inv.pageRule && !inv.slotRule ? [i] : [])) : [];
  const pass = (idx: number[], table: string) =>
    idx.length === 0 || !rules
      ? ""
      : `${idx.map((i) => `let ok${i} = true;`).join(" ")}
const b${table} = ${rules.before(table)}, a${table} = ${rules.after(table)};
if (b${table} !== a${table})
  for (let k = 0; k < a${table}.length; k++) {
    const b = b${table}[k], a = a${table}[k];
    if (a === b) continue;
    ${idx.map((i) => `if (ok${i} && !r${i}(${rules.args})) ok${i} = false;`).join("\n    ")}
  }
`;
  const ruled = new Set([...slots, ...pages]);
  const verdicts = invs.map((_, i) => `if (!${ruled.has(i) ? `ok${i}` : `h${i}(x)`}) (out ??= []).push(ids[${i}]);`).join("\n");
  const names = invs.flatMap((_, i) => [`h${i}`, `r${i}`]);
  const body = `return function check(${params}) {\nlet out = null;\n${pass(slots, "enclaves")}${pass(pages, "pages")}${verdicts}\nreturn out;\n};`;
  return new Function(...names, "ids", body)(
    ...invs.flatMap((inv) => [inv.holds, inv.slotRule ?? inv.pageRule]),
    invs.map((i) => i.id),
  );
}

/** A `Check` of `invs` in order, each evaluated whole. */
function compile<T>(invs: readonly { id: string; holds: (x: T) => boolean }[]): Check<T> {
  return compileChecks(invs) as Check<T>;
}

/**
 * The check of step invariants, where those given by a slot or page rule share one pass over the
 * changed slots and one over the changed pages, instead of a pass each (the spec's five such
 * invariants took ~6% of a search; fused, side-by-side runs are 3–4% faster).
 */
function compileStep(invs: readonly StepInvariant[]): Check<Transition> {
  return compileChecks(invs, "x", {
    before: (table) => `x.before.${table}`,
    after: (table) => `x.after.${table}`,
    args: "b, a, x",
  }) as Check<Transition>;
}

/** A check of state invariants on a successor (`x`) of a state (`parent`) that satisfies them all. */
type AfterCheck = (x: System, parent: System) => string[] | null;

/**
 * The check of state invariants on a successor: one given by a page (slot) rule is the rule on each
 * page (slot) that is not the parent's very object (the parent satisfies it everywhere).
 */
function compileAfter(invs: readonly StateInvariant[]): AfterCheck {
  return compileChecks(invs, "x, parent", {
    before: (table) => `parent.${table}`,
    after: (table) => `x.${table}`,
    args: "a, k, x",
  }) as AfterCheck;
}
