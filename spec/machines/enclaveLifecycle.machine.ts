import { not, setup } from "xstate";
import { EnclaveFact as F, isStranger, type EnclaveEvent } from "./enclaveOps.ts";
import { factGuard, reject, rejectAction } from "./machineEvent.ts";

/** The facts `enclaveLifecycle` reads. */
export const lifecycleFacts =
  F.isCreator | F.regionIsPublic | F.relayIsReady | F.namedPagesAreOwned | F.suppliedPagesFit;


/**
 * Lifecycle of a normal enclave or a fork instance (PGL §3.2 with the intended rules of
 * design.md): yield resumable, host ops bound to the creator, blocked callers not destroyable.
 */
export const enclaveLifecycle = setup({
  types: { events: {} as EnclaveEvent },
  guards: {
    isCreator: factGuard(F.isCreator),
    isStranger,
    regionIsPublic: factGuard(F.regionIsPublic),
    relayIsReady: factGuard(F.relayIsReady),
    namedPagesAreOwned: factGuard(F.namedPagesAreOwned),
    suppliedPagesFit: factGuard(F.suppliedPagesFit),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "enclaveLifecycle",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1) — a host
  // operation by a host that is not the creator with NOT_CREATOR, whatever the state (isStranger)
  on: { "*": [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("BAD_STATE")] },
  states: {
    // INVALID slot
    free: {
      on: {
        CREATE: [{ guard: not("regionIsPublic"), ...reject("PAGES_NOT_AVAILABLE") }, { target: "fresh" }],
        FORK: [{ guard: not("regionIsPublic"), ...reject("PAGES_NOT_AVAILABLE") }, { target: "running" }],
        "*": reject("NO_SUCH_ENCLAVE"),
      },
    },
    fresh: {
      on: {
        RUN: [
          { guard: not("isCreator"), ...reject("NOT_CREATOR") },
          { guard: not("relayIsReady"), ...reject("RELAY_UNAVAILABLE") },
          { target: "running" },
        ],
        ATTEST: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "fresh" }],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
        BIND: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "fresh" }],
      },
    },
    running: {
      on: {
        TIMER: { target: "runnable" },
        YIELD: { target: "runnable" }, // intended: the run loop resumes it (PGL §3.2 OBSERVED)
        OCALL: { target: "ocalling" },
        OCALL_RELEASE: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "ocalling" }],
        RETURN_RELAY: { target: "relayReturned" },
        EXIT: { target: "free" },
        FAULT: { target: "free" },
        SERVICE: { target: "running" },
        RELAY_OP: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "running" }],
        CALL_OUT: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "blocked" }],
        STOP: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "stopped" }],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
      },
    },
    // preempted by the timer or yielded
    runnable: {
      on: {
        RESUME: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "running" }],
        STOP: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "stopped" }],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
      },
    },
    stopped: {
      on: {
        WAKE: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "runnable" }],
        ATTEST: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "stopped" }],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
      },
    },
    ocalling: {
      on: {
        RESUME_OCALL: [
          { guard: not("isCreator"), ...reject("NOT_CREATOR") },
          { guard: not("suppliedPagesFit"), ...reject("OCALL_PAGES_INVALID") },
          { target: "running" },
        ],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
      },
    },
    // relay pages handed back to the host, waiting for the re-run (PGL §2.3 ocall 7)
    relayReturned: {
      on: {
        RERUN: [
          { guard: not("isCreator"), ...reject("NOT_CREATOR") },
          { guard: not("relayIsReady"), ...reject("RELAY_UNAVAILABLE") },
          { target: "running" },
        ],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
      },
    },
    // waiting in a server call (IPC-1); never destroyable meanwhile (IPC-2, LC-7)
    blocked: {
      on: {
        CALL_RETURNED: { target: "running" },
        CALLEE_FAULT: { target: "free" },
        DESTROY: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("CALLER_BLOCKED")],
        STOP: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("CALLER_BLOCKED")],
      },
    },
  },
});
