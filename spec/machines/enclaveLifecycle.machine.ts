import { not, setup } from "xstate";
import { hasFact, reject, rejectAction, type MachineEvent } from "./machineEvent.ts";

/** Data preconditions read by the guards of `enclaveLifecycle`, one bit each. */
export const LifecycleFact = {
  /** The acting host created this enclave (design.md: every host op requires its creator; M08). */
  isCreator: 1,
  /** Every page handed over is public host memory (OW-5). */
  regionIsPublic: 2,
  /** The relay regions the run hands over are held by the host (PGL §4.7). */
  relayIsReady: 4,
  /** The enclave holds every page/region the call names (OW-6). */
  namedPagesAreOwned: 8,
  /** Pages supplied to finish the pending ocall are public and as many as asked (CS-2). */
  suppliedPagesFit: 16,
} as const;

/** Abstract operations on a normal enclave or fork instance. */
export const lifecycleEvents = [
  "CREATE", // host.create (PGL §3.1)
  "FORK", // host.fork: a fork instance is created running (PGL §3.4, fid 87)
  "RUN", // host.run (fid 97)
  "TIMER", // env.timer on its hart (PGL §6.1)
  "YIELD", // enclave.yield (fid 89)
  "OCALL", // enclave.print / mmap / sbrk ≥ 0 (PGL §2.3)
  "OCALL_RELEASE", // enclave.unmap / sbrk < 0: gives pages back
  "RETURN_RELAY", // enclave.returnRelay (ocall 7)
  "RESUME", // host.resume reason timer (fid 95)
  "WAKE", // host.resume reason stop
  "RESUME_OCALL", // host.ocallReturn
  "RERUN", // host.rerun after RETURN_RELAY
  "STOP", // host.stop (fid 96)
  "ATTEST", // host.attest (fid 98)
  "DESTROY", // host.destroy (fid 94)
  "EXIT", // enclave.exit (fid 99)
  "FAULT", // unhandled trap: the monitor kills it (PGL §2.1)
  "SERVICE", // enclave calls that leave the lifecycle state alone (ids, report, key, access)
  "RELAY_OP", // enclave.asyncCall / splitRelay
  "CALL_OUT", // enclave.callServer: the caller blocks (PGL §3.3)
  "CALL_RETURNED", // the callee's serverReturn
  "CALLEE_FAULT", // the callee chain was killed by a trap
] as const;
export type LifecycleEvent = MachineEvent<(typeof lifecycleEvents)[number]>;

const F = LifecycleFact;

/**
 * Lifecycle of a normal enclave or a fork instance (PGL §3.2 with the intended rules of
 * design.md): yield resumable, host ops bound to the creator, blocked callers not destroyable.
 */
export const enclaveLifecycle = setup({
  types: { events: {} as LifecycleEvent },
  guards: {
    isCreator: ({ event }) => hasFact(event, F.isCreator),
    regionIsPublic: ({ event }) => hasFact(event, F.regionIsPublic),
    relayIsReady: ({ event }) => hasFact(event, F.relayIsReady),
    namedPagesAreOwned: ({ event }) => hasFact(event, F.namedPagesAreOwned),
    suppliedPagesFit: ({ event }) => hasFact(event, F.suppliedPagesFit),
  },
  actions: { reject: rejectAction },
}).createMachine({
  id: "enclaveLifecycle",
  initial: "free",
  // default: any operation a state does not handle is refused with BAD_STATE (LC-1)
  on: { "*": reject("BAD_STATE") },
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
        DESTROY: reject("CALLER_BLOCKED"),
        STOP: reject("CALLER_BLOCKED"),
      },
    },
  },
});
