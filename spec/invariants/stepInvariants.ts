import type { Event } from "../../model/events.ts";
import type { Result } from "../../model/result.ts";
import { HOST, type System } from "../../model/state.ts";
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
    return !((b.owner === "enclave" || b.owner === "shadowRO") && a.owner === "host") || a.zeroed;
  });
}

/**
 * CS-2 — a page entering an enclave holds zeros or measured content: it is zeroed, or it belongs to
 * an enclave created in this step (its content is the measured image).
 */
export function cs2FreshPagesZeroedOrMeasured(t: Transition): boolean {
  return t.before.pages.every((b, p) => {
    const a = t.after.pages[p]!;
    if (b.owner !== "host" || a.owner !== "enclave") return true;
    return a.zeroed || t.before.enclaves[a.id]!.kind === "none";
  });
}

/** AT-2 — the stored measurement of an enclave that stays live never changes (reports derive, never write). */
export function at2MeasurementStable(t: Transition): boolean {
  return t.before.enclaves.every((b, e) => {
    const a = t.after.enclaves[e]!;
    return b.kind === "none" || a.kind === "none" || a.measurement === b.measurement;
  });
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
];

/** The ids of the step invariants a transition violates (empty when all hold). */
export function violatedStepInvariants(t: Transition): string[] {
  return stepInvariants.filter((inv) => !inv.holds(t)).map((inv) => inv.id);
}
