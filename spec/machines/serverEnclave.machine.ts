import { not, setup } from "xstate";
import { hasFact, reject, rejectAction, type MachineEvent } from "./machineEvent.ts";

/** Data preconditions read by the guards of `serverEnclave`, one bit each. */
export const ServerFact = {
  /** The acting host created this server (or, for resumes, the top caller's host runs the chain). */
  isCreator: 1,
  /** Every page handed over is public host memory (OW-5). */
  regionIsPublic: 2,
  /** No live server already has this name (PGL §3.3). */
  nameIsFree: 4,
  /** The server holds every page/region the call names (OW-6). */
  namedPagesAreOwned: 8,
  /** Pages supplied to finish the pending ocall are public and as many as asked (CS-2). */
  suppliedPagesFit: 16,
} as const;

/** Abstract operations on a server enclave. */
export const serverEvents = [
  "CREATE", // host.create kind server (fid 90)
  "CALLED", // a caller's enclave.callServer (fid 96)
  "SERVER_RETURN", // enclave.serverReturn (fid 95)
  "TIMER",
  "YIELD",
  "OCALL",
  "OCALL_RELEASE",
  "RESUME", // the top caller's host resumes the chain
  "RESUME_OCALL",
  "CALL_OUT", // a nested call to another server
  "CALL_RETURNED",
  "CALLEE_FAULT",
  "FAULT",
  "SERVICE",
  "RELAY_OP",
  "EXIT",
  "RUN",
  "STOP",
  "ATTEST",
  "DESTROY", // fid 89
] as const;
export type ServerEvent = MachineEvent<(typeof serverEvents)[number]>;

const F = ServerFact;

/**
 * Lifecycle of a server enclave (PGL §3.3): created idle under a unique name, never run by the
 * host, serves one call at a time (sequential servers), destroyable only while idle.
 */
export const serverEnclave = setup({
  types: { events: {} as ServerEvent },
  guards: {
    isCreator: ({ event }) => hasFact(event, F.isCreator),
    regionIsPublic: ({ event }) => hasFact(event, F.regionIsPublic),
    nameIsFree: ({ event }) => hasFact(event, F.nameIsFree),
    namedPagesAreOwned: ({ event }) => hasFact(event, F.namedPagesAreOwned),
    suppliedPagesFit: ({ event }) => hasFact(event, F.suppliedPagesFit),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "serverEnclave",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1)
  on: { "*": reject("BAD_STATE") },
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
        RUN: reject("SERVER_NOT_RUNNABLE"),
        STOP: reject("SERVER_NOT_RUNNABLE"),
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
        DESTROY: reject("SERVER_IN_CALL"),
        RUN: reject("SERVER_NOT_RUNNABLE"),
      },
    },
    // preempted by the timer inside a call; resumed through the top caller's run loop
    preempted: {
      on: {
        RESUME: [{ guard: not("isCreator"), ...reject("NOT_CREATOR") }, { target: "running" }],
        CALLED: reject("SERVER_BUSY"),
        DESTROY: reject("SERVER_IN_CALL"),
        RUN: reject("SERVER_NOT_RUNNABLE"),
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
        DESTROY: reject("SERVER_IN_CALL"),
        RUN: reject("SERVER_NOT_RUNNABLE"),
      },
    },
    // waiting in a nested call (server → server1)
    blocked: {
      on: {
        CALL_RETURNED: { target: "running" },
        CALLEE_FAULT: { target: "idle" }, // the call is aborted; the server survives
        CALLED: reject("SERVER_BUSY"),
        DESTROY: reject("SERVER_IN_CALL"),
        RUN: reject("SERVER_NOT_RUNNABLE"),
      },
    },
  },
});
