import { not, setup } from "xstate";
import { hasFact, reject, rejectAction, type MachineEvent } from "./machineEvent.ts";

/** Data preconditions read by the guards of `shadowEnclave`, one bit each. */
export const ShadowFact = {
  /** The acting host created this shadow. */
  isCreator: 1,
  /** Every page handed over is public host memory (OW-5). */
  regionIsPublic: 2,
  /** No live fork instance has this shadow as parent (IPC-6, M40). */
  hasNoInstances: 4,
} as const;

/** Abstract operations on a shadow enclave. */
export const shadowEvents = ["CREATE", "FORK_FROM", "ATTEST", "DESTROY", "RUN", "STOP", "RESUME"] as const;
export type ShadowEvent = MachineEvent<(typeof shadowEvents)[number]>;

const F = ShadowFact;

/**
 * Lifecycle of a shadow enclave (PGL §3.4): a measured template that never runs; instances are
 * forked from it; it cannot be destroyed while instances live (intended rule, design.md).
 */
export const shadowEnclave = setup({
  types: { events: {} as ShadowEvent },
  guards: {
    isCreator: ({ event }) => hasFact(event, F.isCreator),
    regionIsPublic: ({ event }) => hasFact(event, F.regionIsPublic),
    hasNoInstances: ({ event }) => hasFact(event, F.hasNoInstances),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "shadowEnclave",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1)
  on: { "*": reject("BAD_STATE") },
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
        RUN: reject("SHADOW_NOT_RUNNABLE"),
        STOP: reject("SHADOW_NOT_RUNNABLE"),
        RESUME: reject("SHADOW_NOT_RUNNABLE"),
      },
    },
  },
});
