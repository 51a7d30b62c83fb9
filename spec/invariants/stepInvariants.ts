import { eventSchema, type Event, type EventType } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import { HOST, NONE, type Enclave, type Page, type System } from "../../model/state.ts";
import { callerDomain, inOwnDomain } from "../step/domain.ts";
import { belongsTo } from "../step/queries.ts";
import { pageTable, tableForKind } from "../tables/tables.ts";

// Step invariants of invariants.md §6: predicates over (S, event, result, S').

/** One step: the state before, the event, its result, the state after. */
export interface Transition {
  before: System;
  event: Event;
  result: Result;
  after: System;
}

/** LC-6 — a refused event changes nothing. */
export function lc6FailureChangesNothing(t: Transition): boolean {
  return t.result.status !== "error" || t.before === t.after || JSON.stringify(t.before) === JSON.stringify(t.after);
}

/** A rule on one enclave slot whose record a step replaced (`before` and `after` are not the same object). */
export type SlotChangeRule = (before: Enclave, after: Enclave, t: Transition) => boolean;
/** A rule on one page whose record a step replaced. */
export type PageChangeRule = (before: Page, after: Page, t: Transition) => boolean;

/** `rule` holds for every element of `after` that is not `before`'s element at its index (`step` copies on write: an unchanged slot or page is the same object). */
function everyChanged<T>(before: readonly T[], after: readonly T[], t: Transition, rule: (b: T, a: T, t: Transition) => boolean): boolean {
  if (before === after) return true;
  for (let i = 0; i < before.length; i++) {
    const b = before[i]!,
      a = after[i]!;
    if (a !== b && !rule(b, a, t)) return false;
  }
  return true;
}

/** `rule` holds for every slot the step changed. */
export function everyChangedSlot(t: Transition, rule: SlotChangeRule): boolean {
  return everyChanged(t.before.enclaves, t.after.enclaves, t, rule);
}

/** `rule` holds for every page the step changed. */
export function everyChangedPage(t: Transition, rule: PageChangeRule): boolean {
  return everyChanged(t.before.pages, t.after.pages, t, rule);
}

/** LC-1 on one slot: its state change is a transition its machine allows. */
export const lc1SlotMove: SlotChangeRule = (b, a) =>
  a.state === b.state || tableForKind(b.kind === "none" ? a.kind : b.kind).canMove(b.state, a.state);

/** LC-1 — every enclave's state change is a transition its machine allows. */
export function lc1AllowedLifecycleMoves(t: Transition): boolean {
  return everyChangedSlot(t, lc1SlotMove);
}

/** LC-3 — a host call from a hart running an enclave, or an enclave call from a host hart, is refused. */
export function lc3CallerDomain(t: Transition): boolean {
  const h = t.event.hart;
  if (h < 0 || h >= t.before.harts.length) return t.result.status === "error";
  const cur = t.before.harts[h]!;
  const caller = callerDomain(t.event.type);
  if (caller === "enclave") return cur !== HOST || t.result.code === "WRONG_DOMAIN";
  if (caller === "host") return cur === HOST || t.result.code === "WRONG_DOMAIN";
  return true;
}

/** The event of `t` comes from its own domain (the `wrongDomainOnly` form). */
export function fromOwnDomain(t: Pick<Transition, "before" | "event">): boolean {
  return inOwnDomain(callerDomain(t.event.type), t.before.harts, t.event.hart);
}

/** OW-5 on one page: its owner changes only along a transition of the pageOwnership machine. */
export const ow5PageMove: PageChangeRule = (b, a) => a.owner === b.owner || pageTable.canMove(b.owner, a.owner);

/** OW-5 — page ownership changes only along transitions of the pageOwnership machine. */
export function ow5OwnershipMovesAllowed(t: Transition): boolean {
  return everyChangedPage(t, ow5PageMove);
}

/** CS-1 on one page: leaving enclave ownership for the host, it is zeroed. */
export const cs1PageScrubbed: PageChangeRule = (b, a) =>
  !((b.owner === "enclave" || b.owner === "shadowRO" || b.owner === "secureShm") && a.owner === "host" && !a.zeroed);

/** CS-1 — a page leaving enclave ownership for the host is zeroed first. */
export function cs1ScrubOnRelease(t: Transition): boolean {
  return everyChangedPage(t, cs1PageScrubbed);
}

/** CS-2 on one page: entering an enclave from the host, it is zeroed or part of an enclave created in this step. */
export const cs2PageFresh: PageChangeRule = (b, a, t) =>
  b.owner !== "host" ||
  (a.owner !== "enclave" && a.owner !== "secureShm") ||
  a.zeroed ||
  (a.owner === "enclave" && t.before.enclaves[a.id]!.kind === "none");

/**
 * CS-2 — a page entering an enclave holds zeros or measured content: it is zeroed, or it belongs to
 * an enclave created in this step (its content is the measured image).
 */
export function cs2FreshPagesZeroedOrMeasured(t: Transition): boolean {
  return everyChangedPage(t, cs2PageFresh);
}

/** AT-2 on one slot: live before and after, its measurement is the same. */
export const at2SlotMeasurement: SlotChangeRule = (b, a) => b.kind === "none" || a.kind === "none" || a.measurement === b.measurement;

/** AT-2 — the stored measurement of an enclave that stays live never changes (reports derive, never write). */
export function at2MeasurementStable(t: Transition): boolean {
  return everyChangedSlot(t, at2SlotMeasurement);
}

const accepted = (t: Transition) => t.result.status === "ok";
const actor = (t: Transition) => t.before.harts[t.event.hart] ?? HOST;

/** MI-1 (access form) — an enclave's accepted load/store is to a page of its own domain; never a store to shared read-only pages. */
export function mi1EnclaveAccessInDomain(t: Transition): boolean {
  if (t.event.type !== "enclave.access" || !accepted(t)) return true;
  const { page, write } = t.event;
  return !!t.before.pages[page] && belongsTo(t.before, page, actor(t)) && !(write && t.before.pages[page]!.owner === "shadowRO");
}

/** MI-4 (access form) — an accepted host load/store never touches a private page. */
export function mi4HostNeverTouchesPrivate(t: Transition): boolean {
  return t.event.type !== "adversary.touch" || !accepted(t) || t.before.pages[t.event.page]?.secure === false;
}

/** LC-2 — run succeeds only on a fresh normal enclave; a timer resume only continues a preempted one. */
export function lc2RunOnlyFresh(t: Transition): boolean {
  if (!accepted(t)) return true;
  if (t.event.type === "host.run") {
    const en = t.before.enclaves[t.event.eid];
    return en?.state === "fresh" && en.kind === "normal";
  }
  if (t.event.type === "host.resume" && t.event.reason === "timer") {
    let e = t.event.eid;
    if (!t.before.enclaves[e]) return false;
    while (t.before.enclaves[e]!.callee !== NONE) e = t.before.enclaves[e]!.callee;
    return ["runnable", "preempted"].includes(t.before.enclaves[e]!.state);
  }
  return true;
}

/** LC-7 — destroy succeeds only on a live enclave not in a call and, for a shadow, without instances; afterwards no hart runs it. */
export function lc7DestroyPreconditions(t: Transition): boolean {
  if (t.event.type !== "host.destroy" || !accepted(t)) return true;
  const e = t.event.eid;
  const en = t.before.enclaves[e];
  if (!en) return false;
  const instances = t.before.enclaves.some((x) => x.kind === "instance" && x.parent === e);
  return (
    en.kind !== "none" &&
    en.callee === NONE &&
    en.caller === NONE &&
    !(en.kind === "shadow" && instances) &&
    !t.after.harts.includes(e)
  );
}

/** IPC-1 (step form) — a call succeeds only from a running enclave to an idle server, and links them. */
export function ipc1CallOnlyIdleServer(t: Transition): boolean {
  if (t.event.type !== "enclave.callServer" || !accepted(t)) return true;
  const c = actor(t);
  const sv = t.event.server;
  const b = t.before.enclaves[sv];
  const a = t.after.enclaves;
  return (
    !!b &&
    b.kind === "server" &&
    b.state === "idle" &&
    b.caller === NONE &&
    t.before.enclaves[c]!.state === "running" &&
    a[sv]!.caller === c &&
    a[c]!.callee === sv &&
    a[sv]!.state === "running" &&
    a[c]!.state === "blocked"
  );
}

/** IPC-4 — get_caller_id answers the real caller. */
export function ipc4RealCallerId(t: Transition): boolean {
  return t.event.type !== "enclave.getCallerId" || !accepted(t) || t.result.value === t.before.enclaves[actor(t)]!.caller;
}

/** AT-4 — host attestation succeeds only on a live enclave that is not running (fresh, stopped, idle server, shadow). */
export function at4AttestOnlyQuiescent(t: Transition): boolean {
  if (t.event.type !== "host.attest" || !accepted(t)) return true;
  return ["fresh", "stopped", "idle", "ready"].includes(t.before.enclaves[t.event.eid]?.state ?? "");
}

/** IPC-3 — every region an enclave hands over (request, response, relay) was in its own domain before the step. */
export function ipc3TransfersFromOwnDomain(t: Transition): boolean {
  if (!accepted(t)) return true;
  const e = actor(t);
  const ownsPage = (p: number) => t.before.pages[p]?.owner === "enclave" && t.before.pages[p]!.id === e;
  const holds = (r: number) => t.before.relays[r]?.holder === "enclave" && t.before.relays[r]!.eid === e;
  switch (t.event.type) {
    case "enclave.callServer":
      return t.event.reqPages.every(ownsPage) && (t.event.reqRelay === NONE || holds(t.event.reqRelay));
    case "enclave.serverReturn":
      return t.event.respPages.every(ownsPage);
    case "enclave.asyncCall":
    case "enclave.splitRelay":
      return holds(t.event.relay);
    default:
      return true;
  }
}

/** SP-3 — an eid, page, shm or relay id outside its table is refused, never used. */
export function sp3IdsRangeChecked(t: Transition): boolean {
  return t.result.status === "error" || idsInRange(t.event, t.before.config);
}

/** Every id field of `ev` (eid, shadow, server, shm, relay, page, pages) names an entry of its table, or NONE where optional. */
export function idsInRange(ev: Event, c: System["config"]): boolean {
  const fields = sp3Fields.get(ev.type);
  if (fields === undefined) return true;
  const x = ev as unknown as Record<string, unknown>;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]![0], v = x[f];
    if (f === "pages") { for (const p of v as number[]) if (!(p >= 0 && p < c.pages)) return false; }
    else if (outOfRange(v, c[fields[i]![1]])) return false;
  }
  return true;
}

/** The id fields SP-3 reads and the table each indexes. */
const SP3_FIELDS = [["eid", "enclaves"], ["shadow", "enclaves"], ["server", "enclaves"], ["shm", "shms"], ["relay", "relays"], ["page", "pages"], ["pages", "pages"]] as const;
/** Per event type: the id fields its schema has (read straight from them, not probed on every event). */
const sp3Fields = new Map<string, readonly (typeof SP3_FIELDS)[number][]>(
  eventSchema.options
    .map((o) => [o.shape.type.value, SP3_FIELDS.filter(([f]) => f in o.shape)] as const)
    .filter(([, fs]) => fs.length > 0),
);

/** The event types with a field SP-3 reads (the others satisfy it whatever happens). */
const sp3Events: readonly EventType[] = [...sp3Fields.keys()] as EventType[];

/** `v` is an id (a number other than NONE) outside [0, n). */
function outOfRange(v: unknown, n: number): boolean {
  return typeof v === "number" && v !== NONE && !(v >= 0 && v < n);
}

/**
 * A step invariant with its catalog id and two facts about its form, which a checker may use to skip
 * evaluations whose verdict is known (spec/invariants/stepInvariants.test.ts checks both on random
 * transitions):
 *  - `frame`: it holds whenever `after` is `before` itself (it only compares the two states);
 *  - `vacuousOnError`: it holds whenever the result is an error (it constrains other steps only);
 *  - `events` (when given): it holds whenever the event is of another type (it constrains those only);
 *  - `wrongDomainOnly`: it holds whenever the event comes from its own domain ({@link fromOwnDomain});
 *  - `outOfRangeOnly`: it holds whenever every id the event names is inside its table ({@link idsInRange});
 *  - `statesOnly`: its verdict depends on `before` and `after` alone, not on the event or the result
 *    (equal state pairs get equal verdicts);
 *  - `slotRule` / `pageRule` (when given): it holds iff the rule holds for every enclave slot / page
 *    the step changed ({@link everyChangedSlot}, {@link everyChangedPage}), so a checker may run the
 *    rules of several invariants in one pass over the slots or pages.
 */
export interface StepInvariant {
  id: string;
  holds: (t: Transition) => boolean;
  frame: boolean;
  vacuousOnError: boolean;
  events?: readonly EventType[];
  wrongDomainOnly?: boolean;
  outOfRangeOnly?: boolean;
  statesOnly?: boolean;
  slotRule?: SlotChangeRule;
  pageRule?: PageChangeRule;
}

/** Every step invariant with its catalog id. */
export const stepInvariants: readonly StepInvariant[] = [
  { id: "LC-1", holds: lc1AllowedLifecycleMoves, frame: true, vacuousOnError: false, statesOnly: true, slotRule: lc1SlotMove },
  { id: "LC-3", holds: lc3CallerDomain, frame: false, vacuousOnError: false, wrongDomainOnly: true },
  { id: "LC-6", holds: lc6FailureChangesNothing, frame: true, vacuousOnError: false },
  { id: "OW-5", holds: ow5OwnershipMovesAllowed, frame: true, vacuousOnError: false, statesOnly: true, pageRule: ow5PageMove },
  { id: "CS-1", holds: cs1ScrubOnRelease, frame: true, vacuousOnError: false, statesOnly: true, pageRule: cs1PageScrubbed },
  { id: "CS-2", holds: cs2FreshPagesZeroedOrMeasured, frame: true, vacuousOnError: false, statesOnly: true, pageRule: cs2PageFresh },
  { id: "AT-2", holds: at2MeasurementStable, frame: true, vacuousOnError: false, statesOnly: true, slotRule: at2SlotMeasurement },
  { id: "MI-1", holds: mi1EnclaveAccessInDomain, frame: false, vacuousOnError: true, events: ["enclave.access"] },
  { id: "MI-4", holds: mi4HostNeverTouchesPrivate, frame: false, vacuousOnError: true, events: ["adversary.touch"] },
  { id: "LC-2", holds: lc2RunOnlyFresh, frame: false, vacuousOnError: true, events: ["host.run", "host.resume"] },
  { id: "LC-7", holds: lc7DestroyPreconditions, frame: false, vacuousOnError: true, events: ["host.destroy"] },
  { id: "IPC-1", holds: ipc1CallOnlyIdleServer, frame: false, vacuousOnError: true, events: ["enclave.callServer"] },
  { id: "IPC-4", holds: ipc4RealCallerId, frame: false, vacuousOnError: true, events: ["enclave.getCallerId"] },
  { id: "AT-4", holds: at4AttestOnlyQuiescent, frame: false, vacuousOnError: true, events: ["host.attest"] },
  {
    id: "IPC-3",
    holds: ipc3TransfersFromOwnDomain,
    frame: false,
    vacuousOnError: true,
    events: ["enclave.callServer", "enclave.serverReturn", "enclave.asyncCall", "enclave.splitRelay"],
  },
  { id: "SP-3", holds: sp3IdsRangeChecked, frame: false, vacuousOnError: true, events: sp3Events, outOfRangeOnly: true },
];

/** The ids of the step invariants a transition violates (empty when all hold). */
export function violatedStepInvariants(t: Transition): string[] {
  return stepInvariants.filter((inv) => !inv.holds(t)).map((inv) => inv.id);
}
