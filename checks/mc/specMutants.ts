import type { Event } from "../../model/events.ts";
import { ok } from "../../model/result.ts";
import type { System } from "../../model/state.ts";
import { step as specStep, type StepOutput } from "../../spec/step.ts";
import { Change } from "../../spec/step/change.ts";
import { releaseEnclave } from "../../spec/step/effects.ts";
import type { StepFn } from "./expander.ts";

/**
 * Spec mutants of the checker's own (until the checker issue's mutants exist): wrappers around
 * `spec.step` that weaken a guard or drop an effect. Each names the bug class of invariants.md §7
 * it stands for, the invariant that must catch it, and the length of the shortest trace known to
 * reach the violation (hand-built, in specMutants.test.ts).
 */
export interface SpecMutant {
  id: string;
  description: string;
  /** Invariant ids of which at least one must be reported. */
  caughtBy: string[];
  /** Length of the shortest violating trace known (the BFS trace must be no longer). */
  shortestKnown: number;
  step: StepFn;
}

const base = (s: System, ev: Event): StepOutput => specStep(s, ev);

/** Pretends every page of `pages` is public host memory. */
function asHostPages(s: System, pages: readonly number[]): System {
  const c = new Change(s);
  for (const p of pages) if (p >= 0 && p < s.pages.length) c.putPage(p, { owner: "host", id: -1, secure: false, zeroed: s.pages[p]!.zeroed });
  return c.done();
}

/** The mutants. */
export const specMutants: readonly SpecMutant[] = [
  {
    id: "M39-destroy-blocked-caller",
    description: "weakened guard: host.destroy of a caller blocked in a server call succeeds (Penglai OBSERVED)",
    caughtBy: ["IPC-1", "LC-7", "LC-1", "IPC-2"],
    shortestKnown: 5, // create server, create normal, run it, call the server, destroy the caller
    step(s, ev) {
      const out = base(s, ev);
      if (ev.type !== "host.destroy" || out.result.code !== "CALLER_BLOCKED") return out;
      const c = new Change(s);
      releaseEnclave(c, ev.eid);
      return { state: c.done(), result: ok() };
    },
  },
  {
    id: "M16-create-takes-private-page",
    description: "weakened guard: host.create accepts pages that are not public host memory",
    caughtBy: ["MI-3", "OW-5", "MI-2", "OW-6", "IPC-5"],
    shortestKnown: 1, // create over a monitor page
    step(s, ev) {
      const out = base(s, ev);
      if (ev.type !== "host.create" || out.result.code !== "PAGES_NOT_AVAILABLE") return out;
      const again = base(asHostPages(s, ev.pages), ev);
      return again.result.status === "ok" ? again : out;
    },
  },
  {
    id: "M27-keep-owner-after-destroy",
    description: "dropped effect: a destroyed enclave's first page keeps its owner",
    caughtBy: ["OW-2", "OW-4"],
    shortestKnown: 2, // create, destroy
    step(s, ev) {
      const out = base(s, ev);
      if (ev.type !== "host.destroy" || out.result.status !== "ok") return out;
      const p = s.pages.findIndex((pg) => pg.owner === "enclave" && pg.id === ev.eid);
      if (p < 0) return out;
      const c = new Change(out.state);
      c.putPage(p, s.pages[p]!);
      return { state: c.done(), result: out.result };
    },
  },
  {
    id: "M27-no-scrub-on-exit",
    description: "dropped effect: pages an exiting enclave gives back are not zeroed",
    caughtBy: ["CS-1"],
    shortestKnown: 3, // create, run, exit
    step(s, ev) {
      const out = base(s, ev);
      if (ev.type !== "enclave.exit" || out.result.status !== "ok") return out;
      const c = new Change(out.state);
      s.pages.forEach((pg, p) => {
        if (pg.owner === "enclave" && out.state.pages[p]!.owner === "host") c.setPage(p, { zeroed: pg.zeroed });
      });
      return { state: c.done(), result: out.result };
    },
  },
  {
    id: "IPC-4-caller-id-self",
    description: "wrong answer: get_caller_id answers the server's own id (cf. Penglai's constant 0, PGL §9)",
    caughtBy: ["IPC-4"],
    shortestKnown: 5, // create server, create normal, run it, call the server, get_caller_id
    step(s, ev) {
      const out = base(s, ev);
      if (ev.type !== "enclave.getCallerId" || out.result.status !== "ok") return out;
      // (a constant such as Penglai's 0 would single out one enclave id and break the symmetry the
      // reduction relies on; the server's own id is as wrong and symmetric)
      return { state: out.state, result: { ...out.result, value: s.harts[ev.hart]! } };
    },
  },
];
