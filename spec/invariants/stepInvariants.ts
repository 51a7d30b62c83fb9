import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import { HOST, NONE, type System } from "../../model/state.ts";
import { belongsTo } from "../step/queries.ts";
import { enclaveOps } from "../machines/enclaveOps.ts";
import { pageEvents } from "../machines/pageOwnership.machine.ts";
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
  return t.result.status !== "error" || JSON.stringify(t.before) === JSON.stringify(t.after);
}

/** LC-1 — every enclave's state change is a transition its machine allows. */
export function lc1AllowedLifecycleMoves(t: Transition): boolean {
  return t.before.enclaves.every((b, e) => {
    const a = t.after.enclaves[e]!;
    if (a.state === b.state) return true;
    const table = tableForKind(b.kind === "none" ? a.kind : b.kind);
    return enclaveOps.some((op) => {
      for (let f = 0; f < 1 << table.factBits; f++) {
        const o = table.lookup(b.state, op, f);
        if (o.ok && o.target === a.state) return true;
      }
      return false;
    });
  });
}

/** LC-3 — a host call from a hart running an enclave, or an enclave call from a host hart, is refused. */
export function lc3CallerDomain(t: Transition): boolean {
  const h = t.event.hart;
  if (h < 0 || h >= t.before.harts.length) return t.result.status === "error";
  const cur = t.before.harts[h]!;
  if (t.event.type.startsWith("enclave.")) return cur !== HOST || t.result.code === "WRONG_DOMAIN";
  if (t.event.type.startsWith("host.") || t.event.type.startsWith("adversary."))
    return cur === HOST || t.result.code === "WRONG_DOMAIN";
  return true;
}

/** OW-5 — page ownership changes only along transitions of the pageOwnership machine. */
export function ow5OwnershipMovesAllowed(t: Transition): boolean {
  return t.before.pages.every((b, p) => {
    const a = t.after.pages[p]!;
    if (a.owner === b.owner) return true;
    return pageEvents.some((op) => [0, 1].some((f) => {
      const o = pageTable.lookup(b.owner, op, f);
      return o.ok && o.target === a.owner;
    }));
  });
}

/** CS-1 — a page leaving enclave ownership for the host is zeroed first. */
export function cs1ScrubOnRelease(t: Transition): boolean {
  return t.before.pages.every((b, p) => {
    const a = t.after.pages[p]!;
    const fromEnclaves = b.owner === "enclave" || b.owner === "shadowRO" || b.owner === "secureShm";
    return !(fromEnclaves && a.owner === "host") || a.zeroed;
  });
}

/**
 * CS-2 — a page entering an enclave holds zeros or measured content: it is zeroed, or it belongs to
 * an enclave created in this step (its content is the measured image).
 */
export function cs2FreshPagesZeroedOrMeasured(t: Transition): boolean {
  return t.before.pages.every((b, p) => {
    const a = t.after.pages[p]!;
    if (b.owner !== "host" || (a.owner !== "enclave" && a.owner !== "secureShm")) return true;
    return a.zeroed || (a.owner === "enclave" && t.before.enclaves[a.id]!.kind === "none");
  });
}

/** AT-2 — the stored measurement of an enclave that stays live never changes (reports derive, never write). */
export function at2MeasurementStable(t: Transition): boolean {
  return t.before.enclaves.every((b, e) => {
    const a = t.after.enclaves[e]!;
    return b.kind === "none" || a.kind === "none" || a.measurement === b.measurement;
  });
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
  return en.kind !== "none" && en.callee === NONE && en.caller === NONE && !(en.kind === "shadow" && instances) &&
    !t.after.harts.includes(e);
}

/** IPC-1 (step form) — a call succeeds only from a running enclave to an idle server, and links them. */
export function ipc1CallOnlyIdleServer(t: Transition): boolean {
  if (t.event.type !== "enclave.callServer" || !accepted(t)) return true;
  const c = actor(t);
  const sv = t.event.server;
  const b = t.before.enclaves[sv];
  const a = t.after.enclaves;
  return !!b && b.kind === "server" && b.state === "idle" && b.caller === NONE && t.before.enclaves[c]!.state === "running" &&
    a[sv]!.caller === c && a[c]!.callee === sv && a[sv]!.state === "running" && a[c]!.state === "blocked";
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
  const ev = t.event as Record<string, unknown>;
  const c = t.before.config;
  const out = (field: string, n: number) => typeof ev[field] === "number" && ev[field] !== NONE && !((ev[field] as number) >= 0 && (ev[field] as number) < n);
  const bad = out("eid", c.enclaves) || out("shadow", c.enclaves) || out("server", c.enclaves) || out("shm", c.shms) ||
    out("relay", c.relays) || out("page", c.pages) ||
    (Array.isArray(ev.pages) && (ev.pages as number[]).some((p) => !(p >= 0 && p < c.pages)));
  return !bad || t.result.status === "error";
}

/** Every step invariant with its catalog id. */
export const stepInvariants: readonly { id: string; holds: (t: Transition) => boolean }[] = [
  { id: "LC-1", holds: lc1AllowedLifecycleMoves },
  { id: "LC-3", holds: lc3CallerDomain },
  { id: "LC-6", holds: lc6FailureChangesNothing },
  { id: "OW-5", holds: ow5OwnershipMovesAllowed },
  { id: "CS-1", holds: cs1ScrubOnRelease },
  { id: "CS-2", holds: cs2FreshPagesZeroedOrMeasured },
  { id: "AT-2", holds: at2MeasurementStable },
  { id: "MI-1", holds: mi1EnclaveAccessInDomain },
  { id: "MI-4", holds: mi4HostNeverTouchesPrivate },
  { id: "LC-2", holds: lc2RunOnlyFresh },
  { id: "LC-7", holds: lc7DestroyPreconditions },
  { id: "IPC-1", holds: ipc1CallOnlyIdleServer },
  { id: "IPC-4", holds: ipc4RealCallerId },
  { id: "AT-4", holds: at4AttestOnlyQuiescent },
  { id: "IPC-3", holds: ipc3TransfersFromOwnDomain },
  { id: "SP-3", holds: sp3IdsRangeChecked },
];

/** The ids of the step invariants a transition violates (empty when all hold). */
export function violatedStepInvariants(t: Transition): string[] {
  return stepInvariants.filter((inv) => !inv.holds(t)).map((inv) => inv.id);
}
