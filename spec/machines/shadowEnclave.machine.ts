import { not, setup } from "xstate";
import { EnclaveFact as F, isStranger, type EnclaveEvent } from "./enclaveOps.ts";
import { factGuard, reject, rejectAction } from "./machineEvent.ts";

/** The facts `shadowEnclave` reads. */
export const shadowFacts = F.isCreator | F.regionIsPublic | F.hasNoInstances;


/**
 * Lifecycle of a shadow enclave (PGL §3.4): a measured template that never runs; instances are
 * forked from it; it cannot be destroyed while instances live (intended rule, design.md).
 */
export const shadowEnclave = setup({
  types: { events: {} as EnclaveEvent },
  guards: {
    isCreator: factGuard(F.isCreator),
    isStranger,
    regionIsPublic: factGuard(F.regionIsPublic),
    hasNoInstances: factGuard(F.hasNoInstances),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "shadowEnclave",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1) — a host
  // operation by a host that is not the creator with NOT_CREATOR, whatever the state (isStranger)
  on: { "*": [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("BAD_STATE")] },
  states: {
    free: {
      on: {
        CREATE: [{ guard: not("regionIsPublic"), ...reject("PAGES_NOT_AVAILABLE") }, { target: "ready" }],
        "*": reject("NO_SUCH_ENCLAVE"),
      },
    },
    ready: {
      on: {
        FORK_FROM: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "ready" }],
        ATTEST: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "ready" }],
        DESTROY: [
          { guard: not("isCreator"), ...reject("NOT_CREATOR") },
          { guard: not("hasNoInstances"), ...reject("SHADOW_HAS_INSTANCES") },
          { target: "free" },
        ],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SHADOW_NOT_RUNNABLE")],
        STOP: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SHADOW_NOT_RUNNABLE")],
        RESUME: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SHADOW_NOT_RUNNABLE")],
      },
    },
  },
});
