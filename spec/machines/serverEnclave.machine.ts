import { not, setup } from "xstate";
import { EnclaveFact as F, isStranger, type EnclaveEvent } from "./enclaveOps.ts";
import { factGuard, reject, rejectAction } from "./machineEvent.ts";

/** The facts `serverEnclave` reads. */
export const serverFacts = F.isCreator | F.regionIsPublic | F.nameIsFree | F.namedPagesAreOwned | F.suppliedPagesFit;


/**
 * Lifecycle of a server enclave (PGL §3.3): created idle under a unique name, never run by the
 * host, serves one call at a time (sequential servers), destroyable only while idle.
 */
export const serverEnclave = setup({
  types: { events: {} as EnclaveEvent },
  guards: {
    isCreator: factGuard(F.isCreator),
    isStranger,
    regionIsPublic: factGuard(F.regionIsPublic),
    nameIsFree: factGuard(F.nameIsFree),
    namedPagesAreOwned: factGuard(F.namedPagesAreOwned),
    suppliedPagesFit: factGuard(F.suppliedPagesFit),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "serverEnclave",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1) — a host
  // operation by a host that is not the creator with NOT_CREATOR, whatever the state (isStranger)
  on: { "*": [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("BAD_STATE")] },
  states: {
    free: {
      on: {
        CREATE: [
          { guard: not("regionIsPublic"), ...reject("PAGES_NOT_AVAILABLE") },
          { guard: not("nameIsFree"), ...reject("SERVER_NAME_TAKEN") },
          { target: "idle" },
        ],
        "*": reject("NO_SUCH_ENCLAVE"),
      },
    },
    // waiting for a caller (Penglai RUNNABLE)
    idle: {
      on: {
        CALLED: { target: "running" },
        ATTEST: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "idle" }],
        DESTROY: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "free" }],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
        STOP: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
      },
    },
    running: {
      on: {
        SERVER_RETURN: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "idle" }],
        TIMER: { target: "preempted" },
        YIELD: { target: "preempted" },
        OCALL: { target: "ocalling" },
        OCALL_RELEASE: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "ocalling" }],
        CALL_OUT: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "blocked" }],
        RELAY_OP: [{ guard: not("namedPagesAreOwned"), ...reject("NOT_OWNER") }, { target: "running" }],
        SERVICE: { target: "running" },
        FAULT: { target: "free" },
        EXIT: reject("SERVER_CANNOT_EXIT"),
        CALLED: reject("SERVER_BUSY"), // sequential only (M38)
        DESTROY: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_IN_CALL")],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
      },
    },
    // preempted by the timer inside a call; resumed through the top caller's run loop
    preempted: {
      on: {
        RESUME: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "running" }],
        CALLED: reject("SERVER_BUSY"),
        DESTROY: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_IN_CALL")],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
      },
    },
    ocalling: {
      on: {
        RESUME_OCALL: [
          { guard: not("isCreator"), ...reject("NOT_CREATOR") },
          { guard: not("suppliedPagesFit"), ...reject("OCALL_PAGES_INVALID") },
          { target: "running" },
        ],
        CALLED: reject("SERVER_BUSY"),
        DESTROY: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_IN_CALL")],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
      },
    },
    // waiting in a nested call (server → server1)
    blocked: {
      on: {
        CALL_RETURNED: { target: "running" },
        CALLEE_FAULT: { target: "idle" }, // the call is aborted; the server survives
        CALLED: reject("SERVER_BUSY"),
        DESTROY: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_IN_CALL")],
        RUN: [{ guard: "isStranger", ...reject("NOT_CREATOR") }, reject("SERVER_NOT_RUNNABLE")],
      },
    },
  },
});
